/**
 * HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, or the obsolete RFC 850 and asctime forms, all in
 * GMT. Anything else is not a date to HTTP (§13.1.3: an invalid date is ignored), even where
 * `Date.parse` would read it (`2026-11-29`, a one-digit day, `"1"`).
 */
const HTTP_DATE =
  /^(?:[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

/** Milliseconds since the epoch of a valid HTTP-date, else null. */
export function httpDate(value: string | null): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (!HTTP_DATE.test(trimmed)) return null;
  // asctime has no zone: it is GMT by definition (Date.parse would read local time).
  const ms = Date.parse(/GMT$/.test(trimmed) ? trimmed : `${trimmed} GMT`);
  return Number.isNaN(ms) ? null : ms;
}
