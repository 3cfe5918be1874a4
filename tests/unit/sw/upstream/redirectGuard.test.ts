/**
 * Headers other than Authorization never follow a redirect to another origin: a session that
 * carries them asks with `redirect: 'manual'`, and an (opaque) redirect is refused with a reason.
 */
import { describe, expect, it } from 'vitest';
import { fetchChunk } from '../../../../src/sw/upstream/fetchChunk.ts';
import { openUpstreamBody } from '../../../../src/sw/upstream/openUpstreamBody.ts';
import { probeUpstream } from '../../../../src/sw/upstream/probeUpstream.ts';
import type { UpstreamFetch } from '../../../../src/sw/upstream/UpstreamFetch.ts';
import type { Upstream, UpstreamInfo } from '../../../../src/sw/upstream/UpstreamInfo.ts';

/** An upstream that always redirects elsewhere; records the `redirect` mode it was asked with. */
function redirecting(): { fetch: UpstreamFetch; modes: (string | undefined)[] } {
  const modes: (string | undefined)[] = [];
  const fetch: UpstreamFetch = async (_url, init) => {
    modes.push(init.redirect);
    if (init.redirect === 'manual') {
      const r = new Response(null, { status: 200 });
      Object.defineProperty(r, 'type', { value: 'opaqueredirect' });
      Object.defineProperty(r, 'status', { value: 0 });
      return r;
    }
    // Followed: the other origin answers (what it did with the headers is the risk).
    return new Response(new Uint8Array(1), {
      status: 206,
      headers: { 'Content-Range': 'bytes 0-0/10' },
    });
  };
  return { fetch, modes };
}

const upstream = (fetch: UpstreamFetch, headers: Record<string, string>): Upstream => ({
  url: 'https://a.test/m',
  headers,
  fetch,
});
const info: UpstreamInfo = {
  size: 10,
  contentType: null,
  etag: null,
  lastModified: null,
  contentRangeVisible: true,
  validation: 'none',
};

describe('redirect guard', () => {
  it('apiKeyHeader_chunkRequestNotFollowed_refusedAsInvalid', async () => {
    const r = redirecting();
    const result = fetchChunk(
      upstream(r.fetch, { 'X-Api-Key': 'k' }),
      info,
      0,
      0,
      new AbortController().signal,
    );
    await expect(result).rejects.toMatchObject({ failure: 'invalid' });
    await expect(result).rejects.toThrow(/not followed/);
    expect(r.modes).toEqual(['manual']);
  });

  it('apiKeyHeader_probeAndDirectRead_upstreamInvalidWithTheReason', async () => {
    const r = redirecting();
    const up = upstream(r.fetch, { 'X-Api-Key': 'k' });
    await expect(probeUpstream(up)).rejects.toMatchObject({ code: 'upstream-invalid' });
    await expect(
      openUpstreamBody(up, { start: 0, end: 0 }, new AbortController().signal),
    ).rejects.toMatchObject({ code: 'upstream-invalid' });
  });

  it.each([[{}], [{ Authorization: 'Bearer t' }]])(
    'headers %j_redirectsFollowedAsUsual',
    async (headers) => {
      const r = redirecting();
      const bytes = await fetchChunk(
        upstream(r.fetch, headers),
        info,
        0,
        0,
        new AbortController().signal,
      );
      expect(bytes.byteLength).toBe(1);
      expect(r.modes).toEqual([undefined]);
    },
  );
});
