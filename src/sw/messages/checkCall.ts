import type { MethodCall } from '../../shared/methods.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import { checkString } from '../session/checkString.ts';
import { SESSION_LIMITS } from '../session/sessionLimits.ts';

/**
 * A call from a page, its identifying fields checked: an object whose `type` names a method of
 * `methods`, and the ids, keys and targets its method carries are strings of bounded length.
 * Numbers and options are checked where they are used (`checkInteger`, `checkSessionOptions`,
 * `checkUpstreamUrl`). Throws `bad-request` naming the field.
 */
export function checkCall(message: unknown, methods: object): MethodCall {
  const type = (message as { type?: unknown } | null)?.type;
  if (typeof message !== 'object' || message === null || typeof type !== 'string')
    throw new ProxyError('bad-request', { field: 'type' }, 'A call must be an object with a type.');
  if (!Object.hasOwn(methods, type))
    throw new ProxyError(
      'bad-request',
      { field: 'type', allowed: Object.keys(methods) },
      `Unknown method ${type.slice(0, 64)}.`,
    );
  const m = message as Record<string, unknown>;
  const string = (field: string, range: { min: number; max: number } = SESSION_LIMITS.id) =>
    checkString(field, m[field], range);
  switch (type) {
    case 'closeSession':
    case 'stats':
      string('id');
      break;
    case 'cacheDelete':
    case 'unpin':
      // A key may be a URL (the default cache key).
      string('key', SESSION_LIMITS.url);
      break;
    case 'cancelDownload':
      string('jobId');
      break;
    case 'download':
      checkTarget(m.target);
      string('jobId');
      break;
  }
  return message as MethodCall;
}

/** `{ url }` (its own bound is checked with the URL, `checkUpstreamUrl`) or `{ sessionId }`. */
function checkTarget(target: unknown): void {
  const t = target as { url?: unknown; sessionId?: unknown } | null;
  const isUrl = typeof t === 'object' && t !== null && 'url' in t;
  const isSession = typeof t === 'object' && t !== null && 'sessionId' in t;
  if (isUrl === isSession)
    throw new ProxyError(
      'bad-request',
      { field: 'target', allowed: ['{ url }', '{ sessionId }'] },
      'A download target is { url } or { sessionId }.',
    );
  if (isUrl) checkString('target.url', t?.url, { min: 0, max: 2 * SESSION_LIMITS.url.max });
  else checkString('target.sessionId', t?.sessionId, SESSION_LIMITS.id);
}
