/**
 * Any URL in a text, split where its query or fragment begins: scheme, authority and path kept
 * (group 1), then `?…`/`#…` up to whitespace, a quote or an angle bracket, leaving trailing
 * punctuation (`.`, `,`, `:`, `;`, `!`, `)`, `]`) to the sentence around it.
 */
const URL_WITH_QUERY =
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)[?#][^\s"'<>]*?(?=[.,:;!)\]]*(?:[\s"'<>]|$))/gi;

/**
 * `value` with the query string and fragment stripped from every URL in every string it holds
 * (deeply, through arrays and plain objects; a new value, the input is not changed). Signed
 * URLs carry their credentials there (`?sig=…&expires=…`), so what leaves the worker for any
 * page to see — stats broadcasts, error bodies, cache listings — goes through this unless the
 * page asked for full URLs (`revealUrls`). Pure.
 */
export function redactUrls<T>(value: T): T {
  return redact(value) as T;
}

function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(URL_WITH_QUERY, '$1');
  if (Array.isArray(value)) return value.map(redact);
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  }
  return value;
}
