import { httpDate } from '../shared/httpDate.ts';
import { getCase } from './getCase.ts';
import { NO_SUCH_ETAG } from './noSuchEtag.ts';
import type { RangeCase, RangeOutcome } from './rangeCases.ts';

/** The validators an endpoint sends with its representation; null for one it does not send. */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

/** An entity-tag as §8.8.3 writes it: optionally `W/`, then a quoted opaque tag. */
const ENTITY_TAG = /^(W\/)?"[^"]*"$/;

/**
 * The conditional cases that use the endpoint's own validators (RFC 9110 §13.1): what a client
 * resuming a download or revalidating its copy sends. A validator the endpoint does not send, an
 * ETag that is no entity-tag (§8.8.3) and a Last-Modified that is no HTTP-date (§5.6.7) get no
 * cases. A weak ETag gets the weak-tag answers (no If-Range or If-Match holds with it). Throws
 * `RangeError` for a size below 1, as `rangeCases` does.
 */
export function validatorCases({ etag, lastModified }: Validators, size: number): RangeCase[] {
  if (!Number.isSafeInteger(size) || size < 1)
    throw new RangeError(`validatorCases: size must be an integer of at least 1 (got ${size}).`);
  const one = Math.min(1, size - 1);
  const probe = `bytes=0-${one}`;
  const range: RangeOutcome = { kind: 'range', start: 0, end: one };
  const cases: RangeCase[] = [];
  const get = (...args: Parameters<typeof getCase>) => cases.push(getCase(...args));
  const head304 = (name: string, headers: Record<string, string>, section: string) =>
    cases.push({
      name,
      method: 'HEAD',
      range: null,
      headers,
      expect: { kind: 'not-modified' },
      why: `304 for HEAD as for GET (${section})`,
    });

  if (etag !== null && ENTITY_TAG.test(etag)) {
    const weak = etag.startsWith('W/');
    if (weak) {
      get(
        'If-Range with its weak ETag',
        probe,
        { kind: 'whole' },
        'If-Range compares strongly and a weak tag never matches: the whole answers (§13.1.5)',
        { 'If-Range': etag },
      );
      get(
        'If-Match with its weak ETag',
        probe,
        { kind: 'precondition-failed' },
        'If-Match compares strongly and a weak tag never matches: 412 (§13.1.1)',
        { 'If-Match': etag },
      );
    } else {
      get(
        'If-Range with its ETag',
        probe,
        range,
        'the current strong tag: the condition holds, the range answers (§13.1.5)',
        { 'If-Range': etag },
      );
      get(
        'If-Range with its ETag marked weak',
        probe,
        { kind: 'whole' },
        'a weak tag never matches If-Range: the whole answers (§13.1.5, §8.8.3.2)',
        { 'If-Range': `W/${etag}` },
      );
      get(
        'If-Match with its ETag',
        probe,
        range,
        'the current tag by strong comparison: the condition holds, the range answers (§13.1.1)',
        { 'If-Match': etag },
      );
      get(
        'If-Match with its ETag marked weak',
        probe,
        { kind: 'precondition-failed' },
        'If-Match compares strongly, so the weak form never matches: 412 (§13.1.1)',
        { 'If-Match': `W/${etag}` },
      );
      get(
        'If-None-Match with its ETag marked weak',
        null,
        { kind: 'not-modified' },
        'If-None-Match compares weakly, so the weak form matches: 304 (§13.1.2)',
        { 'If-None-Match': `W/${etag}` },
      );
    }
    get(
      'If-None-Match with its ETag',
      null,
      { kind: 'not-modified' },
      'the current tag by weak comparison: 304 (§13.1.2)',
      { 'If-None-Match': etag },
    );
    get(
      'If-None-Match with its ETag, with a Range',
      probe,
      { kind: 'not-modified' },
      'Range is ignored when the answer would be 304 (§14.2)',
      { 'If-None-Match': etag },
    );
    get(
      'If-None-Match with a list holding its ETag',
      null,
      { kind: 'not-modified' },
      'any listed tag that matches: 304 (§13.1.2)',
      { 'If-None-Match': `${NO_SUCH_ETAG}, ${etag}` },
    );
    head304('HEAD with If-None-Match of its ETag', { 'If-None-Match': etag }, '§13.1.2');
  }
  const modified = httpDate(lastModified);
  if (lastModified !== null && modified !== null) {
    get(
      'If-Range with its Last-Modified',
      probe,
      { kind: 'range-or-whole', start: 0, end: one },
      'the exact date: the range where the server holds it a strong validator, else the whole (§13.1.5, §8.8.2.2)',
      { 'If-Range': lastModified },
    );
    get(
      'If-Modified-Since its Last-Modified',
      null,
      { kind: 'not-modified' },
      'not modified since that date: 304 (§13.1.3)',
      { 'If-Modified-Since': lastModified },
    );
    head304(
      'HEAD with If-Modified-Since its Last-Modified',
      { 'If-Modified-Since': lastModified },
      '§13.1.3',
    );
    get(
      'If-Unmodified-Since its Last-Modified',
      probe,
      range,
      'not modified since that date: the condition holds, the range answers (§13.1.4)',
      { 'If-Unmodified-Since': lastModified },
    );
    get(
      'If-Unmodified-Since a second before its Last-Modified',
      probe,
      { kind: 'precondition-failed' },
      'modified since that date: 412, before any range (§13.1.4, §13.2.2)',
      { 'If-Unmodified-Since': new Date(modified - 1000).toUTCString() },
    );
  }
  // §13.2.2: a date condition is evaluated only without its tag counterpart. A server that checks
  // both (a tag and a date, each alone right) answers these wrong.
  if (etag !== null && ENTITY_TAG.test(etag) && modified !== null && lastModified !== null) {
    get(
      'If-None-Match of another tag, with If-Modified-Since its Last-Modified',
      null,
      { kind: 'whole' },
      'with If-None-Match present If-Modified-Since is not evaluated; no tag matches: 200 (§13.2.2)',
      { 'If-None-Match': NO_SUCH_ETAG, 'If-Modified-Since': lastModified },
    );
    if (!etag.startsWith('W/')) {
      get(
        'If-Match with its ETag, with If-Unmodified-Since a second before its Last-Modified',
        probe,
        range,
        'with If-Match present If-Unmodified-Since is not evaluated; the tag holds: the range answers (§13.2.2)',
        {
          'If-Match': etag,
          'If-Unmodified-Since': new Date(modified - 1000).toUTCString(),
        },
      );
    }
  }
  return cases;
}
