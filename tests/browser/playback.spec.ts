import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chunkRequests, loggedRange, maxOverlap } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { createSession, sessionStats } from './support/inPage.ts';
import { playAndSeek } from './support/media.ts';

const CHUNK = 256 * 1024;
const CONCURRENCY = 3;
const SAMPLES = ['sample-faststart.mp4', 'sample-moov-end.mp4', 'sample.webm'];

for (const name of SAMPLES) {
  test(`playback_${name}_playsSeeksAndFetchesChunksInParallel`, async ({ proxyPage, origin }) => {
    const size = statSync(fileURLToPath(new URL(`../../media/${name}`, import.meta.url))).size;
    // A rate cap keeps chunk downloads long enough to overlap visibly in the log.
    origin.setKnobs('/files/', { rate: 2_000_000 });
    const session = await createSession(proxyPage, `${origin.url}/files/${name}`, {
      chunkSize: CHUNK,
      concurrency: CONCURRENCY,
      prefetch: 6,
    });
    const result = await playAndSeek(proxyPage, session.url, 2, [20, 45, 58.5]);
    expect(result.duration).toBeGreaterThan(59);
    expect(result.seekedAt[0]).toBeCloseTo(20, 0);
    expect(result.seekedAt[1]).toBeCloseTo(45, 0);
    expect(result.seekedAt[2]).toBeGreaterThan(58);

    // Chunk downloads are chunk-aligned. The only other ranged requests are catch-up reads (a
    // seek deep into a chunk still downloading reads the rest of that chunk directly), which
    // end on a chunk's last byte and are counted in the stats.
    const requests = chunkRequests(origin.log, `/files/${name}`);
    const chunks = requests.filter((e) => loggedRange(e).start % CHUNK === 0);
    const catchUps = requests.filter((e) => loggedRange(e).start % CHUNK !== 0);
    for (const entry of requests) {
      const { start, end } = loggedRange(entry);
      const chunkEnd = Math.min(Math.floor(start / CHUNK) * CHUNK + CHUNK, size) - 1;
      expect(end, `${entry.range} ends at its chunk's end`).toBe(chunkEnd);
    }
    const stats = await sessionStats(proxyPage, session.id);
    expect(catchUps).toHaveLength(stats.catchUpReads);
    // In parallel (the scheduler's record: how long the origin took decides nothing here), and
    // never more at once than the concurrency, on the origin's side too.
    expect(stats.chunks.peakInFlight).toBeGreaterThan(1);
    expect(stats.chunks.peakInFlight).toBeLessThanOrEqual(CONCURRENCY);
    // A download the proxy aborts frees its slot at once, but the origin logs its end only when
    // the abort reaches it: when the socket's close is seen (then it is logged as aborted), or,
    // when the browser sent the next chunk's request before closing that socket, when its last
    // byte was handed to the socket (then it looks complete: a loaded CI run logged four at once
    // among entries not marked aborted). Either way its end on the origin's clock says nothing about the proxy's slot, so the
    // downloads the proxy reports dropped are left out of the count; every aborted entry must
    // be one of them.
    const dropped = new Set(stats.droppedChunks);
    const kept = chunks.filter((e) => !e.aborted && !dropped.has(loggedRange(e).start / CHUNK));
    expect(maxOverlap(kept)).toBeLessThanOrEqual(CONCURRENCY);
    for (const e of chunks.filter((e) => e.aborted)) {
      expect(stats.droppedChunks).toContain(loggedRange(e).start / CHUNK);
    }
    // Each chunk is downloaded once. The one exception: a prefetch that a seek dropped while it
    // was on the wire; the proxy reports those, and only those may appear twice.
    const seen = new Set<number>();
    for (const e of chunks.filter((e) => e.status === 206)) {
      const index = loggedRange(e).start / CHUNK;
      if (seen.has(index))
        expect(stats.droppedChunks, `chunk ${index} fetched again`).toContain(index);
      seen.add(index);
    }

    expect(stats.mode).toBe('parallel');
    expect(stats.validation).toBe('strong');
  });
}
