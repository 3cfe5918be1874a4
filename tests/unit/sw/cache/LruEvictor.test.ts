/**
 * `LruEvictor` is told what each runtime needs kept (`report`) and plans evictions over a
 * `CacheIndex`; it never asks a runtime. Every chunk here is 10 bytes.
 */
import { describe, expect, it } from 'vitest';
import { CacheIndex } from '../../../../src/sw/cache/CacheIndex.ts';
import { LruEvictor, type MediaActivity } from '../../../../src/sw/cache/LruEvictor.ts';
import type { MediaMeta } from '../../../../src/sw/store/ChunkStore.ts';

/** A media of 10 chunks of 10 bytes. */
function meta(key: string, lastAccess: number, pinned = false): MediaMeta {
  return {
    key,
    url: `https://upstream.test/${key}`,
    size: 100,
    contentType: null,
    etag: null,
    lastModified: null,
    chunkSize: 10,
    validation: 'strong',
    version: 1,
    lastAccess,
    pinned,
  };
}

/** An index of `media`, each with the chunks listed. */
function indexOf(media: [meta: MediaMeta, chunks: number[]][]): CacheIndex {
  return CacheIndex.build(
    media.map(([m]) => m),
    media.flatMap(([m, chunks]) => chunks.map((index) => ({ key: m.key, index, size: 10 }))),
  ).index;
}

function activity(
  init: { readers?: number[]; windows?: [number, number][]; busy?: number[] } = {},
): MediaActivity {
  return {
    readers: init.readers ?? [],
    windows: init.windows ?? [],
    busy: new Set(init.busy ?? []),
  };
}

/** The plan as `key:index` strings, or null. */
function plan(evictor: LruEvictor, index: CacheIndex, bytes: number): string[] | null {
  const picked = evictor.plan(index, bytes);
  return picked === null ? null : picked.map((e) => `${e.key}:${e.index}`);
}

const ALL = [0, 1, 2, 3, 4];

describe('LruEvictor: without activity', () => {
  it('oldestMediaFirst_highestIndexFirst_sizesFromTheIndex', () => {
    const index = indexOf([
      [meta('new', 20), [0, 1]],
      [meta('old', 10), [0, 3]],
    ]);
    expect(new LruEvictor().plan(index, 30)).toEqual([
      { key: 'old', index: 3, size: 10 },
      { key: 'old', index: 0, size: 10 },
      { key: 'new', index: 1, size: 10 },
    ]);
  });

  it('pinnedMedia_skipped', () => {
    const index = indexOf([
      [meta('p', 1, true), [0, 1]],
      [meta('b', 2), [0]],
    ]);
    expect(plan(new LruEvictor(), index, 10)).toEqual(['b:0']);
    expect(plan(new LruEvictor(), index, 20)).toBeNull();
  });

  it('nothingNeeded_emptyPlan', () => {
    const index = indexOf([[meta('a', 1), ALL]]);
    expect(plan(new LruEvictor(), index, 0)).toEqual([]);
  });
});

describe('LruEvictor: reported activity', () => {
  it.each<[string, MediaActivity, string[]]>([
    ['readWindow_protectsItsChunks', activity({ windows: [[1, 3]] }), ['a:4', 'a:0']],
    ['busyChunks_protected', activity({ busy: [4, 0] }), ['a:3', 'a:2', 'a:1']],
    [
      'twoWindows_bothProtected',
      activity({
        windows: [
          [0, 0],
          [3, 4],
        ],
      }),
      ['a:2', 'a:1'],
    ],
    ['windowAndBusy_together', activity({ windows: [[0, 1]], busy: [4] }), ['a:3', 'a:2']],
  ])('%s', (_name, reported, expected) => {
    const index = indexOf([[meta('a', 1), ALL]]);
    const evictor = new LruEvictor();
    evictor.report('a', {}, reported);
    // Ask for everything: the plan fails, so ask for exactly what may go.
    expect(plan(evictor, index, 50)).toBeNull();
    expect(plan(evictor, index, expected.length * 10)).toEqual(expected);
  });

  it('reader_farthestChunksFirst_tiesToTheHigherIndex_nothingProtected', () => {
    const index = indexOf([[meta('a', 1), ALL]]);
    const evictor = new LruEvictor();
    evictor.report('a', {}, activity({ readers: [1] }));
    // distances from 1: 0→1, 2→1, 3→2, 4→3.
    expect(plan(evictor, index, 50)).toEqual(['a:4', 'a:3', 'a:2', 'a:0', 'a:1']);
  });

  it('twoOwners_protectionIsTheUnion_readersOfBothCount', () => {
    const index = indexOf([[meta('a', 1), ALL]]);
    const evictor = new LruEvictor();
    evictor.report('a', {}, activity({ readers: [0], windows: [[0, 0]] }));
    evictor.report('a', {}, activity({ readers: [4], busy: [4] }));
    // 1 and 3 are next to a reader, 2 is farthest from both.
    expect(plan(evictor, index, 30)).toEqual(['a:2', 'a:3', 'a:1']);
    expect(plan(evictor, index, 40)).toBeNull();
  });

  it('reportNull_removesOnlyThatOwner_thenNothingIsProtected', () => {
    const index = indexOf([[meta('a', 1), ALL]]);
    const evictor = new LruEvictor();
    const player = {};
    const download = {};
    evictor.report('a', player, activity({ windows: [[0, 1]] }));
    evictor.report('a', download, activity({ busy: [4] }));
    expect(plan(evictor, index, 20)).toEqual(['a:3', 'a:2']);
    expect(plan(evictor, index, 30)).toBeNull();

    evictor.report('a', player, null);
    expect(plan(evictor, index, 40)).toEqual(['a:3', 'a:2', 'a:1', 'a:0']);
    evictor.report('a', download, null);
    expect(plan(evictor, index, 50)).toEqual(['a:4', 'a:3', 'a:2', 'a:1', 'a:0']);
    // Reporting an owner done twice, or one never seen, changes nothing.
    evictor.report('a', download, null);
    evictor.report('a', {}, null);
    expect(plan(evictor, index, 50)).toHaveLength(5);
  });

  it('newReportFromTheSameOwner_replacesItsLast', () => {
    const index = indexOf([[meta('a', 1), ALL]]);
    const evictor = new LruEvictor();
    const owner = {};
    evictor.report('a', owner, activity({ windows: [[0, 2]] }));
    evictor.report('a', owner, activity({ windows: [[3, 4]] }));
    expect(plan(evictor, index, 30)).toEqual(['a:2', 'a:1', 'a:0']);
  });

  it('activityOnAnotherMedia_protectsNothingHere', () => {
    const index = indexOf([
      [meta('a', 1), [0, 1]],
      [meta('b', 2), [0, 1]],
    ]);
    const evictor = new LruEvictor();
    evictor.report('b', {}, activity({ windows: [[0, 9]] }));
    expect(plan(evictor, index, 20)).toEqual(['a:1', 'a:0']);
    expect(plan(evictor, index, 30)).toBeNull();
  });

  it('activityReportedBeforeTheMediaIsIndexed_appliesOnceItIs', () => {
    const evictor = new LruEvictor();
    evictor.report('a', {}, activity({ busy: [0] }));
    const index = indexOf([[meta('a', 1), [0, 1]]]);
    expect(plan(evictor, index, 10)).toEqual(['a:1']);
    expect(plan(evictor, index, 20)).toBeNull();
  });
});
