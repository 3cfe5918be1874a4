import { chunkRequests, syntheticDigest } from './support/expected.ts';
import { expect, test } from './support/fixtures.ts';
import { createSession, digestRangesInPage, fetchInPage, sessionStats } from './support/inPage.ts';

const CHUNK = 64 * 1024;
const SIZE = 3 * CHUNK + 100;

/** Range headers RFC 9110 §14.1–14.2 says to ignore (answer 200 with the whole body). */
const MALFORMED = [
  'bytes',
  'bytes=',
  '=0-1',
  'bytes=a-b',
  'bytes=1-0',
  'bytes=--1',
  'bytes=0--1',
  'bytes=-',
  'bytes=1',
  'bytes=0-1-2',
  'bytes=0x10-',
  'bytes=+1-2',
  'bytes=1.5-2',
  'bytes=0-1;x',
  'bytes=,',
  'bytes=0-1,a-b',
  'items=0-1',
  'bits=0-7',
  'bytes 0-1',
  'bytes:0-1',
  'bytes=\u00b2-3', // superscript two: a Latin-1 character that is not a DIGIT
  'bytes=-1-',
  'bytes=5-4',
  'bytes=0-1, 2-3', // two ranges: our documented choice is 200 with the whole body
];

test('malformedRange_ignored_answers200WholeBody', async ({ proxyPage, origin }) => {
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${SIZE}?seed=12`, {
    chunkSize: CHUNK,
  });
  const results = await digestRangesInPage(proxyPage, session.url, MALFORMED);
  const whole = syntheticDigest(12, 0, SIZE - 1);
  for (const r of results) {
    expect(r.status, r.range ?? '').toBe(200);
    expect(r.contentRange, r.range ?? '').toBeNull();
    expect(r.length, r.range ?? '').toBe(SIZE);
    expect(r.sha256, r.range ?? '').toBe(whole);
  }
});

test('unsatisfiableRange_416WithSize', async ({ proxyPage, origin }) => {
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${SIZE}?seed=12`, {
    chunkSize: CHUNK,
  });
  for (const header of [
    `bytes=${SIZE}-`,
    `bytes=${SIZE + 1}-${SIZE + 9}`,
    'bytes=-0',
    'bytes=99999999999999999999-',
  ]) {
    const r = await fetchInPage(proxyPage, session.url, { headers: { Range: header } });
    expect(r.status, header).toBe(416);
    expect(r.headers['content-range'], header).toBe(`bytes */${SIZE}`);
  }
});

test('unknownSession_404WithJsonReason', async ({ proxyPage }) => {
  const r = await fetchInPage(proxyPage, '/stream/no-such-session');
  expect(r.status).toBe(404);
  expect(r.headers['content-type']).toBe('application/json');
  const body = JSON.parse(r.body.toString('utf8'));
  expect(body.error).toBe('session-not-found');
  expect(body.message).toMatch(/No session with this id/);
});

test('upstream404_answers404', async ({ proxyPage, origin }) => {
  const session = await createSession(proxyPage, `${origin.url}/files/does-not-exist.mp4`);
  const r = await fetchInPage(proxyPage, session.url, { headers: { Range: 'bytes=0-' } });
  expect(r.status).toBe(404);
  expect(JSON.parse(r.body.toString('utf8')).error).toBe('upstream-status');
});

test('upstreamUnreachable_answers502', async ({ proxyPage }) => {
  // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
  const session = await createSession(proxyPage, 'http://127.0.0.1:9/video.mp4');
  const r = await fetchInPage(proxyPage, session.url);
  expect(r.status).toBe(502);
  expect(JSON.parse(r.body.toString('utf8')).error).toBe('upstream-unreachable');
});

test('badInput_neverChangesStoredBytes', async ({ proxyPage, origin }) => {
  const session = await createSession(proxyPage, `${origin.url}/synthetic/${SIZE}?seed=12`, {
    chunkSize: CHUNK,
  });
  const [first] = await digestRangesInPage(proxyPage, session.url, [null]);
  expect(first?.sha256).toBe(syntheticDigest(12, 0, SIZE - 1));
  const fetched = chunkRequests(origin.log, `/synthetic/${SIZE}`).length;
  await digestRangesInPage(proxyPage, session.url, [...MALFORMED, `bytes=${SIZE}-`, 'bytes=-0']);
  await fetchInPage(proxyPage, '/stream/nope', { headers: { Range: 'bytes=0-' } });
  const [again] = await digestRangesInPage(proxyPage, session.url, [null]);
  expect(again?.sha256).toBe(first?.sha256);
  // Everything came from the cache: no chunk was fetched again.
  expect(chunkRequests(origin.log, `/synthetic/${SIZE}`).length).toBe(fetched);
  expect((await sessionStats(proxyPage, session.id)).chunks.stored).toBe(4);
});
