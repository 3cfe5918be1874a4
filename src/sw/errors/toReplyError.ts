import { PLATFORM_ERROR_NAMES, type PlatformErrorName } from '../../shared/errorCodes.ts';
import type { ReplyError } from '../../shared/methods.ts';
import { redactUrls } from '../http/redactUrls.ts';
import { ProxyError } from './ProxyError.ts';

/**
 * What the page is told about a failed request: a proxy error's code and details, or a platform
 * error's name as its code (`QuotaExceededError`, `AbortError`, `TypeError`…). Never
 * `DOMException.code`: that is the legacy number (22 for a quota error, 0 for the newer names),
 * useless to a page that switches on strings. URLs lose their query strings unless `reveal`.
 */
export function toReplyError(error: unknown, reveal: boolean): ReplyError {
  const reply: ReplyError =
    error instanceof ProxyError
      ? { code: error.code, name: error.name, message: error.message, details: error.details }
      : isNamed(error)
        ? { code: error.name, name: error.name, message: error.message }
        : { code: 'internal', name: 'Error', message: String(error) };
  return reveal ? reply : redactUrls(reply);
}

/** A platform error the page may be told of by name (`QuotaExceededError`, `TypeError`…). */
function isNamed(error: unknown): error is { name: PlatformErrorName; message: string } {
  const e = error as { name?: unknown; message?: unknown } | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.name === 'string' &&
    PLATFORM_ERROR_NAMES.includes(e.name as PlatformErrorName) &&
    typeof e.message === 'string'
  );
}
