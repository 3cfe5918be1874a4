import { describe, expect, it } from 'vitest';
import { changedFrom } from '../../../../src/sw/upstream/changedFrom.ts';

const PROBED = { size: 1000, etag: '"v1"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' };
const respond = (headers: Record<string, string>) => new Response(null, { headers });

describe('changedFrom', () => {
  it('sameValidatorsAndSize_null', () => {
    expect(
      changedFrom(respond({ ETag: '"v1"', 'Last-Modified': PROBED.lastModified }), 1000, PROBED),
    ).toBeNull();
  });
  it('hiddenValidatorsUnknownSize_provesNothing_null', () => {
    expect(changedFrom(respond({}), null, PROBED)).toBeNull();
  });
  it('otherETag_changed', () => {
    expect(changedFrom(respond({ ETag: '"v2"' }), 1000, PROBED)).toBe(
      'ETag changed from "v1" to "v2"',
    );
  });
  it('otherLastModified_changed', () => {
    const later = 'Thu, 22 Oct 2015 07:28:00 GMT';
    expect(changedFrom(respond({ 'Last-Modified': later }), null, PROBED)).toMatch(
      /^Last-Modified changed/,
    );
  });
  it('otherSize_changed', () => {
    expect(changedFrom(respond({ ETag: '"v1"' }), 999, PROBED)).toBe(
      'size changed from 1000 to 999',
    );
  });
  it('probeSawNoETag_anyETagIsFine', () => {
    expect(changedFrom(respond({ ETag: '"x"' }), 1000, { ...PROBED, etag: null })).toBeNull();
  });
});
