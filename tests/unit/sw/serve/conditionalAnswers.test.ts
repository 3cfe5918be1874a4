/**
 * What the proxy's answers say about the representation, in both modes: the upstream's ETag and
 * Last-Modified, and the preconditions a client builds on them (RFC 9110 §13): a stale If-Range
 * gets the whole body, a current If-None-Match a 304, a failed If-Match a named 412. In single
 * mode every upstream answer is also checked against what the probe saw, so a changed upstream
 * never reaches a client under the old size.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectBytes } from '../support/expectBytes.ts';
import { fakeUpstream, type RecordedRequest } from '../support/fakeUpstream.ts';
import { ProxyHarness, readAll, releaseHarnesses, SIZE } from '../support/proxyHarness.ts';

afterEach(async () => {
  await releaseHarnesses();
});

const PAGE = 'https://app.test';
type Mode = 'parallel' | 'single';

async function open(mode: Mode) {
  const up = fakeUpstream({ size: SIZE });
  if (mode === 'single') up.fault({ ignoreRange: true });
  const h = await ProxyHarness.open({ upstream: up });
  const session = await h.session();
  const send = (headers: Record<string, string>, method = 'GET') =>
    h.proxy.handle(new Request(`${PAGE}${session.url}`, { method, headers }), session.id);
  return { h, up, session, send };
}

describe.each<Mode>(['parallel', 'single'])('conditional answers, %s mode', (mode) => {
  it('answers_carryTheUpstreamsValidators', async () => {
    const { h, up, session } = await open(mode);
    for (const range of [null, 'bytes=0-99']) {
      const got = await h.read(session, range);
      expect([got.headers.get('ETag'), got.headers.get('Last-Modified')]).toEqual([
        up.content().etag,
        up.content().lastModified,
      ]);
    }
  });

  it('ifRangeStale_wholeBody200', async () => {
    const { up, send } = await open(mode);
    const got = await readAll(await send({ Range: 'bytes=0-99', 'If-Range': '"old"' }));
    expect([got.status, got.headers.get('Content-Range'), got.error]).toEqual([200, null, null]);
    expectBytes(got.bytes, up.bytes(0, SIZE - 1));
  });

  it('ifRangeCurrent_206', async () => {
    const { up, send } = await open(mode);
    const etag = up.content().etag;
    const got = await readAll(await send({ Range: 'bytes=100-199', 'If-Range': etag }));
    expect([got.status, got.headers.get('Content-Range')]).toEqual([206, `bytes 100-199/${SIZE}`]);
    expectBytes(got.bytes, up.bytes(100, 199));
  });

  it('ifNoneMatchCurrent_304NoBodyNoUpstreamBytes', async () => {
    const { h, up, session, send } = await open(mode);
    await h.read(session, 'bytes=0-0'); // opens the media
    const asked = up.requests.length;
    const got = await readAll(await send({ 'If-None-Match': up.content().etag }));
    expect([got.status, got.bytes.byteLength, got.headers.get('ETag')]).toEqual([
      304,
      0,
      up.content().etag,
    ]);
    expect(up.requests.length).toBe(asked);
  });

  it('ifMatchStale_412NamingTheHeader', async () => {
    const { send } = await open(mode);
    const got = await send({ 'If-Match': '"old"', Range: 'bytes=0-99' });
    expect(got.status).toBe(412);
    expect(await got.json()).toMatchObject({ error: 'precondition-failed', header: 'If-Match' });
  });
});

describe('method other than GET and HEAD', () => {
  it('post_405NamedWithAllow', async () => {
    const { send } = await open('parallel');
    const got = await send({}, 'POST');
    expect([got.status, got.headers.get('Allow')]).toEqual([405, 'GET, HEAD']);
    expect(await got.json()).toMatchObject({ error: 'method-not-allowed', method: 'POST' });
  });
});

/** Single mode asks for a whole body of known size as the range of all of it (identity bytes). */
const isWhole = (r: RecordedRequest) => r.range === `bytes=0-${SIZE - 1}`;

