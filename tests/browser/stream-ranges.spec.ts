import { prng, syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage, fetchInPage } from './support/inPage.ts';

const CHUNK = 64 * 1024;
const SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10.5 * CHUNK];

/** Ranges around every edge of a file of `size` bytes cut in chunks of CHUNK. */
function edgeRanges(size: number): (string | null)[] {
  return [
    null,
    'bytes=0-0',
    'bytes=0-',
    'bytes=-1',
    `bytes=-${size + 5}`,
    `bytes=0-${size + 100}`,
    `bytes=${Math.max(size - 1, 0)}-`,
    `bytes=${size}-`,
    `bytes=${size + 10}-${size + 20}`,
    `bytes=${CHUNK - 1}-${CHUNK}`,
    `bytes=${CHUNK}-${2 * CHUNK - 1}`,
    `bytes=${CHUNK - 2}-${3 * CHUNK + 2}`,
    'bytes=1-1',
  ];
}

for (const size of SIZES) {
  test(`edgeRanges_size${size}_matchOriginExactly`, async ({ proxyPage, origin }) => {
    const upstream = `${origin.url}/synthetic/${size}?seed=${size + 1}`;
    const session = await createSession(proxyPage, upstream, { chunkSize: CHUNK });
    const ranges = edgeRanges(size);
    // Twice: cold (chunks downloading) and warm (every chunk stored).
    for (const pass of ['cold', 'warm']) {
      const viaProxy = await digestRangesInPage(proxyPage, session.url, ranges);
      const direct = await digestRangesInPage(proxyPage, upstream, ranges);
      for (const [i, got] of viaProxy.entries()) {
        const want = direct[i];
        const label = `${pass} ${got.range}`;
        if (size === 0) {
          // An empty representation has no satisfiable range; we answer 200 with no body
          // (RFC 9110 §14.2 lets a server ignore Range), the origin 416: both are correct.
          expect(got.status, label).toBe(200);
          expect(got.length, label).toBe(0);
          continue;
        }
        expect(got.status, label).toBe(want?.status);
        expect(got.contentRange, label).toBe(want?.contentRange);
        if (got.status === 416) continue; // the origin explains itself in a body, we send none
        expect(got.length, label).toBe(want?.length);
        expect(got.sha256, label).toBe(want?.sha256);
      }
    }
  });
}

test('headRequest_returnsHeadersWithoutBody', async ({ proxyPage, origin }) => {
  const size = 10.5 * CHUNK;
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=9`, {
    chunkSize: CHUNK,
  });
  const head = await fetchInPage(proxyPage, session.url, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(head.headers['content-length']).toBe(String(size));
  expect(head.headers['accept-ranges']).toBe('bytes');
  expect(head.body.length).toBe(0);
  const ranged = await fetchInPage(proxyPage, session.url, {
    method: 'HEAD',
    headers: { Range: 'bytes=5-9' },
  });
  expect(ranged.status).toBe(206);
  expect(ranged.headers['content-range']).toBe(`bytes 5-9/${size}`);
  expect(ranged.headers['content-length']).toBe('5');
});

test('randomRanges_500seeded_matchOriginColdAndWarm', async ({ proxyPage, origin }) => {
  const seed = 20261125;
  const size = 40 * CHUNK + 12345;
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=77`, {
    chunkSize: CHUNK,
  });
  const random = prng(seed);
  const ranges: { header: string; start: number; end: number }[] = [];
  for (let i = 0; i < 500; i++) {
    const start = Math.floor(random() * size);
    const kind = random();
    if (kind < 0.1) {
      ranges.push({ header: `bytes=${start}-`, start, end: size - 1 });
    } else if (kind < 0.2) {
      const n = 1 + Math.floor(random() * 3 * CHUNK);
      ranges.push({ header: `bytes=-${n}`, start: Math.max(0, size - n), end: size - 1 });
    } else {
      const len = 1 + Math.floor(random() * (random() < 0.5 ? 100 : 3 * CHUNK));
      const end = start + len - 1;
      ranges.push({ header: `bytes=${start}-${end}`, start, end: Math.min(end, size - 1) });
    }
  }
  for (const pass of ['cold', 'warm']) {
    const got = await digestRangesInPage(
      proxyPage,
      session.url,
      ranges.map((r) => r.header),
    );
    for (const [i, r] of ranges.entries()) {
      const g = got[i];
      const label = `${pass} #${i} ${r.header}`;
      expect(g?.status, label).toBe(206);
      expect(g?.contentRange, label).toBe(`bytes ${r.start}-${r.end}/${size}`);
      expect(g?.sha256, label).toBe(syntheticDigest(77, r.start, r.end));
    }
  }
});
