import { describe, expect, it } from 'vitest';
import { groupsToMerge } from '../../../../src/sw/cache/groupsToMerge.ts';

const MiB = 1024 * 1024;
const all = () => true;

describe('groupsToMerge', () => {
  it('readInsideTwoWholeGroups_bothAligned_sixteenChunksOf1MiB', () => {
    const media = { size: 40 * MiB + 5, chunkSize: MiB }; // chunks 0..40
    expect(groupsToMerge(media, 3, 20, all)).toEqual([
      { first: 0, count: 16 },
      { first: 16, count: 16 },
    ]);
  });

  it('lastGroup_endsAtTheMediasLastChunk', () => {
    const media = { size: 40 * MiB + 5, chunkSize: MiB };
    expect(groupsToMerge(media, 35, 40, all)).toEqual([{ first: 32, count: 9 }]);
  });

  it('aChunkMissing_thatGroupLeftAlone', () => {
    const media = { size: 40 * MiB + 5, chunkSize: MiB };
    expect(groupsToMerge(media, 0, 40, (i) => i !== 20)).toEqual([
      { first: 0, count: 16 },
      { first: 32, count: 9 },
    ]);
  });

  it('lastGroupOfOneChunk_orChunksOfTheGroupSize_nothingToMerge', () => {
    expect(groupsToMerge({ size: 32 * MiB + 1, chunkSize: MiB }, 32, 32, all)).toEqual([]);
    expect(groupsToMerge({ size: 64 * MiB, chunkSize: 16 * MiB }, 0, 3, all)).toEqual([]);
  });
});
