/**
 * HTTP-date parsing (RFC 9110 §5.6.7), the origin's own: IMF-fixdate (`Sun, 06 Nov 1994
 * 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37
 * 1994`), all GMT. Each form is matched field by field and built with `Date.UTC`, so the
 * machine's time zone never enters and nothing else (ISO dates, bare numbers) passes.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ([A-Z][a-z]{2}) (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-([A-Z][a-z]{2})-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ([A-Z][a-z]{2}) ([ \\d]\\d) ${TIME} (\\d{4})$`);

/** Milliseconds since the epoch of an HTTP-date, or null for anything that is not one. */
export function parseHttpDate(value: string): number | null {
  const text = value.trim();
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(m[3], m[2], m[1], m[4], m[5], m[6]);
  m = RFC_850.exec(text);
  if (m) {
    // §5.6.7: a two-digit year more than 50 years ahead is in the past century.
    const year = 2000 + Number(m[3]);
    const full = year > new Date().getUTCFullYear() + 50 ? year - 100 : year;
    return utc(String(full), m[2], m[1], m[4], m[5], m[6]);
  }
  m = ASCTIME.exec(text);
  if (m) return utc(m[6], m[1], m[2], m[3], m[4], m[5]);
  return null;
}

function utc(...fields: (string | undefined)[]): number | null {
  const [year, month, day, hours, minutes, seconds] = fields;
  const index = MONTHS.indexOf(month ?? '');
  if (index < 0) return null;
  return Date.UTC(
    Number(year),
    index,
    Number(day?.trim()),
    Number(hours),
    Number(minutes),
    Number(seconds),
  );
}
