import type { MediaCache } from '../cache/MediaCache.ts';
import { sameContent } from '../cache/sameContent.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import { checkMediaSize } from '../http/checkMediaSize.ts';
import type { MediaMeta } from '../store/ChunkStore.ts';
import { EarlyRange } from '../upstream/EarlyRange.ts';
import { type ProbeResult, probeUpstream } from '../upstream/probeUpstream.ts';
import type { Upstream } from '../upstream/UpstreamInfo.ts';
import type { Media } from './Media.ts';
import { ParallelMedia, type ParallelSettings } from './ParallelMedia.ts';
import { type OfflinePolicy, type ProbeOutcome, probeVerdict } from './probeVerdict.ts';
import { SingleMedia } from './SingleMedia.ts';
import type { UpstreamSpeeds } from './UpstreamSpeeds.ts';

/**
 * Open media `key`: probe the upstream, then reconcile with what is stored. A stored media whose
 * size or validators changed loses its chunks before anything is served (the cache decides,
 * `sameContent`); one that still matches is reused chunk for chunk (this is what survives worker
 * and browser restarts). When the upstream is unreachable but the media is known, it serves what
 * is stored (offline).
 */
export async function openMedia(
  key: string,
  upstream: Upstream,
  cache: MediaCache,
  settings: ParallelSettings,
  policy: OfflinePolicy,
  /** The runtime's speed records of upstream origins, shared by the media it opens. */
  speeds: UpstreamSpeeds,
): Promise<Media> {
  const known = cache.getMedia(key);
  // A media seen for the first time is about to be read from its start: ask for chunk 0 while
  // the probe is on its way (validated against the probe before use, aborted if unused).
  const early = known ? null : new EarlyRange(upstream, 0, settings.chunkSize - 1);
  let outcome: ProbeOutcome;
  try {
    outcome = { ok: true, result: await probeUpstream(upstream) };
  } catch (error) {
    early?.abort(error);
    outcome = { ok: false, error };
  }
  const verdict = probeVerdict(known, outcome, policy);
  if (verdict === 'fail') throw (outcome as { error: unknown }).error;
  if (verdict === 'stored' && known) {
    early?.abort(new DOMException('serving what is stored', 'AbortError'));
    return storedMedia(key, known, upstream, cache, settings, outcome, speeds);
  }
  const probe = (outcome as { result: ProbeResult }).result;
  try {
    // An upstream may claim any size: a bitmap of 2^50 / chunkSize bits must never be built.
    if (probe.mode === 'parallel')
      checkMediaSize(probe.info.size, known?.chunkSize ?? settings.chunkSize);
    else if (probe.size !== null) checkMediaSize(probe.size);
  } catch (error) {
    early?.abort(error);
    throw error;
  }
  if (probe.mode === 'single') {
    early?.abort(new DOMException('single mode', 'AbortError'));
    return new SingleMedia(
      key,
      upstream,
      probe.reason,
      probe.size,
      probe.contentType,
      probe.opaque,
      {
        etag: probe.etag,
        lastModified: probe.lastModified,
      },
    );
  }
  const chunkSize = known?.chunkSize ?? settings.chunkSize;
  // Another URL under a stored key with other content: a second file under one key, not a new
  // version of the first (that would wipe it). The same URL with new content is a change.
  if (known && known.url !== upstream.url && !sameContent(known, { ...probe.info, chunkSize })) {
    early?.abort(new DOMException('cache key conflict', 'AbortError'));
    throw new ProxyError(
      'cache-key-conflict',
      { key },
      `The cache key ${key} holds ${known.size} bytes from ${known.url}; this URL serves ${probe.info.size} bytes of other content.`,
    );
  }
  const { meta } = await cache.describeMedia({
    key,
    url: upstream.url,
    size: probe.info.size,
    contentType: probe.info.contentType,
    etag: probe.info.etag,
    lastModified: probe.info.lastModified,
    chunkSize,
    validation: probe.info.validation,
  });
  const media = new ParallelMedia({
    key,
    version: meta.version,
    info: probe.info,
    upstream,
    settings: { ...settings, chunkSize },
    cache,
    speeds,
  });
  if (early && chunkSize === settings.chunkSize) media.offerEarly(early);
  else early?.abort(new DOMException('not needed', 'AbortError'));
  return media;
}

/**
 * The media as stored, served without the upstream's word (see `probeVerdict`): network errors
 * fail fast, holes answer 504 `offline-missing`, and the next open probes again.
 */
function storedMedia(
  key: string,
  known: MediaMeta,
  upstream: Upstream,
  cache: MediaCache,
  settings: ParallelSettings,
  outcome: ProbeOutcome,
  speeds: UpstreamSpeeds,
): ParallelMedia {
  const media = new ParallelMedia({
    key,
    version: known.version,
    info: {
      size: known.size,
      contentType: known.contentType,
      etag: known.etag,
      lastModified: known.lastModified,
      // Only `length-only` means Content-Range was hidden: `none` checked it without validators.
      contentRangeVisible: known.validation !== 'length-only',
      validation: known.validation,
    },
    upstream,
    settings: { ...settings, chunkSize: known.chunkSize },
    cache,
    offline: true,
    speeds,
  });
  media.counters.lastError = outcome.ok
    ? `upstream answer is not the stored media (${outcome.result.mode === 'single' ? outcome.result.reason : 'size changed without validators'}): serving what is stored`
    : `upstream refused (${(outcome.error as Error).message}): serving what is stored`;
  return media;
}
