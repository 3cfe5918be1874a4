import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../../src/sw/errors/ProxyError.ts';
import { toReplyError } from '../../../../src/sw/errors/toReplyError.ts';

describe('toReplyError: what the page is told about a failed request', () => {
  it.each<[string, unknown, string]>([
    [
      'QuotaExceededError (legacy code 22)',
      new DOMException('full', 'QuotaExceededError'),
      'QuotaExceededError',
    ],
    ['AbortError (legacy code 20)', new DOMException('stop', 'AbortError'), 'AbortError'],
    ['DataError (legacy code 0)', new DOMException('bad', 'DataError'), 'DataError'],
    [
      'InvalidStateError (legacy code 11)',
      new DOMException('x', 'InvalidStateError'),
      'InvalidStateError',
    ],
    ['TypeError', new TypeError('Failed to fetch'), 'TypeError'],
    ['an error with a numeric code', Object.assign(new Error('x'), { code: 7 }), 'internal'],
    [
      'an internal error class',
      Object.assign(new Error('x'), { name: 'StaleWriteError' }),
      'internal',
    ],
    ['a string', 'boom', 'internal'],
    ['undefined', undefined, 'internal'],
  ])('%s_codeIsItsName', (_, error, code) => {
    const reply = toReplyError(error, false);
    expect(reply.code).toBe(code);
    expect(typeof reply.code).toBe('string');
  });

  it('proxyError_codeMessageAndDetails', () => {
    const error = new ProxyError('bad-request', { field: 'chunkSize', min: 1, max: 2 }, 'No.');
    expect(toReplyError(error, false)).toEqual({
      code: 'bad-request',
      name: 'ProxyError',
      message: 'The request to the proxy was malformed. No.',
      details: { field: 'chunkSize', min: 1, max: 2 },
    });
  });

  it('urlsInMessageAndDetails_queryStripped_unlessRevealed', () => {
    const error = new ProxyError(
      'upstream-status',
      { status: 403, url: 'https://a.test/x?sig=S' },
      'Probe of https://a.test/x?sig=S got 403.',
    );
    expect(JSON.stringify(toReplyError(error, false))).not.toContain('sig=S');
    expect(toReplyError(error, false).message).toContain('https://a.test/x got 403');
    expect(JSON.stringify(toReplyError(error, true))).toContain('sig=S');
  });
});
