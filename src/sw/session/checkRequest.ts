import type { Request as ClientRequest } from '../../shared/protocol.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import { checkString } from './checkString.ts';
import { SESSION_LIMITS } from './sessionLimits.ts';

/**
 * A message from a page, its identifying fields checked: an object with a string `type`, and the
 * ids, keys and targets its type carries are strings of bounded length. Numbers and options are
 * checked where they are used (`checkInteger`, `checkSessionOptions`, `checkUpstreamUrl`).
 * Throws `bad-request` naming the field.
 */
export function checkRequest(message: unknown): ClientRequest {
  if (
    typeof message !== 'object' ||
    message === null ||
    typeof (message as { type?: unknown }).type !== 'string'
  )
    throw new ProxyError(
      'bad-request',
      { field: 'type' },
      'A request must be an object with a type.',
    );
  const m = message as Record<string, unknown>;
  const string = (field: string, range: { min: number; max: number } = SESSION_LIMITS.id) =>
    checkString(field, m[field], range);
  switch (m.type) {
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
      // A session id or a URL: a URL's own bound is checked with the URL (`checkUpstreamUrl`).
      string('target', { min: 1, max: 2 * SESSION_LIMITS.url.max });
      string('jobId');
      break;
  }
  return message as ClientRequest;
}
