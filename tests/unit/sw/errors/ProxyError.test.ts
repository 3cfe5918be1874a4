import { describe, expect, it } from 'vitest';
import { ProxyError, type ProxyErrorCode } from '../../../../src/sw/errors/ProxyError.ts';

describe('ProxyError.httpStatus', () => {
  it.each<[ProxyErrorCode, number]>([
    ['session-not-found', 404],
    ['bad-request', 400],
    ['upstream-unreachable', 502],
    ['upstream-invalid', 502],
    ['offline-missing', 504],
    ['content-changed', 502],
  ])('code %s_answers %i', (code, status) => {
    expect(new ProxyError(code).httpStatus).toBe(status);
  });

  it.each<[number | undefined, number]>([
    [400, 400],
    [403, 403],
    [404, 404],
    [410, 410],
    [416, 416],
    [401, 401], // with a challenge of ours (errorResponse)
    [405, 502], // its Allow would describe the upstream (GET is allowed here)
    [407, 502], // a proxy on the upstream's side asks for credentials we cannot give
    [426, 502], // its Upgrade would describe the upstream
    [499, 499],
    [500, 502],
    [503, 502],
    [599, 502],
    [304, 502],
    [undefined, 502],
  ])('upstreamStatus %s_answers %i', (upstream, status) => {
    const details = upstream === undefined ? {} : { status: upstream };
    expect(new ProxyError('upstream-status', details).httpStatus).toBe(status);
  });
});

describe('ProxyError', () => {
  it('detail_isAppendedToTheCodeMessage', () => {
    const e = new ProxyError('bad-request', {}, 'chunkSize must be a positive integer.');
    expect(e.message).toBe(
      'The request to the proxy was malformed. chunkSize must be a positive integer.',
    );
  });

  it('noDetail_isTheCodeMessageAlone', () => {
    expect(new ProxyError('content-changed').message).toBe(
      'The upstream content changed while it was being read.',
    );
  });

  it('instance_isAnErrorNamedProxyError_withCodeAndDetails', () => {
    const e = new ProxyError('session-not-found', { id: 'abc' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ProxyError');
    expect(e.code).toBe('session-not-found');
    expect(e.details).toEqual({ id: 'abc' });
  });
});
