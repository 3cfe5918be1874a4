/**
 * What a page may ask of the proxy, and how it is told no. Every bound (session options, header
 * count and size, cache key, budget, the upstream URL's scheme) is one table row: the input, and
 * the `bad-request` error it gets, whose details name the field and the allowed range. The real
 * proxy answers (`createSession`, `handleMessage`), over fake-indexeddb.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionOptions } from '../../../src/shared/types.ts';
import { ProxyError } from '../../../src/sw/errors/ProxyError.ts';
import { ProxyHarness, releaseHarnesses } from './support/proxyHarness.ts';

/** The worker's origin in these tests: stream URLs are `https://app.test/stream/<id>`. */
const ORIGIN = 'https://app.test';
const URL_OK = 'https://cdn.test/film.mp4';
const KIB = 1024;
const MIB = 1024 * KIB;

async function open(): Promise<ProxyHarness> {
  return ProxyHarness.open({ options: { origin: ORIGIN } });
}

afterEach(async () => {
  await releaseHarnesses();
});

/** The error `work` rejects with (fails the test when it resolves). */
async function refusal(work: Promise<unknown>): Promise<ProxyError> {
  const outcome = await work.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`accepted: ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(ProxyError);
  return outcome.error as ProxyError;
}

/** `count` headers `X-H<i>: v`. */
function manyHeaders(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`X-H${i}`, 'v']));
}

const CHUNK_RANGE = { field: 'chunkSize', min: 64 * KIB, max: 64 * MIB };
const CONCURRENCY_RANGE = { field: 'concurrency', min: 1, max: 16 };
const PREFETCH_RANGE = { field: 'prefetch', min: 0, max: 256 };
const HEADER_COUNT = { field: 'headers', unit: 'headers', min: 0, max: 64 };
const HEADER_BYTES = { field: 'headers', unit: 'bytes', min: 0, max: 16 * KIB };
const KEY_RANGE = { field: 'cacheKey', unit: 'characters', min: 1, max: 2048 };

/** `[what, options, details of the refusal]`. */
type OptionCase = [string, unknown, Record<string, unknown>];

const BAD_OPTIONS: OptionCase[] = [
  ['chunkSize 1000', { chunkSize: 1000 }, CHUNK_RANGE],
  ['chunkSize 64 KiB - 1', { chunkSize: 64 * KIB - 1 }, CHUNK_RANGE],
  ['chunkSize 64 MiB + 1', { chunkSize: 64 * MIB + 1 }, CHUNK_RANGE],
  ['chunkSize 0', { chunkSize: 0 }, CHUNK_RANGE],
  ['chunkSize -65536', { chunkSize: -64 * KIB }, CHUNK_RANGE],
  ['chunkSize fractional', { chunkSize: 64 * KIB + 0.5 }, CHUNK_RANGE],
  ['chunkSize NaN', { chunkSize: Number.NaN }, CHUNK_RANGE],
  ['chunkSize Infinity', { chunkSize: Number.POSITIVE_INFINITY }, CHUNK_RANGE],
  ['chunkSize a string', { chunkSize: '65536' }, CHUNK_RANGE],
  ['concurrency 0', { concurrency: 0 }, CONCURRENCY_RANGE],
  ['concurrency 17', { concurrency: 17 }, CONCURRENCY_RANGE],
  ['concurrency 2.5', { concurrency: 2.5 }, CONCURRENCY_RANGE],
  ['concurrency a string', { concurrency: '4' }, CONCURRENCY_RANGE],
  ['prefetch -1', { prefetch: -1 }, PREFETCH_RANGE],
  ['prefetch 257', { prefetch: 257 }, PREFETCH_RANGE],
  ['prefetch 1.5', { prefetch: 1.5 }, PREFETCH_RANGE],
  ['prefetch null', { prefetch: null }, PREFETCH_RANGE],
  ['65 headers', { headers: manyHeaders(65) }, HEADER_COUNT],
  ['16 KiB + 1 of headers', { headers: { 'X-Big': 'v'.repeat(16 * KIB - 5 + 1) } }, HEADER_BYTES],
  ['headers a string', { headers: 'Authorization: x' }, { field: 'headers' }],
  ['headers an array', { headers: [['Authorization', 'x']] }, { field: 'headers' }],
  ['header name with a space', { headers: { 'X A': 'v' } }, { field: 'headers', name: 'X A' }],
  ['header name empty', { headers: { '': 'v' } }, { field: 'headers', name: '' }],
  ['header name with a colon', { headers: { 'X:A': 'v' } }, { field: 'headers', name: 'X:A' }],
  ['header name not ASCII', { headers: { 'X-é': 'v' } }, { field: 'headers', name: 'X-é' }],
  [
    'header value with CRLF',
    { headers: { 'X-A': 'a\r\nX-B: b' } },
    { field: 'headers', name: 'X-A' },
  ],
  ['header value with NUL', { headers: { 'X-A': 'a\u0000' } }, { field: 'headers', name: 'X-A' }],
  [
    'header value past Latin-1',
    { headers: { 'X-A': '\u0100' } },
    { field: 'headers', name: 'X-A' },
  ],
  ['header value a number', { headers: { 'X-A': 1 } }, { field: 'headers', name: 'X-A' }],
  ['header Range (ours)', { headers: { Range: 'bytes=0-' } }, { field: 'headers', name: 'Range' }],
  [
    'header If-Range (ours)',
    { headers: { 'If-Range': '"e"' } },
    { field: 'headers', name: 'If-Range' },
  ],
  [
    'header Cookie (forbidden)',
    { headers: { Cookie: 'a=b' } },
    { field: 'headers', name: 'Cookie' },
  ],
  ['header Host (forbidden)', { headers: { Host: 'x.test' } }, { field: 'headers', name: 'Host' }],
  [
    'header Sec-* (forbidden)',
    { headers: { 'Sec-Fetch-Mode': 'x' } },
    { field: 'headers', name: 'Sec-Fetch-Mode' },
  ],
  [
    'header Proxy-* (forbidden)',
    { headers: { 'Proxy-Authorization': 'x' } },
    { field: 'headers', name: 'Proxy-Authorization' },
  ],
  [
    'header twice in two cases',
    { headers: { 'X-A': '1', 'x-a': '2' } },
    { field: 'headers', name: 'x-a' },
  ],
  ['cacheKey empty', { cacheKey: '' }, KEY_RANGE],
  ['cacheKey 2049 characters', { cacheKey: 'k'.repeat(2049) }, KEY_RANGE],
  ['cacheKey a number', { cacheKey: 42 }, KEY_RANGE],
  ['persistHeaders a string', { persistHeaders: 'yes' }, { field: 'persistHeaders' }],
  ['options a string', 'chunkSize=65536', { field: 'options' }],
];

/** `[what, options]` at the edges of every range: accepted. */
const GOOD_OPTIONS: [string, SessionOptions][] = [
  ['nothing', {}],
  ['chunkSize 64 KiB', { chunkSize: 64 * KIB }],
  ['chunkSize 64 MiB', { chunkSize: 64 * MIB }],
  ['concurrency 1', { concurrency: 1 }],
  ['concurrency 16', { concurrency: 16 }],
  ['prefetch 0', { prefetch: 0 }],
  ['prefetch 256', { prefetch: 256 }],
  ['64 headers', { headers: manyHeaders(64) }],
  ['16 KiB of headers', { headers: { 'X-Big': 'v'.repeat(16 * KIB - 5) } }],
  ['header value with a tab and Latin-1', { headers: { 'X-A': 'a\tb\u00e9' } }],
  ['cacheKey 1 character', { cacheKey: 'k' }],
  ['cacheKey 2048 characters', { cacheKey: 'k'.repeat(2048) }],
  ['persistHeaders true', { headers: { Authorization: 'Bearer t' }, persistHeaders: true }],
];

const SCHEMES = { field: 'url', allowed: ['http:', 'https:'] };
const URL_LENGTH = { field: 'url', unit: 'characters', min: 1, max: 8192 };

/** `[what, url, details of the refusal]`. */
const BAD_URLS: [string, unknown, Record<string, unknown>][] = [
  ['not a URL', 'not a url', { field: 'url' }],
  ['relative', '/media/film.mp4', { field: 'url' }],
  ['empty', '', URL_LENGTH],
  ['not a string', 42, URL_LENGTH],
  ['javascript:', 'javascript:alert(1)', SCHEMES],
  ['data:', 'data:video/mp4;base64,AAAA', SCHEMES],
  ['file:', 'file:///etc/passwd', SCHEMES],
  ['ftp:', 'ftp://ftp.test/film.mp4', SCHEMES],
  ['blob:', 'blob:https://app.test/0b7c6e1e-5b8a-4c55-9a43-1d3f4c0a2b1e', SCHEMES],
  ['ws:', 'ws://cdn.test/film.mp4', SCHEMES],
  ['credentials in the URL', 'https://user:pass@cdn.test/film.mp4', { field: 'url' }],
  ['longer than 8 KiB', `https://cdn.test/${'a'.repeat(8 * KIB)}`, URL_LENGTH],
  ['our own stream URL', `${ORIGIN}/stream/0b7c6e1e`, { field: 'url', streamPrefix: '/stream/' }],
  ['our own stream prefix', `${ORIGIN}/stream/`, { field: 'url', streamPrefix: '/stream/' }],
  [
    'our own stream URL, port spelled',
    'https://APP.test:443/stream/x',
    { field: 'url', streamPrefix: '/stream/' },
  ],
  [
    'our own stream URL, dot segments',
    `${ORIGIN}/media/../stream/x`,
    { field: 'url', streamPrefix: '/stream/' },
  ],
];

