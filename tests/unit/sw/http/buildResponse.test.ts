import { describe, expect, it } from 'vitest';
import {
  buildResponse,
  type RepresentationMeta,
  rangeBounds,
} from '../../../../src/sw/http/buildResponse.ts';
import type { RangeRequest } from '../../../../src/sw/http/parseRange.ts';
import { servedContentType } from '../../../../src/sw/http/servedContentType.ts';

const meta: RepresentationMeta = { size: 10, contentType: 'video/mp4' };
const bytes = (text: string) => new Blob([new TextEncoder().encode(text)]);

/** Every header of `response`, lower-cased names, for an exact comparison. */
function headersOf(response: Response): Record<string, string> {
  return Object.fromEntries(response.headers.entries());
}

describe('buildResponse: 200 for a full range', () => {
  it('fullGet_is200WithWholeBodyAndLength', async () => {
    const response = buildResponse({ kind: 'full' }, meta, bytes('0123456789'), 'GET');
    expect(response.status).toBe(200);
    expect(response.statusText).toBe('OK');
    expect(headersOf(response)).toEqual({
      'accept-ranges': 'bytes',
      'cache-control': 'no-store',
      'content-length': '10',
      'content-security-policy': 'sandbox',
      'content-type': 'video/mp4',
      'x-content-type-options': 'nosniff',
    });
    expect(await response.text()).toBe('0123456789');
  });

  it('unknownContentType_defaultsToOctetStream', () => {
    const response = buildResponse(
      { kind: 'full' },
      { size: 3, contentType: null },
      bytes('abc'),
      'GET',
    );
    expect(response.headers.get('Content-Type')).toBe('application/octet-stream');
  });

  it('emptyRepresentation_is200WithLengthZero', async () => {
    const response = buildResponse({ kind: 'full' }, { size: 0, contentType: null }, null, 'GET');
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Length')).toBe('0');
    expect(await response.text()).toBe('');
  });

  it('streamBody_isPassedThrough', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('01234'));
        controller.enqueue(new TextEncoder().encode('56789'));
        controller.close();
      },
    });
    const response = buildResponse({ kind: 'full' }, meta, stream, 'GET');
    expect(await response.text()).toBe('0123456789');
  });
});

describe('buildResponse: 206 for a partial range', () => {
  it('partialGet_is206WithExactContentRangeAndLength', async () => {
    const response = buildResponse(
      { kind: 'partial', start: 2, end: 5 },
      meta,
      bytes('2345'),
      'GET',
    );
    expect(response.status).toBe(206);
    expect(response.statusText).toBe('Partial Content');
    expect(headersOf(response)).toEqual({
      'accept-ranges': 'bytes',
      'cache-control': 'no-store',
      'content-length': '4',
      'content-range': 'bytes 2-5/10',
      'content-security-policy': 'sandbox',
      'content-type': 'video/mp4',
      'x-content-type-options': 'nosniff',
    });
    expect(await response.text()).toBe('2345');
  });

  it('oneBytePartial_hasLengthOne', () => {
    const response = buildResponse({ kind: 'partial', start: 0, end: 0 }, meta, bytes('0'), 'GET');
    expect(response.headers.get('Content-Range')).toBe('bytes 0-0/10');
    expect(response.headers.get('Content-Length')).toBe('1');
  });

  it('lastByte_hasContentRangeEndingAtSizeMinusOne', () => {
    const response = buildResponse({ kind: 'partial', start: 9, end: 9 }, meta, bytes('9'), 'GET');
    expect(response.headers.get('Content-Range')).toBe('bytes 9-9/10');
    expect(response.headers.get('Content-Length')).toBe('1');
  });
});

describe('buildResponse: 416 for an unsatisfiable range', () => {
  it('unsatisfiable_is416WithStarContentRangeAndNoBody', async () => {
    const response = buildResponse({ kind: 'unsatisfiable' }, meta, bytes('ignored'), 'GET');
    expect(response.status).toBe(416);
    expect(response.statusText).toBe('Range Not Satisfiable');
    expect(headersOf(response)).toEqual({
      'accept-ranges': 'bytes',
      'cache-control': 'no-store',
      'content-length': '0',
      'content-range': 'bytes */10',
      'content-security-policy': 'sandbox',
      'content-type': 'video/mp4',
      'x-content-type-options': 'nosniff',
    });
    expect(response.body).toBeNull();
    expect(await response.text()).toBe('');
  });
});

describe('buildResponse: validators', () => {
  it('etagAndLastModified_areSentWhenKnown', () => {
    const response = buildResponse(
      { kind: 'full' },
      { ...meta, etag: '"v1"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' },
      null,
      'HEAD',
    );
    expect(response.headers.get('ETag')).toBe('"v1"');
    expect(response.headers.get('Last-Modified')).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
  });

  it('nullValidators_areOmitted', () => {
    const response = buildResponse(
      { kind: 'full' },
      { ...meta, etag: null, lastModified: null },
      null,
      'HEAD',
    );
    expect(response.headers.has('ETag')).toBe(false);
    expect(response.headers.has('Last-Modified')).toBe(false);
  });
});

