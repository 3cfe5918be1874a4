import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../../src/sw/errors/ProxyError.ts';
import { resolveRedactedKey } from '../../../../src/sw/http/resolveRedactedKey.ts';

describe('resolveRedactedKey: a key as cache.list() showed it, back to the stored key', () => {
  const KEYS = ['https://a.test/x?s=1', 'https://a.test/x', 'film-42', 'https://b.test/y?t=2'];

  it.each<[string, string]>([
    ['https://a.test/x', 'https://a.test/x'], // an exact key wins over a redacted match
    ['https://a.test/x?s=1', 'https://a.test/x?s=1'],
    ['film-42', 'film-42'],
    ['https://b.test/y', 'https://b.test/y?t=2'],
    ['https://c.test/none', 'https://c.test/none'], // unknown: left for the caller to refuse
  ])('%s_resolvesTo_%s', (given, key) => {
    expect(resolveRedactedKey(given, KEYS)).toBe(key);
  });

  it('twoKeysRedactToTheGivenOne_badRequestAskingForRevealUrls', () => {
    let error: unknown = null;
    try {
      resolveRedactedKey('https://b.test/y', ['https://b.test/y?t=1', 'https://b.test/y?t=2']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ code: 'bad-request', details: { field: 'key', matches: 2 } });
    expect((error as Error).message).toMatch(/revealUrls/);
  });
});