const GOOD_URLS: [string, string][] = [
  ['https', URL_OK],
  ['http', 'http://cdn.test/film.mp4'],
  ['our origin, not a stream URL', `${ORIGIN}/media/film.mp4`],
  ['another origin under /stream/', 'https://cdn.test/stream/film.mp4'],
];

describe('StreamProxy bounds: session options', () => {
  it.each(BAD_OPTIONS)(
    'createSession_%s_badRequestNamingFieldAndRange',
    async (_, options, details) => {
      const h = await open();
      const error = await refusal(h.proxy.createSession(URL_OK, options as SessionOptions));
      expect(error.code).toBe('bad-request');
      expect(error.httpStatus).toBe(400);
      expect(error.details).toEqual(details);
      expect(error.message).toContain(String(details.field));
      if ('max' in details) {
        expect(error.message).toContain(String(details.min));
        expect(error.message).toContain(String(details.max));
      }
    },
  );

  it.each(GOOD_OPTIONS)('createSession_%s_accepted', async (_, options) => {
    const h = await open();
    const session = await h.proxy.createSession(URL_OK, options);
    expect(session.upstreamUrl).toBe(URL_OK);
  });

  it.each(BAD_OPTIONS)('downloadMessage_%s_sameRefusal', async (_, options, details) => {
    const h = await open();
    const error = await refusal(
      h.proxy.handleMessage({
        type: 'download',
        target: { url: URL_OK },
        options: options as SessionOptions,
        jobId: 'job-1',
      }),
    );
    expect(error).toMatchObject({ code: 'bad-request', details });
  });
});

