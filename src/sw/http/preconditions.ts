import { httpDate } from '../../shared/httpDate.ts';
import { ProxyError } from '../errors/ProxyError.ts';
import { parseRange, type RangeRequest } from './parseRange.ts';

/** The validators of the representation an answer is about (the upstream's, as probed). */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

/** How to answer: a range decision (`parseRange`), or 304 because the client's copy is current. */
export type AnswerDecision = RangeRequest | { kind: 'not-modified' };

/**
 * Decide how to answer a GET or HEAD of a representation of `size` bytes: its preconditions first
 * (RFC 9110 §13.2.2, in that order), then its `Range`.
 *
 * - `If-Match` false (no listed tag equals the ETag by strong comparison; `*` always holds), or
 *   else `If-Unmodified-Since` false (modified after that date): throws `precondition-failed`
 *   (412) naming the header.
 * - `If-None-Match` false (a listed tag equals the ETag by weak comparison, or `*`), or else
 *   `If-Modified-Since` true-to-the-client (not modified since that date): `not-modified` (304).
 * - `If-Range` that does not hold (§13.1.5: an entity-tag equal by strong comparison, or a date
 *   equal to Last-Modified): the `Range` is ignored, the whole body answers (200).
 *
 * A date that is not a valid HTTP-date is ignored, as is a date condition on a representation
 * without Last-Modified (§13.1.3, §13.1.4). Unknown validators never match: without an ETag an
 * `If-Match` fails and an `If-None-Match` holds, and no `If-Range` holds. The `Range` is looked
 * at only once the preconditions held (§14.2: "evaluated after evaluating the precondition
 * header fields"; "Range is ignored when a conditional GET would result in a 304"), so a failed
 * precondition answers 412 or 304 even when the range could not be satisfied, as Apache and
 * Express's `send` answer. An `If-Range` date holds on an exact match with
 * Last-Modified; whether that date is a strong validator (§8.8.2.2: at least a second before the
 * answer's Date) is not known here, so it is taken as one.
 */
export function decideAnswer(
  headers: Headers,
  size: number,
  validators: Validators,
): AnswerDecision {
  const ifMatch = headers.get('If-Match');
  if (ifMatch !== null) {
    if (!listMatches(ifMatch, validators.etag, strongEqual)) throw failed('If-Match', ifMatch);
  } else {
    const since = httpDate(headers.get('If-Unmodified-Since'));
    const modified = httpDate(validators.lastModified);
    if (since !== null && modified !== null && modified > since) {
      throw failed('If-Unmodified-Since', headers.get('If-Unmodified-Since') as string);
    }
  }
  const ifNoneMatch = headers.get('If-None-Match');
  if (ifNoneMatch !== null) {
    if (listMatches(ifNoneMatch, validators.etag, weakEqual)) return { kind: 'not-modified' };
  } else {
    const since = httpDate(headers.get('If-Modified-Since'));
    const modified = httpDate(validators.lastModified);
    if (since !== null && modified !== null && modified <= since) return { kind: 'not-modified' };
  }
  // §14.2: the Range only now, and only when If-Range (if any) holds (§13.1.5).
  const range = headers.get('Range');
  const ifRange = headers.get('If-Range');
  const ignored = range !== null && ifRange !== null && !ifRangeHolds(ifRange, validators);
  return parseRange(ignored ? null : range, size);
}

function failed(header: string, value: string): ProxyError {
  return new ProxyError(
    'precondition-failed',
    { header, value },
    `${header}: ${value} does not hold for this media.`,
  );
}

interface EntityTag {
  weak: boolean;
  opaque: string;
}

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE (§8.8.3); etagc excludes DQUOTE, so a comma may
// sit inside a tag and a list is read tag by tag, not split on commas.
const LIST_ITEM = /^[ \t]*(W\/)?("[^"]*")[ \t]*(?:,|$)/;

/** `If-Match` / `If-None-Match`: `*`, or a list of entity-tags; null when malformed. */
function parseTagList(value: string): EntityTag[] | '*' | null {
  if (value.trim() === '*') return '*';
  const tags: EntityTag[] = [];
  let rest = value;
  while (rest.trim() !== '') {
    if (/^[ \t]*,/.test(rest)) {
      rest = rest.replace(/^[ \t]*,/, ''); // empty list elements are allowed (§5.6.1)
      continue;
    }
    const m = LIST_ITEM.exec(rest);
    if (!m) return null;
    tags.push({ weak: m[1] !== undefined, opaque: m[2] as string });
    rest = rest.slice(m[0].length);
  }
  return tags;
}

function parseTag(value: string | null): EntityTag | null {
  if (value === null) return null;
  const m = /^[ \t]*(W\/)?("[^"]*")[ \t]*$/.exec(value);
  return m ? { weak: m[1] !== undefined, opaque: m[2] as string } : null;
}

/** §8.8.3.2: strong comparison needs both tags strong and equal; weak only equal opaque-tags. */
const strongEqual = (a: EntityTag, b: EntityTag): boolean =>
  !a.weak && !b.weak && a.opaque === b.opaque;
const weakEqual = (a: EntityTag, b: EntityTag): boolean => a.opaque === b.opaque;

/** Whether a tag list names the current ETag (`*`: any current representation, which exists). */
function listMatches(
  value: string,
  etag: string | null,
  equal: (a: EntityTag, b: EntityTag) => boolean,
): boolean {
  const list = parseTagList(value);
  if (list === '*') return true;
  const current = parseTag(etag);
  if (list === null || current === null) return false;
  return list.some((tag) => equal(tag, current));
}

/** §13.1.5: an entity-tag by strong comparison, else an HTTP-date exactly equal to Last-Modified. */
function ifRangeHolds(value: string, validators: Validators): boolean {
  const trimmed = value.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith('W/')) {
    const tag = parseTag(trimmed);
    const current = parseTag(validators.etag);
    return tag !== null && current !== null && strongEqual(tag, current);
  }
  const date = httpDate(trimmed);
  const modified = httpDate(validators.lastModified);
  return date !== null && modified !== null && date === modified;
}
