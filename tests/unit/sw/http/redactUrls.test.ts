import { describe, expect, it } from 'vitest';
import { redactUrls } from '../../../../src/sw/http/redactUrls.ts';

describe('redactUrls: query strings and fragments are stripped from every URL in a text', () => {
  it.each<[string, string]>([
    ['https://a.test/x.mp4?sig=1', 'https://a.test/x.mp4'],
    ['https://a.test/x.mp4#t=10', 'https://a.test/x.mp4'],
    ['https://a.test/x.mp4?sig=1#t=10', 'https://a.test/x.mp4'],
    ['http://a.test:8081/synthetic/100?seed=3', 'http://a.test:8081/synthetic/100'],
    ['HTTPS://A.TEST/x?s=1', 'HTTPS://A.TEST/x'],
    ['Probe of https://a.test/x.mp4?sig=1&e=2 got 403.', 'Probe of https://a.test/x.mp4 got 403.'],
    ['https://a.test/x?sig=1: Failed to fetch', 'https://a.test/x: Failed to fetch'],
    ['(see https://a.test/x?s=1).', '(see https://a.test/x).'],
    ['"https://a.test/x?s=1"', '"https://a.test/x"'],
    [
      'two: https://a.test/1?a=1 and https://b.test/2?b=2',
      'two: https://a.test/1 and https://b.test/2',
    ],
  ])('%s_becomes_%s', (text, redacted) => {
    expect(redactUrls(text)).toBe(redacted);
  });

  it.each(['film-42', 'https://a.test/x.mp4', 'no url here?', 'a?b=c', ''])(
    '%s_unchanged',
    (text) => {
      expect(redactUrls(text)).toBe(text);
    },
  );

  it('deepValue_everyStringRedacted_numbersKept_inputUntouched', () => {
    const input = {
      key: 'https://a.test/x?s=1',
      nested: [{ url: 'https://b.test/y?t=2' }, 'plain'],
      size: 10,
      missing: { start: 1, end: 2 },
      pinned: false,
      none: null,
    };
    const copy = structuredClone(input);
    expect(redactUrls(input)).toEqual({
      key: 'https://a.test/x',
      nested: [{ url: 'https://b.test/y' }, 'plain'],
      size: 10,
      missing: { start: 1, end: 2 },
      pinned: false,
      none: null,
    });
    expect(input).toEqual(copy);
  });
});
