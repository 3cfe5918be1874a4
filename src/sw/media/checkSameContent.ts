import { sameContent } from '../cache/sameContent.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import { probeUpstream } from '../upstream/probeUpstream.ts';
import type { Upstream } from '../upstream/UpstreamInfo.ts';
import type { ParallelMedia } from './ParallelMedia.ts';

/**
 * Before a second URL for a cache key may read or fill that key's chunks (a session created with
 * the same `cacheKey` but another URL, e.g. a new signed URL), probe it: the same size and no
 * contradicting validator (`sameContent`) lets it in; anything else is `cache-key-conflict` for
 * that session — never a mix of two files under one key. A probe that fails says nothing about
 * the content: its error is that session's.
 */
export async function checkSameContent(media: ParallelMedia, upstream: Upstream): Promise<void> {
  const probe = await probeUpstream(upstream);
  const known = {
    size: media.info.size,
    chunkSize: media.chunkSize,
    etag: media.info.etag,
    lastModified: media.info.lastModified,
  };
  const same =
    probe.mode === 'parallel' && sameContent(known, { ...probe.info, chunkSize: media.chunkSize });
  if (!same) {
    const found = probe.mode === 'parallel' ? `${probe.info.size} bytes` : probe.reason;
    throw new ProxyError(
      'cache-key-conflict',
      { key: media.key, size: media.info.size },
      `The cache key ${media.key} holds ${media.info.size} bytes of another content (this URL: ${found}).`,
    );
  }
}
