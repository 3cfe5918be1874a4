import type { MediaCache } from '../cache/MediaCache.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import { EarlyRange } from '../upstream/EarlyRange.ts';
import { probeUpstream } from '../upstream/probeUpstream.ts';
import type { Upstream } from '../upstream/UpstreamInfo.ts';
import type { Media } from './Media.ts';
import { ParallelMedia, type ParallelSettings } from './ParallelMedia.ts';
import { SingleMedia } from './SingleMedia.ts';

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
): Promise<Media> {
  const known = cache.getMedia(key);
  // A media seen for the first time is about to be read from its start: ask for chunk 0 while
  // the probe is on its way (validated against the probe before use, aborted if unused).
  const early = known ? null : new EarlyRange(upstream, 0, settings.chunkSize - 1);
  let probe: Awaited<ReturnType<typeof probeUpstream>>;
  try {
    probe = await probeUpstream(upstream);
  } catch (error) {
    early?.abort(error);
    if (known && error instanceof ProxyError && error.code === 'upstream-unreachable') {
      return new ParallelMedia({
        key,
        version: known.version,
        info: {
          size: known.size,
          contentType: known.contentType,
          etag: known.etag,
          lastModified: known.lastModified,
          contentRangeVisible: known.validation === 'strong',
          validation: known.validation,
        },
        upstream,
        settings: { ...settings, chunkSize: known.chunkSize },
        cache,
        offline: true,
      });
    }
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
    );
  }
  const chunkSize = known?.chunkSize ?? settings.chunkSize;
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
  });
  if (early && chunkSize === settings.chunkSize) media.offerEarly(early);
  else early?.abort(new DOMException('not needed', 'AbortError'));
  return media;
}
