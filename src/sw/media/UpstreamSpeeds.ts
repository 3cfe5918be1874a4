import { ConnectionSpeed } from './ConnectionSpeed.ts';

/** How many upstream origins keep a speed record; the one used longest ago goes first. */
export const MAX_RECORDED_ORIGINS = 64;

/**
 * One `ConnectionSpeed` per upstream origin (scheme, host and port), shared by every media a
 * runtime opens there: a new media from an upstream already measured reads its chunks nobody
 * waits on natively from the first one, instead of measuring again with four chunks through
 * JavaScript (all of a media of four chunks or fewer). A media whose upstream is slower than its
 * origin's record shows it with its first download (the record keeps the slowest of the recent
 * ones), a failed native read makes the origin unmeasured again (`ConnectionSpeed.forget`), and
 * so does having fewer than four downloads completed there in the last two minutes
 * (`MAX_RATE_AGE_MS`).
 *
 * What a record too fast for a media costs (a cold file behind a CDN whose hot files filled the
 * record, a network that got slower, a redirector whose back ends differ: the key is the URL
 * asked for, not the server that answered): its first `concurrency` chunks nobody waits on are
 * read natively before its own downloads show the truth. A reader arriving at one waits for the
 * whole chunk rather than its first bytes; a body slower in total than the stall timeout (20
 * times slower than the record allows, with the defaults) is timed out and read again through
 * JavaScript. A media's own downloads, from its first completed one, decide for it whenever
 * they are slower than the record (`ChunkDownloader`, `chooseChunkBody`): the origin's other
 * files refilling the record do not send a slow file back to native reads. Only whole chunks
 * are recorded (a short last chunk is mostly round trip), and not chunk 0 taken from the request
 * sent with the probe (its bytes may have waited while the media opened). Rates are per byte,
 * round trip included, so a record of large chunks is a little optimistic for small ones.
 */
export class UpstreamSpeeds {
  private readonly byOrigin = new Map<string, ConnectionSpeed>();

  constructor(private readonly maxOrigins = MAX_RECORDED_ORIGINS) {}

  /**
   * The speed record of `url`'s origin (a new, unmeasured one the first time). A URL without an
   * origin (unparsable, `data:`, `file:`) gets a record of its own that is not kept: nothing to
   * share it with, and its key could be the whole URL.
   */
  of(url: string): ConnectionSpeed {
    const origin = originOf(url);
    if (origin === null) return new ConnectionSpeed();
    let speed = this.byOrigin.get(origin);
    if (speed) {
      this.byOrigin.delete(origin); // re-inserted below: the Map's order is the use order
    } else {
      speed = new ConnectionSpeed();
      const oldest = this.byOrigin.keys().next();
      if (this.byOrigin.size >= this.maxOrigins && !oldest.done) this.byOrigin.delete(oldest.value);
    }
    this.byOrigin.set(origin, speed);
    return speed;
  }
}

/** `url`'s origin, or null for a URL without one (unparsable, or an opaque origin). */
function originOf(url: string): string | null {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
