/**
 * Media-ish types a stream may be served as; anything else (an upstream's `text/html`, `image/svg+
 * xml`, script types) is served as `application/octet-stream`, so a response of ours can never be
 * rendered as a document or script on the app's origin.
 */
const MEDIA_TYPE =
  /^(video|audio)\/[\w.+-]+$|^application\/(octet-stream|mp4|ogg|dash\+xml|vnd\.apple\.mpegurl|x-mpegurl)$/i;

/** The `Content-Type` a stream response carries for an upstream type. Pure. */
export function servedContentType(upstream: string | null): string {
  const essence = upstream?.split(';', 1)[0]?.trim() ?? '';
  return MEDIA_TYPE.test(essence) ? (upstream as string).trim() : 'application/octet-stream';
}
