import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../../src/sw/errors/ProxyError.ts';
import { errorResponse } from '../../../../src/sw/http/errorResponse.ts';

describe('errorResponse', () => {
  it('proxyError_isJsonWithCodeMessageAndDetails_atItsStatus', async () => {
    const response = errorResponse(new ProxyError('session-not-found', { id: 'abc' }));
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toEqual({
      error: 'session-not-found',
      message: 'No session with this id: create one with proxy.createSession(url) first.',
      id: 'abc',
    });
  });

  it('upstreamStatus404_answers404', async () => {
    const response = errorResponse(new ProxyError('upstream-status', { status: 404 }, 'Gone.'));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'upstream-status',
      message: 'The upstream answered with an error status. Gone.',
      status: 404,
    });
  });

  it('upstreamStatus401_passedOnWithAChallenge', async () => {
    // RFC 9110 §15.5.2: a 401 carries WWW-Authenticate. The page answers ours by creating the
    // session again with credentials the upstream takes.
    const response = errorResponse(new ProxyError('upstream-status', { status: 401 }));
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Chunkwise-Session');
    expect(await response.json()).toMatchObject({ error: 'upstream-status', status: 401 });
  });

  it('upstreamStatus405_502WithTheUpstreamsStatus_noAllowOfTheUpstreams', async () => {
    const response = errorResponse(new ProxyError('upstream-status', { status: 405 }));
    expect(response.status).toBe(502);
    expect(response.headers.get('Allow')).toBeNull();
    expect(await response.json()).toMatchObject({ error: 'upstream-status', status: 405 });
  });

  it('upstreamStatus503_answers502', () => {
    expect(errorResponse(new ProxyError('upstream-status', { status: 503 })).status).toBe(502);
  });

  it('offlineMissing_answers504_withTheMissingRange', async () => {
    const response = errorResponse(
      new ProxyError('offline-missing', { missing: { start: 100, end: 199 } }),
    );
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({
      error: 'offline-missing',
      missing: { start: 100, end: 199 },
    });
  });

  it('detailsNamedErrorOrMessage_cannotOverrideCodeAndMessage', async () => {
    const response = errorResponse(
      new ProxyError('bad-request', { error: 'spoofed', message: 'spoofed' }),
    );
    expect(await response.json()).toEqual({
      error: 'bad-request',
      message: 'The request to the proxy was malformed.',
    });
  });

  it('plainError_answers500_internal_withNameAndMessage', async () => {
    const response = errorResponse(new TypeError('boom'));
    expect(response.status).toBe(500);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(await response.json()).toEqual({ error: 'internal', message: 'TypeError: boom' });
  });

  it('thrownNonError_answers500_withItsString', async () => {
    const response = errorResponse('just a string');
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal', message: 'just a string' });
  });
});