describe('single mode: every upstream answer checked against the probe', () => {
  async function opened() {
    const { h, up, session } = await open('single');
    await h.read(session, 'bytes=0-0'); // probed: size SIZE
    return { h, up, session };
  }

  it('wholeBodyCutShort_errorsInsteadOfEnding', async () => {
    const { h, up, session } = await opened();
    up.fault({ endAfter: 3000 }, isWhole);
    const got = await readAll(await h.request(session, null));
    expect(got.headers.get('Content-Length')).toBe(String(SIZE));
    expect(got.bytes.byteLength).toBe(3000);
    expect(String(got.error)).toMatch(/ended 6500 bytes early/);
  });

  it.each<[string | null, number, number, number]>([
    [null, 200, 0, SIZE + 499],
    ['bytes=9000-', 206, 9000, SIZE + 499],
  ])(
    'upstreamGrew_range %s_probedAgainAndAnsweredWithTheNewSize',
    async (range, status, start, end) => {
      const { h, up, session } = await opened();
      up.changeFrom(up.requests.length, { size: SIZE + 500 });
      const got = await readAll(await h.request(session, range));
      expect([got.status, got.headers.get('Content-Length'), got.error]).toEqual([
        status,
        String(end - start + 1),
        null,
      ]);
      if (status === 206)
        expect(got.headers.get('Content-Range')).toBe(`bytes ${start}-${end}/${SIZE + 500}`);
      expect(got.headers.get('ETag')).toBe(up.content(1).etag);
      expectBytes(got.bytes, up.bytes(start, end, 1));
    },
  );

  it('upstreamGrewWithoutSayingSo_wholeBodyErrorsAtTheProbedSize_nextRequestProbesAgain', async () => {
    const { h, up, session } = await opened();
    // New content, same validators, and no Content-Length: only the body's length tells.
    up.changeFrom(up.requests.length, {
      size: SIZE + 500,
      etag: up.content().etag,
      lastModified: up.content().lastModified,
    });
    up.fault({ headers: { 'Content-Length': null } }, isWhole);
    const got = await readAll(await h.request(session, null));
    // Never more than the Content-Length promised; the piece crossing it is not sent.
    expect(got.bytes.byteLength).toBeLessThanOrEqual(SIZE);
    expect(String(got.error)).toMatch(/runs past the 9500 bytes probed/);
    const before = up.requests.length;
    await h.read(session, 'bytes=0-0');
    // A probe (bytes=0-0, with the early chunk-0 request beside it), then the read itself
    // (single mode passes its range on); without the probe, only the read.
    const ranges = up.requests.slice(before).map((r) => r.range);
    expect(ranges.filter((r) => r === 'bytes=0-0')).toHaveLength(2);
  });
});

describe('single mode, size unknown: the validators of the answer passed on', () => {
  it('upstreamChanged_answerCarriesItsNewLastModified_preconditionsDecidedOnIt', async () => {
    // CORS hides Content-Range and ETag, and there is no Content-Length: no size, no probe to
    // hold answers to. Last-Modified stays readable (CORS-safelisted).
    const up = fakeUpstream({ size: SIZE }).fault({
      hideHeaders: true,
      headers: { 'Content-Length': null },
    });
    const h = await ProxyHarness.open({ upstream: up });
    const session = await h.session();
    const first = await h.read(session, null);
    expect(first.headers.get('Last-Modified')).toBe(up.content().lastModified);

    up.changeFrom(up.requests.length, {});
    const changed = await h.read(session, null);
    expect(changed.headers.get('Last-Modified')).toBe(up.content(1).lastModified);
    expectBytes(changed.bytes, up.bytes(0, SIZE - 1, 1));

    const send = (headers: Record<string, string>) =>
      h.proxy.handle(new Request(`${PAGE}${session.url}`, { headers }), session.id);
    const current = await send({ 'If-Modified-Since': up.content(1).lastModified });
    expect(current.status).toBe(304);
    const stale = await send({ 'If-Modified-Since': up.content(0).lastModified });
    expect(stale.status).toBe(200);
    await stale.body?.cancel();
  });
});
