/**
 * Media-ish types a stream may be served as; anything else (an upstream's `text/html`, `image/svg+
 * xml`, script types) is served as `application/octet-stream`, so a response of ours can never be
 * rendered as a document or script on the app's origin.
 */
const MEDIA_TYPE =
  /^(video|audio)\/[\w.+-]+$|^application\/(octet-stream|mp4|ogg|dash\+xml|vnd\.apple\.mpegurl|x-mpegurl)$/i;

/**
 * RFC 9110 §5.6.6 parameters after a media type, any number: `; name=token` or
 * `; name="quoted string"` (a `"` or `\` inside escaped with `\`), empty ones allowed. Written
 * so that no input can be matched two ways (the spaces before a parameter belong to it, the
 * quoted string's two alternatives share no character): the upstream controls this value, and a
 * pattern that backtracks exponentially would let it stall the worker.
 */
const PARAMETERS =
  /^(?:[ \t]*;(?:[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|"(?:[^"\\]|\\.)*"))?)*[ \t]*$/;

/** Longer values keep no parameters (real ones, codecs included, are far shorter). */
const MAX_PARAMETERS_LENGTH = 512;

/**
 * The `Content-Type` a stream response carries for an upstream type. Pure. A media type keeps its
 * parameters (`codecs="avc1.42E01E, mp4a.40.2"`) only when they parse: a value that is not one
 * media type (two `Content-Type` fields joined by a comma, `video/mp4, text/html`, which a
 * browser would read as its last member) is served as its first media type alone.
 */
export function servedContentType(upstream: string | null): string {
  const value = upstream?.trim() ?? '';
  const semicolon = value.indexOf(';');
  const essence = (semicolon < 0 ? value : value.slice(0, semicolon)).trim();
  const parameters = semicolon < 0 ? '' : value.slice(semicolon);
  if (MEDIA_TYPE.test(essence)) {
    const kept = parameters.length <= MAX_PARAMETERS_LENGTH && PARAMETERS.test(parameters);
    return kept ? value : essence;
  }
  // `video/mp4, text/html`: the first member is a media type, but the value is not one.
  const first = essence.split(',', 1)[0]?.trim() ?? '';
  return MEDIA_TYPE.test(first) ? first : 'application/octet-stream';
}
