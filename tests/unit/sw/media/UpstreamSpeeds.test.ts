import { describe, expect, it } from 'vitest';
import { UpstreamSpeeds } from '../../../../src/sw/media/UpstreamSpeeds.ts';

/** Record `n` downloads of 1000 bytes in 10 ms each on `url`'s record. */
function measure(speeds: UpstreamSpeeds, url: string, n = 4): void {
  for (let i = 0; i < n; i++) speeds.of(url).record(1000, 10);
}

describe('UpstreamSpeeds', () => {
  it('oneOrigin_anyPathOrQuery_oneRecord', () => {
    const speeds = new UpstreamSpeeds();
    measure(speeds, 'https://cdn.test/a.mp4');
    expect(speeds.of('https://cdn.test/other/b.webm?sig=1').expectedMs(1000)).toBe(10);
    expect(speeds.of('https://cdn.test:443/c').expectedMs(1000)).toBe(10);
  });

  it.each([
    ['another host', 'https://other.test/a.mp4'],
    ['another port', 'https://cdn.test:8443/a.mp4'],
    ['another scheme', 'http://cdn.test/a.mp4'],
  ])('%s_unmeasured', (_, url) => {
    const speeds = new UpstreamSpeeds();
    measure(speeds, 'https://cdn.test/a.mp4');
    expect(speeds.of(url).expectedMs(1000)).toBeNull();
  });

  it('forgetOnOneMedia_forgetsForTheOrigin', () => {
    const speeds = new UpstreamSpeeds();
    measure(speeds, 'https://cdn.test/a.mp4');
    speeds.of('https://cdn.test/b.mp4').forget();
    expect(speeds.of('https://cdn.test/a.mp4').expectedMs(1000)).toBeNull();
  });

  it('urlsWithoutAnOrigin_recordsNotKept', () => {
    const speeds = new UpstreamSpeeds(1);
    measure(speeds, 'https://cdn.test/a.mp4');
    measure(speeds, 'data:video/mp4,aaaa');
    measure(speeds, 'not a url');
    expect(speeds.of('data:video/mp4,aaaa').expectedMs(1000)).toBeNull();
    expect(speeds.of('not a url').expectedMs(1000)).toBeNull();
    // Nor did they take the one place of the bound.
    expect(speeds.of('https://cdn.test/b.mp4').expectedMs(1000)).toBe(10);
  });

  it('pastTheBound_theOriginUsedLongestAgoGoesFirst', () => {
    const speeds = new UpstreamSpeeds(2);
    measure(speeds, 'https://a.test/');
    measure(speeds, 'https://b.test/');
    speeds.of('https://a.test/x'); // a used again: b is now the oldest
    measure(speeds, 'https://c.test/');
    expect(speeds.of('https://a.test/').expectedMs(1000)).toBe(10);
    expect(speeds.of('https://b.test/').expectedMs(1000)).toBeNull();
  });
});
