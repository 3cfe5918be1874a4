import { ConnectionSpeed } from './ConnectionSpeed.ts';

/** How many upstream origins keep a speed record; the one used longest ago goes first. */
export const MAX_RECORDED_ORIGINS = 64;

/**
 * One `ConnectionSpeed` per upstream origin (scheme, host and port), shared by every media a
 * runtime opens there: a new media from an upstream already measured reads its chunks nobody
 * waits on natively from the first one, instead of measuring again with four chunks through
 * JavaScript (all of a media of four chunks or fewer). A media whose upstream is slower than its
 * origin's record shows it with its first download (the record keeps the slowest of the recent
 * ones), and a failed native read makes the origin unmeasured again (`ConnectionSpeed.forget`).
 */
export class UpstreamSpeeds {
  private readonly byOrigin = new Map<string, ConnectionSpeed>();

  constructor(private readonly maxOrigins = MAX_RECORDED_ORIGINS) {}

  /** The speed record of `url`'s origin (a new, unmeasured one the first time). */
  of(url: string): ConnectionSpeed {
    const origin = originOf(url);
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

/** `url`'s origin; a URL without one (unparsable, or an opaque origin) is its own key. */
function originOf(url: string): string {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? url : origin;
  } catch {
    return url;
  }
}
