/**
 * `sameContent` decides whether stored chunks may serve what a new probe describes. A validator
 * unknown on one side (hidden by CORS, or never sent) does not contradict a known one.
 */
import { describe, expect, it } from 'vitest';
import { type ContentDescription, sameContent } from '../../../../src/sw/cache/sameContent.ts';

const STORED: ContentDescription = {
  size: 1000,
  chunkSize: 100,
  etag: '"e1"',
  lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
};

const LATER = 'Thu, 22 Oct 2015 07:28:00 GMT';

describe('sameContent', () => {
  it.each<[string, Partial<ContentDescription>, Partial<ContentDescription>, boolean]>([
    ['identical', {}, {}, true],
    ['sizeDiffers', {}, { size: 1001 }, false],
    ['chunkSizeDiffers', {}, { chunkSize: 50 }, false],
    ['etagDiffers', {}, { etag: '"e2"' }, false],
    ['weakAndStrongEtag_areDifferentStrings', {}, { etag: 'W/"e1"' }, false],
    ['etagSame_lastModifiedDiffers', {}, { lastModified: LATER }, false],
    ['etagHiddenNow', {}, { etag: null }, true],
    ['lastModifiedHiddenNow', {}, { lastModified: null }, true],
    ['bothValidatorsHiddenNow', {}, { etag: null, lastModified: null }, true],
    ['etagUnknownBefore', { etag: null }, {}, true],
    ['lastModifiedUnknownBefore', { lastModified: null }, {}, true],
    [
      'noValidatorsEitherSide',
      { etag: null, lastModified: null },
      { etag: null, lastModified: null },
      true,
    ],
    ['etagHiddenNow_lastModifiedDiffers', {}, { etag: null, lastModified: LATER }, false],
    ['lastModifiedHiddenNow_etagDiffers', {}, { lastModified: null, etag: '"e2"' }, false],
    [
      'noValidators_sizeDiffers',
      { etag: null, lastModified: null },
      { etag: null, lastModified: null, size: 999 },
      false,
    ],
  ])('%s_%s', (_name, stored, now, expected) => {
    expect(sameContent({ ...STORED, ...stored }, { ...STORED, ...now })).toBe(expected);
  });

  it.each<[string, Partial<ContentDescription>, Partial<ContentDescription>]>([
    ['oneSideNull', { etag: null }, { etag: '"e2"' }],
    ['differentSizes', {}, { size: 5 }],
    ['differentEtags', { etag: '"x"' }, { etag: '"y"' }],
  ])('%s_sameAnswerBothWays', (_name, a, b) => {
    const left = { ...STORED, ...a };
    const right = { ...STORED, ...b };
    expect(sameContent(left, right)).toBe(sameContent(right, left));
  });
});