describe('StreamProxy bounds: upstream URLs (only http: and https:, never our own streams)', () => {
  it.each(BAD_URLS)('createSession_%s_badRequest', async (_, url, details) => {
    const h = await open();
    const error = await refusal(h.proxy.createSession(url as string));
    expect(error.code).toBe('bad-request');
    expect(error.details).toEqual(details);
    expect(error.message).toContain('url');
  });

  it.each(GOOD_URLS)('createSession_%s_accepted', async (_, url) => {
    const h = await open();
    expect((await h.proxy.createSession(url)).upstreamUrl).toBe(url);
  });

  // A download's target is `{ url }` (checked as a session's URL) or `{ sessionId }`.
  const BAD_DOWNLOAD_URLS = BAD_URLS.filter(([, url]) => typeof url === 'string');
  it.each(BAD_DOWNLOAD_URLS)('downloadOfUrl_%s_badRequest', async (_, url, details) => {
    const h = await open();
    const target = url as string;
    const error = await refusal(
      h.proxy.handleMessage({
        type: 'download',
        target: { url: target },
        options: {},
        jobId: 'job-1',
      }),
    );
    expect(error).toMatchObject({ code: 'bad-request', details });
  });
});

describe('StreamProxy bounds: other page input', () => {
  const BUDGET = { field: 'bytes', min: 0, max: Number.MAX_SAFE_INTEGER };
  it.each<[string, unknown]>([
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', Number.NaN],
    ['2^53', 2 ** 53],
    ['a string', '1000000'],
  ])('setBudget_%s_badRequestNamingFieldAndRange', async (_, bytes) => {
    const h = await open();
    const error = await refusal(
      h.proxy.handleMessage({ type: 'setBudget', bytes: bytes as number }),
    );
    expect(error.code).toBe('bad-request');
    expect(error.details).toEqual(BUDGET);
    expect(error.message).toContain('bytes');
    expect(error.message).toContain(String(Number.MAX_SAFE_INTEGER));
  });

  it('setBudget_zero_accepted', async () => {
    const h = await open();
    expect(await h.proxy.handleMessage({ type: 'setBudget', bytes: 0 })).toMatchObject({
      configuredBudget: 0,
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['closeSession id a number', { type: 'closeSession', id: 42 }, 'id'],
    ['stats id an object', { type: 'stats', id: { id: 'x' } }, 'id'],
    ['closeSession id 1000 characters', { type: 'closeSession', id: 'i'.repeat(1000) }, 'id'],
    ['cacheDelete key a number', { type: 'cacheDelete', key: 7 }, 'key'],
    ['unpin key missing', { type: 'unpin' }, 'key'],
    ['cancelDownload jobId a number', { type: 'cancelDownload', jobId: 1 }, 'jobId'],
    [
      'download target a number',
      { type: 'download', target: 1, options: {}, jobId: 'j' },
      'target',
    ],
    [
      'download target a bare string',
      { type: 'download', target: URL_OK, options: {}, jobId: 'j' },
      'target',
    ],
    [
      'download target both url and sessionId',
      { type: 'download', target: { url: URL_OK, sessionId: 's' }, options: {}, jobId: 'j' },
      'target',
    ],
    [
      'download target url a number',
      { type: 'download', target: { url: 5 }, options: {}, jobId: 'j' },
      'target.url',
    ],
    ['method unknown', { type: 'rmrf' }, 'type'],
    [
      'download jobId a number',
      { type: 'download', target: { url: URL_OK }, options: {}, jobId: 1 },
      'jobId',
    ],
  ])('message_%s_badRequestNamingTheField', async (_, message, field) => {
    const h = await open();
    const error = await refusal(h.proxy.handleMessage(message as never));
    expect(error.code).toBe('bad-request');
    expect(error.details.field).toBe(field);
  });
});
