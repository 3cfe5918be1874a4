import { ProxyError } from '../errors/ProxyError.ts';
import { SESSION_LIMITS } from './sessionLimits.ts';

/** RFC 9110 §5.1: a field name is a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * RFC 9110 §5.5: a field value is visible ASCII, obs-text (0x80-0xFF), spaces and tabs; no CR,
 * LF or NUL (a CRLF would smuggle another header). `Headers` also refuses code points past 0xFF.
 */
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the proxy sets itself (`Range`) or validates against (`If-Range`). */
const OURS = new Set(['range', 'if-range']);
/**
 * Fetch's forbidden request-header names (Fetch §2.2.2): a browser drops them silently, so a
 * page asking for one gets told instead.
 */
const FORBIDDEN = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

/**
 * The upstream request headers a page gave, checked: a plain object of at most 64 headers and
 * 16 KiB (names and values), each a valid field, none the proxy's own or forbidden, none twice.
 * Throws `bad-request` naming the field (and the header, or the range) otherwise.
 */
export function checkHeaders(headers: unknown): Record<string, string> {
  if (headers === undefined) return {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    throw new ProxyError(
      'bad-request',
      { field: 'headers' },
      'headers must be an object of strings.',
    );
  const entries = Object.entries(headers as Record<string, unknown>);
  const count = SESSION_LIMITS.headerCount;
  if (entries.length > count.max) {
    throw new ProxyError(
      'bad-request',
      { field: 'headers', unit: 'headers', min: count.min, max: count.max },
      `headers must hold ${count.min} to ${count.max} headers (got ${entries.length}).`,
    );
  }
  const seen = new Set<string>();
  let bytes = 0;
  for (const [name, value] of entries) {
    const refuse = (why: string): never => {
      throw new ProxyError('bad-request', { field: 'headers', name }, `headers: ${why}`);
    };
    if (!TOKEN.test(name)) refuse(`${JSON.stringify(name)} is not a valid header name.`);
    const lower = name.toLowerCase();
    if (OURS.has(lower)) refuse(`${name} is set by the proxy itself.`);
    if (FORBIDDEN.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-'))
      refuse(`${name} is a forbidden request header (Fetch §2.2.2).`);
    if (seen.has(lower)) refuse(`${name} is given twice.`);
    seen.add(lower);
    if (typeof value !== 'string' || !VALUE.test(value))
      refuse(`the value of ${name} is not a valid header value (a string without CR, LF or NUL).`);
    bytes += name.length + (value as string).length;
  }
  const size = SESSION_LIMITS.headerBytes;
  if (bytes > size.max) {
    throw new ProxyError(
      'bad-request',
      { field: 'headers', unit: 'bytes', min: size.min, max: size.max },
      `headers must total ${size.min} to ${size.max} bytes of names and values (got ${bytes}).`,
    );
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
