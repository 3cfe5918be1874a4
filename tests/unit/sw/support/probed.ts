import type { UpstreamInfo } from '../../../../src/sw/upstream/UpstreamInfo.ts';
import type { FakeUpstream } from './fakeUpstream.ts';

/**
 * What a probe of `up` (content version 0) learned, as `probeUpstream` would report it: at
 * `strong`, every validator readable; at `length-only`, CORS hid `Content-Range` and `ETag`.
 */
export function probed(
  up: FakeUpstream,
  validation: 'strong' | 'length-only' = 'strong',
): UpstreamInfo {
  const c = up.content();
  const strong = validation === 'strong';
  return {
    size: c.size,
    contentType: c.contentType,
    etag: strong ? c.etag : null,
    lastModified: c.lastModified,
    contentRangeVisible: strong,
    validation,
  };
}
