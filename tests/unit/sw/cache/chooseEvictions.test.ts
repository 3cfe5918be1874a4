/**
 * `chooseEvictions` is pure: each case builds the media the evictor sees and checks the exact
 * chunks picked, in the order they are picked.
 */
import { describe, expect, it } from 'vitest';
import { chooseEvictions, type EvictableMedia } from '../../../../src/sw/cache/chooseEvictions.ts';

interface MediaSpec {
  key: string;
  lastAccess: number;
  pinned?: boolean;
  /** Stored chunk indexes; every chunk is 10 bytes unless `sizes` says otherwise. */
  chunks: number[];
  sizes?: Record<number, number>;
  readers?: number[];
  protect?: number[];
}

function media(spec: MediaSpec): EvictableMedia {
  const protect = new Set(spec.protect ?? []);
  return {
    key: spec.key,
    lastAccess: spec.lastAccess,
    pinned: spec.pinned ?? false,
    chunks: spec.chunks.map((index) => ({ index, size: spec.sizes?.[index] ?? 10 })),
    readers: spec.readers ?? [],
    isProtected: (index) => protect.has(index),
  };
}

/** The picks as `key:index` strings, or null. */
function picks(specs: MediaSpec[], bytes: number): string[] | null {
  const plan = chooseEvictions(specs.map(media), bytes);
  return plan === null ? null : plan.map((e) => `${e.key}:${e.index}`);
}

describe('chooseEvictions: order', () => {
  it.each<[string, MediaSpec[], number, string[]]>([
    [
      'oldestMediaFirst_thenTheNextOldest',
      [
        { key: 'new', lastAccess: 30, chunks: [0, 1] },
        { key: 'old', lastAccess: 10, chunks: [0, 1] },
        { key: 'mid', lastAccess: 20, chunks: [0, 1] },
      ],
      50,
      ['old:1', 'old:0', 'mid:1', 'mid:0', 'new:1'],
    ],
    [
      'noReaders_highestIndexFirst',
      [{ key: 'a', lastAccess: 1, chunks: [0, 4, 2, 7, 1] }],
      50,
      ['a:7', 'a:4', 'a:2', 'a:1', 'a:0'],
    ],
    [
      'oneReader_farthestChunkFirst',
      [{ key: 'a', lastAccess: 1, chunks: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], readers: [2] }],
      100,
      ['a:9', 'a:8', 'a:7', 'a:6', 'a:5', 'a:4', 'a:0', 'a:3', 'a:1', 'a:2'],
    ],
    [
      'equalDistanceOnBothSides_higherIndexFirst',
      [{ key: 'a', lastAccess: 1, chunks: [3, 5, 7], readers: [5] }],
      30,
      ['a:7', 'a:3', 'a:5'],
    ],
    [
      'twoReaders_distanceIsToTheNearestReader',
      [{ key: 'a', lastAccess: 1, chunks: [0, 2, 5, 8, 10, 14], readers: [0, 10] }],
      60,
      // distances: 0→0, 2→2, 5→5, 8→2, 10→0, 14→4
      ['a:5', 'a:14', 'a:8', 'a:2', 'a:10', 'a:0'],
    ],
    [
      'readerPastTheStoredChunks_lowestIndexIsFarthest',
      [{ key: 'a', lastAccess: 1, chunks: [0, 1, 2], readers: [20] }],
      30,
      ['a:0', 'a:1', 'a:2'],
    ],
  ])('%s', (_name, specs, bytes, expected) => {
    expect(picks(specs, bytes)).toEqual(expected);
  });

  it('olderMediaChunksNearItsReader_goBeforeAnyChunkOfANewerMedia', () => {
    expect(
      picks(
        [
          { key: 'newer', lastAccess: 2, chunks: [9] },
          { key: 'older', lastAccess: 1, chunks: [4, 5], readers: [5] },
        ],
        30,
      ),
    ).toEqual(['older:4', 'older:5', 'newer:9']);
  });

  it('inputIsNotReordered', () => {
    const list = [
      media({ key: 'b', lastAccess: 2, chunks: [1, 0] }),
      media({ key: 'a', lastAccess: 1, chunks: [0, 1] }),
    ];
    const chunksBefore = list.map((m) => m.chunks.map((c) => c.index));
    chooseEvictions(list, 40);
    expect(list.map((m) => m.key)).toEqual(['b', 'a']);
    expect(list.map((m) => m.chunks.map((c) => c.index))).toEqual(chunksBefore);
  });
});

