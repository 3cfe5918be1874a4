/**
 * Which validation level a probe reports (README "Validation levels"), and what a chunk is still
 * checked against at each level. `strong` needs a readable Content-Range *and* a validator
 * (ETag or Last-Modified); with Content-Range but no validator it is `none`: the range and the
 * total are still checked on every chunk, but a change that keeps the size cannot be seen.
 */
import { describe, expect, it } from 'vitest';
import type { Validation } from '../../../../src/shared/types.ts';
import { fetchChunk } from '../../../../src/sw/upstream/fetchChunk.ts';
import { probeUpstream } from '../../../../src/sw/upstream/probeUpstream.ts';
import { type Fault, fakeUpstream } from '../support/fakeUpstream.ts';

const NO_VALIDATORS: Fault = { headers: { ETag: null, 'Last-Modified': null } };
const signal = () => new AbortController().signal;

describe('probeUpstream: validation levels', () => {
  it.each<[string, Fault, Validation]>([
    ['contentRangeAndBothValidators', {}, 'strong'],
    ['contentRangeAndETagOnly', { headers: { 'Last-Modified': null } }, 'strong'],
    ['contentRangeAndLastModifiedOnly', { headers: { ETag: null } }, 'strong'],
    ['contentRangeWithoutETagOrLastModified', NO_VALIDATORS, 'none'],
    ['contentRangeHiddenLastModifiedReadable', { hideHeaders: true }, 'length-only'],
  ])('%s_%s', async (_name, fault, validation) => {
    const up = fakeUpstream({ size: 10_000 }).fault(fault);
    const result = await probeUpstream(up.upstream());
    expect(result).toMatchObject({ mode: 'parallel', info: { size: 10_000, validation } });
  });

  it('noValidators_contentRangeStillVisible', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault(NO_VALIDATORS);
    expect(await probeUpstream(up.upstream())).toMatchObject({
      info: { etag: null, lastModified: null, contentRangeVisible: true, validation: 'none' },
    });
  });
});

describe('fetchChunk: validation none still checks range and total', () => {
  const none = {
    size: 10_000,
    contentType: 'video/mp4',
    etag: null,
    lastModified: null,
    contentRangeVisible: true,
    validation: 'none' as const,
  };

  it('sameSize_exactBytes', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault(NO_VALIDATORS);
    expect(await fetchChunk(up.upstream(), none, 0, 999, signal())).toEqual(up.bytes(0, 999));
  });

  it('otherTotalInContentRange_changed', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault(NO_VALIDATORS).changeFrom(0, { size: 9000 });
    const result = fetchChunk(up.upstream(), none, 0, 999, signal());
    await expect(result).rejects.toMatchObject({ failure: 'changed' });
  });

  it('noContentRange_invalid', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault({
      headers: { ...NO_VALIDATORS.headers, 'Content-Range': null },
    });
    const result = fetchChunk(up.upstream(), none, 0, 999, signal());
    await expect(result).rejects.toMatchObject({ failure: 'invalid' });
  });
});
