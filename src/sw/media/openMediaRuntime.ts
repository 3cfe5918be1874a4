import type { MediaCache } from '../cache/MediaCache.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import { EarlyRange } from '../upstream/EarlyRange.ts';
import { probeUpstream } from '../upstream/probeUpstream.ts';
import type { Upstream } from '../upstream/UpstreamInfo.ts';
import { MediaRuntime, type MediaSettings } from './MediaRuntime.ts';

/**
 * Build the runtime of media `key`: probe the upstream, then reconcile with what is stored. A
 * stored media whose size or validators changed loses its chunks before anything is served; one
 * that still matches is reused chunk for chunk (this is what survives worker and browser
 * restarts). When the upstream is unreachable but the media is known, the runtime serves what
 * is stored (offline).
 */
export async function openMediaRuntime(
  key: string,
  upstream: Upstream,
  cache: MediaCache,
  settings: MediaSettings,
): Promise<MediaRuntime> {
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
      const info = {
        size: known.size,
        contentType: known.contentType,
        etag: known.etag,
        lastModified: known.lastModified,
        contentRangeVisible: known.validation === 'strong',
        validation: known.validation,
      };
      const s = { ...settings, chunkSize: known.chunkSize };
      return new MediaRuntime(
        key,
        cache,
        upstream,
        info,
        s,
        'parallel',
        null,
        known.stored,
        null,
        null,
        true,
      );
    }
    throw error;
  }
  if (probe.mode === 'single') {
    early?.abort(new DOMException('single mode', 'AbortError'));
    const single = new MediaRuntime(
      key,
      cache,
      upstream,
      null,
      settings,
      'single',
      probe.reason,
      null,
      probe.size,
      probe.contentType,
    );
    single.opaque = probe.opaque;
    return single;
  }
  const chunkSize = known?.chunkSize ?? settings.chunkSize;
  const record = await cache.describeMedia({
    key,
    url: upstream.url,
    size: probe.info.size,
    contentType: probe.info.contentType,
    etag: probe.info.etag,
    lastModified: probe.info.lastModified,
    chunkSize,
    validation: probe.info.validation,
  });
  const runtime = new MediaRuntime(
    key,
    cache,
    upstream,
    probe.info,
    { ...settings, chunkSize },
    'parallel',
    null,
    record.stored,
  );
  if (early && chunkSize === settings.chunkSize) runtime.offerEarly(early);
  else early?.abort(new DOMException('not needed', 'AbortError'));
  return runtime;
}
