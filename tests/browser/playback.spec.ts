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
    // A download the proxy aborts frees its slot at once, but the origin learns of the abort
    // only when it sees the socket close; until then it keeps sending and may hand over the last
    // byte first, logging a complete response that overlaps its successor (a loaded CI run saw
    // four at once). So a dropped chunk's entries are left out of the count, except its last
    // when it was fetched again (the kept download); every aborted entry must be dropped.
    const dropped = new Set(stats.droppedChunks);
    const indexOf = (e: (typeof chunks)[number]) => loggedRange(e).start / CHUNK;
    const firstOf = new Map([...chunks].reverse().map((e) => [indexOf(e), e]));
    const lastOf = new Map(chunks.map((e) => [indexOf(e), e]));
    const refetch = (e: (typeof chunks)[number]) =>
      lastOf.get(indexOf(e)) === e && firstOf.get(indexOf(e)) !== e;
    const counted = chunks.filter((e) => !e.aborted && (!dropped.has(indexOf(e)) || refetch(e)));
    expect(maxOverlap(counted)).toBeLessThanOrEqual(CONCURRENCY);
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