describe('chooseEvictions: what is never chosen', () => {
  it.each<[string, MediaSpec[], number, string[] | null]>([
    [
      'pinnedMedia_skippedEvenWhenOldest',
      [
        { key: 'pinned', lastAccess: 1, pinned: true, chunks: [0, 1, 2] },
        { key: 'b', lastAccess: 5, chunks: [0, 1] },
      ],
      20,
      ['b:1', 'b:0'],
    ],
    [
      'protectedChunks_skipped_othersOfTheMediaStillGo',
      [{ key: 'a', lastAccess: 1, chunks: [0, 1, 2, 3], protect: [3, 1] }],
      20,
      ['a:2', 'a:0'],
    ],
    [
      'protectedAroundAReader_farthestUnprotectedGoFirst',
      [
        {
          key: 'a',
          lastAccess: 1,
          chunks: [0, 1, 2, 3, 4, 5, 6],
          readers: [3],
          protect: [3, 4, 5],
        },
      ],
      40,
      // distances 0→3, 1→2, 2→1, 6→3: the tie 0/6 goes to the higher index.
      ['a:6', 'a:0', 'a:1', 'a:2'],
    ],
    [
      'onlyPinnedMedia_nothingCanGo_null',
      [{ key: 'p', lastAccess: 1, pinned: true, chunks: [0, 1] }],
      1,
      null,
    ],
    [
      'everyChunkProtected_null',
      [{ key: 'a', lastAccess: 1, chunks: [0, 1], protect: [0, 1] }],
      1,
      null,
    ],
  ])('%s', (_name, specs, bytes, expected) => {
    expect(picks(specs, bytes)).toEqual(expected);
  });

  it('protectedAndPinned_neverAppearInAnyPlan', () => {
    const specs: MediaSpec[] = [
      { key: 'p', lastAccess: 1, pinned: true, chunks: [0, 1, 2] },
      { key: 'a', lastAccess: 2, chunks: [0, 1, 2, 3], readers: [1], protect: [1, 2] },
      { key: 'b', lastAccess: 3, chunks: [0, 1], protect: [0] },
    ];
    // candidates: a:0, a:3, b:1 = 30 bytes.
    for (let bytes = 1; bytes <= 30; bytes++) {
      const plan = picks(specs, bytes);
      expect(plan).not.toBeNull();
      for (const pick of plan ?? []) {
        expect(['p:0', 'p:1', 'p:2', 'a:1', 'a:2', 'b:0']).not.toContain(pick);
      }
    }
    expect(picks(specs, 31)).toBeNull();
  });
});

describe('chooseEvictions: how much', () => {
  it.each([0, -1, -1000])('bytes %i_returnsAnEmptyPlan', (bytes) => {
    expect(chooseEvictions([media({ key: 'a', lastAccess: 1, chunks: [0, 1] })], bytes)).toEqual(
      [],
    );
  });

  it('noMediaAndPositiveBytes_null', () => {
    expect(chooseEvictions([], 1)).toBeNull();
  });

  it.each<[number, string[]]>([
    [1, ['a:2']],
    [10, ['a:2']],
    [11, ['a:2', 'a:1']],
    [25, ['a:2', 'a:1']],
    [26, ['a:2', 'a:1', 'a:0']],
    [30, ['a:2', 'a:1', 'a:0']],
  ])('needing %i bytes_stopsAsSoonAsEnoughIsFreed', (bytes, expected) => {
    // chunk 2 is 10 bytes, chunk 1 is 15, chunk 0 is 5: sizes are summed as given.
    const specs = [{ key: 'a', lastAccess: 1, chunks: [0, 1, 2], sizes: { 0: 5, 1: 15, 2: 10 } }];
    expect(picks(specs, bytes)).toEqual(expected);
  });

  it('planCarriesEachChunksSize', () => {
    const plan = chooseEvictions(
      [media({ key: 'a', lastAccess: 1, chunks: [0, 1], sizes: { 0: 100, 1: 37 } })],
      120,
    );
    expect(plan).toEqual([
      { key: 'a', index: 1, size: 37 },
      { key: 'a', index: 0, size: 100 },
    ]);
  });

  it('allCandidatesTogetherOneByteShort_null_evenThoughSomeCouldGo', () => {
    const specs: MediaSpec[] = [
      { key: 'a', lastAccess: 1, chunks: [0, 1] },
      { key: 'b', lastAccess: 2, chunks: [0], protect: [] },
      { key: 'p', lastAccess: 0, pinned: true, chunks: [0, 1, 2] },
    ];
    expect(picks(specs, 30)).toEqual(['a:1', 'a:0', 'b:0']);
    expect(picks(specs, 31)).toBeNull();
  });

  it('stopsWithinTheFirstMedia_whenItAloneFreesEnough_newerMediaUntouched', () => {
    expect(
      picks(
        [
          { key: 'a', lastAccess: 1, chunks: [0, 1, 2] },
          { key: 'b', lastAccess: 2, chunks: [0, 1, 2] },
        ],
        20,
      ),
    ).toEqual(['a:2', 'a:1']);
  });
});