describe('buildResponse: HEAD', () => {
  it.each<[string, RangeRequest, number, Record<string, string>]>([
    ['full', { kind: 'full' }, 200, { 'content-length': '10' }],
    [
      'partial',
      { kind: 'partial', start: 1, end: 3 },
      206,
      { 'content-length': '3', 'content-range': 'bytes 1-3/10' },
    ],
    [
      'unsatisfiable',
      { kind: 'unsatisfiable' },
      416,
      { 'content-length': '0', 'content-range': 'bytes */10' },
    ],
  ])('head_%s_dropsBodyKeepsHeaders', async (_name, range, status, expected) => {
    const response = buildResponse(range, meta, bytes('0123456789'), 'HEAD');
    expect(response.status).toBe(status);
    expect(response.body).toBeNull();
    expect(await response.text()).toBe('');
    expect(headersOf(response)).toMatchObject(expected);
  });
});

describe('rangeBounds', () => {
  it.each<[string, RangeRequest, number, { start: number; end: number } | null]>([
    ['partial_isItsOwnBounds', { kind: 'partial', start: 3, end: 7 }, 10, { start: 3, end: 7 }],
    ['full_isWholeBody', { kind: 'full' }, 10, { start: 0, end: 9 }],
    ['fullOfOneByte_isByteZero', { kind: 'full' }, 1, { start: 0, end: 0 }],
    ['fullOfEmptyBody_isNull', { kind: 'full' }, 0, null],
    ['unsatisfiable_isNull', { kind: 'unsatisfiable' }, 10, null],
  ])('%s', (_name, range, size, expected) => {
    expect(rangeBounds(range, size)).toEqual(expected);
  });
});

describe('buildResponse: never a document on the app origin', () => {
  it.each([
    ['text/html', 'application/octet-stream'],
    ['text/html; charset=utf-8', 'application/octet-stream'],
    ['image/svg+xml', 'application/octet-stream'],
    ['application/javascript', 'application/octet-stream'],
    ['video/mp4', 'video/mp4'],
    ['video/webm; codecs="vp9,opus"', 'video/webm; codecs="vp9,opus"'],
    ['audio/mpeg', 'audio/mpeg'],
    ['application/octet-stream', 'application/octet-stream'],
    ['application/vnd.apple.mpegurl', 'application/vnd.apple.mpegurl'],
    // Two Content-Type fields joined by fetch: not one media type (a browser reads the last).
    ['video/mp4, text/html', 'video/mp4'],
    ['video/mp4;a=b, text/html', 'video/mp4'],
    ['text/html, video/mp4', 'application/octet-stream'],
    ['video/mp4; codecs="avc1.42E01E, mp4a.40.2"', 'video/mp4; codecs="avc1.42E01E, mp4a.40.2"'],
    ['video/mp4;;profiles=isom', 'video/mp4;;profiles=isom'],
    ['video/mp4; codecs="unterminated', 'video/mp4'],
    ['video/mp4; a="q\\"x, y"; b=c', 'video/mp4; a="q\\"x, y"; b=c'],
    ['video/mp4; a = b', 'video/mp4'],
  ])('upstreamType %s_servedAs %s', (upstream, served) => {
    const response = buildResponse(
      { kind: 'full' },
      { size: 1, contentType: upstream },
      null,
      'GET',
    );
    expect(response.headers.get('Content-Type')).toBe(served);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Content-Security-Policy')).toBe('sandbox');
  });

  it('navigation_answeredAsAttachment', () => {
    const response = buildResponse({ kind: 'full' }, { ...meta, download: true }, null, 'GET');
    expect(response.headers.get('Content-Disposition')).toBe('attachment');
    expect(
      buildResponse({ kind: 'full' }, meta, null, 'GET').headers.get('Content-Disposition'),
    ).toBeNull();
  });
});

describe('servedContentType: values built to make a pattern backtrack', () => {
  // The upstream controls Content-Type: each of these is answered (a pattern that backtracks
  // exponentially would not come back from the first one).
  it.each<[string, string]>([
    ['spacedSemicolonsThenJunk', `video/mp4${' ; '.repeat(150)}x`],
    ['spacedSemicolonsThenQuote', `video/mp4${' ; '.repeat(150)}"`],
    ['manySemicolonsThenQuote', `video/mp4${'; ;'.repeat(30_000)}"`],
    ['longSpacesThenJunk', `video/mp4;${' '.repeat(50_000)}x`],
  ])('%s_servedAsTheBareMediaType', (_name, upstream) => {
    expect(servedContentType(upstream)).toBe('video/mp4');
  });
});
