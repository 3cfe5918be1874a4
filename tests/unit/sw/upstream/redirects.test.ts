/**
 * A chunk answered through a redirect (fetch follows it itself: `response.redirected`, and
 * `response.url` says where the bytes came from) is validated exactly like any other answer, and
 * the redirect is reported (README "Redirects").
 */
import { describe, expect, it } from 'vitest';
import { fetchChunk } from '../../../../src/sw/upstream/fetchChunk.ts';
import { fakeUpstream } from '../support/fakeUpstream.ts';
import { probed } from '../support/probed.ts';

const CDN = 'https://cdn.other.test/media.mp4';
const signal = () => new AbortController().signal;

describe('fetchChunk: answers through a redirect to another origin', () => {
  it('sameContent_exactBytes_redirectReportedWithItsUrl', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault({ redirectedTo: CDN });
    const redirects: string[] = [];
    const bytes = await fetchChunk(up.upstream(), probed(up), 1000, 1999, signal(), {
      onRedirect: (url) => redirects.push(url),
    });
    expect(bytes).toEqual(up.bytes(1000, 1999));
    expect(redirects).toEqual([CDN]);
  });

  it('notRedirected_nothingReported', async () => {
    const up = fakeUpstream({ size: 10_000 });
    const redirects: string[] = [];
    await fetchChunk(up.upstream(), probed(up), 0, 999, signal(), {
      onRedirect: (url) => redirects.push(url),
    });
    expect(redirects).toEqual([]);
  });

  it('otherETag_changed', async () => {
    const up = fakeUpstream().fault({ redirectedTo: CDN }).changeFrom(0, { seed: 2 });
    const result = fetchChunk(up.upstream(), probed(up), 0, 999, signal());
    await expect(result).rejects.toMatchObject({ failure: 'changed' });
  });

  it('otherTotalInContentRange_changed', async () => {
    const up = fakeUpstream().fault({
      redirectedTo: CDN,
      headers: { 'Content-Range': 'bytes 0-999/20000' },
    });
    const result = fetchChunk(up.upstream(), probed(up), 0, 999, signal());
    await expect(result).rejects.toMatchObject({ failure: 'changed' });
  });

  it('answers200_rangeIgnored', async () => {
    const up = fakeUpstream().fault({ redirectedTo: CDN, ignoreRange: true });
    const result = fetchChunk(up.upstream(), probed(up), 0, 999, signal());
    await expect(result).rejects.toMatchObject({ failure: 'range-ignored' });
  });
});
