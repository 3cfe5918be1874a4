import { expectRangeConformance } from 'chunkwise/testing';
import { prng, sha256, syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage, fetchInPage } from './support/inPage.ts';

const CHUNK = 64 * 1024;
const SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10.5 * CHUNK];

// Every range case of the testing kit (`chunkwise/testing`, one source of truth), cold (chunks
// downloading) and warm (every chunk stored), for sizes around the chunk edges.
for (const size of SIZES.filter((s) => s > 0)) {
  test(`rangeCases_size${size}_conformColdAndWarm`, async ({ proxyPage, origin }) => {
    const seed = size + 1;
    const session = await createSession(proxyPage, `${origin.url}/synthetic/${size}?seed=${seed}`, {
      chunkSize: CHUNK,
    });
    const options = {
      size,
      chunkSize: CHUNK,
      sha256Of: (start: number, end: number) => syntheticDigest(seed, start, end),
    };
    for (const pass of ['cold', 'warm']) {
      const report = await expectRangeConformance(proxyPage, session.url, options);
      expect(report.results.length, pass).toBeGreaterThan(15);
    }
  });
}

test('emptyRepresentation_everyRangeAnswered200Empty', async ({ proxyPage, origin }) => {
  // An empty representation has no satisfiable range; we answer 200 with no body (RFC 9110
  // §14.2 lets a server ignore Range); the origin answers 416, also correct.
  const session = await createSession(proxyPage, `${origin.url}/synthetic/0?seed=1`, {
    chunkSize: CHUNK,
  });
  const ranges = [null, 'bytes=0-0', 'bytes=0-', 'bytes=-1', 'bytes=0-100', 'bytes=10-20'];
  for (const got of await digestRangesInPage(proxyPage, session.url, ranges)) {
    expect(got.status, String(got.range)).toBe(200);
    expect(got.length, String(got.range)).toBe(0);
  }
});

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

// The answers carry the origin's validators, and the preconditions built on them answer as the
// origin's own (written apart from the worker's: tools/origin/if-range.ts, preconditions.ts):
// If-Range, If-None-Match, If-Match, and their order against the Range; cold, then warm.
test('validatorsAndPreconditions_sameAnswersAsTheOrigin', async ({ proxyPage, origin }) => {
  const size = 3 * CHUNK + 7;
  const seed = 31;
  const upstream = `${origin.url}/synthetic/${size}?seed=${seed}`;
  const session = await createSession(proxyPage, upstream, { chunkSize: CHUNK });
  const direct = await fetchInPage(proxyPage, upstream, { headers: { Range: 'bytes=0-0' } });
  const etag = direct.headers.etag as string;
  const lastModified = direct.headers['last-modified'] as string;
  expect(etag).toMatch(/^"/);
  const cases: [string, Record<string, string>, number, string | null][] = [
    ['plain range', { Range: 'bytes=0-99' }, 206, syntheticDigest(seed, 0, 99)],
    ['If-Range stale', { Range: 'bytes=0-99', 'If-Range': '"stale"' }, 200, null],
    ['If-Range current', { Range: 'bytes=100-199', 'If-Range': etag }, 206, null],
    ['If-Range date', { Range: 'bytes=5-9', 'If-Range': lastModified }, 206, null],
    ['If-None-Match current', { 'If-None-Match': etag }, 304, null],
    ['If-Match stale', { 'If-Match': '"stale"', Range: 'bytes=0-9' }, 412, null],
    // §14.2: the preconditions before the Range, even one that cannot be satisfied.
    [
      'If-None-Match, range past the end',
      { 'If-None-Match': '*', Range: `bytes=${size}-` },
      304,
      null,
    ],
    [
      'If-Match stale, range past the end',
      { 'If-Match': '"stale"', Range: `bytes=${size}-` },
      412,
      null,
    ],
    [
      'If-Match holds, range past the end',
      { 'If-Match': etag, Range: `bytes=${size}-` },
      416,
      null,
    ],
  ];
  for (const pass of ['cold', 'warm']) {
    for (const [label, headers, status, digest] of cases) {
      const name = `${pass}: ${label}`;
      const got = await fetchInPage(proxyPage, session.url, { headers });
      expect(got.status, name).toBe(status);
      const want = await fetchInPage(proxyPage, upstream, { headers });
      expect(want.status, name).toBe(status);
      if (status !== 200 && status !== 206) continue;
      expect(got.headers.etag, name).toBe(etag);
      expect(got.headers['last-modified'], name).toBe(lastModified);
      expect(got.headers['content-range'], name).toBe(want.headers['content-range']);
      expect(sha256(got.body), name).toBe(digest ?? sha256(want.body));
    }
    // Read the whole media, so the second pass is answered from storage.
    await fetchInPage(proxyPage, session.url);
  }
});

// An upstream with a weak ETag (W/"…": it vouches for equivalent content, not identical bytes;
// Express's static files send one): the proxy passes the tag on, and the kit's weak-tag cases
// hold through it cold and warm (If-Range and If-Match never hold with it, If-None-Match does),
// beside every range case, as they do on the origin itself.
test('weakEtagUpstream_kitCasesHoldColdAndWarm', async ({ proxyPage, origin }) => {
  const size = 3 * CHUNK + 7;
  const seed = 37;
  const upstream = `${origin.url}/synthetic/${size}?seed=${seed}&weakEtag=1`;
  const session = await createSession(proxyPage, upstream, { chunkSize: CHUNK });
  const options = {
    size,
    chunkSize: CHUNK,
    sha256Of: (start: number, end: number) => syntheticDigest(seed, start, end),
  };
  const passes: [string, string][] = [
    ['origin', upstream],
    ['cold', session.url],
    ['warm', session.url],
  ];
  for (const [pass, url] of passes) {
    const report = await expectRangeConformance(proxyPage, url, options);
    expect(report.validators?.etag, pass).toMatch(/^W\/"/);
    expect(
      report.results.map((r) => r.case.name),
      pass,
    ).toEqual(
      expect.arrayContaining(['If-Range with its weak ETag', 'If-Match with its weak ETag']),
    );
  }
});
