import type { SessionStats } from 'chunkwise/client';
import { describe, expect, it } from 'vitest';
import { hideTokens, runsText, seconds, toRuns } from '../../../src/app/format.ts';
import { chunkCells } from '../../../src/app/views/chunkCells.ts';

function stats(activity: SessionStats['activity'], failed: number[] = []): SessionStats {
  return {
    chunkSize: 1000,
    chunks: { total: 8, stored: 0, inFlight: 0, peakInFlight: 0, queued: 0, failed: failed.length },
    failedChunks: failed,
    activity,
  } as unknown as SessionStats;
}

describe('chunkCells: the chunk map cells from stats', () => {
  it('eachChunkGetsItsState_downloadingWithItsProgress', () => {
    const cells = chunkCells(
      stats(
        {
          stored: [[0, 2]],
          downloading: [
            { index: 3, received: 250 },
            { index: 4, received: null },
          ],
          queued: [5],
          readers: [{ position: 1, windowEnd: 5 }],
        },
        [7],
      ),
    );
    expect(cells.states).toEqual([
      'stored',
      'stored',
      'stored',
      'downloading',
      'downloading',
      'queued',
      'missing',
      'failed',
    ]);
    expect([...cells.progress]).toEqual([
      [3, 0.25],
      [4, 0],
    ]);
    expect(cells.readers).toEqual([{ position: 1, windowEnd: 5 }]);
  });

  it('storedBeforeAndGoneNow_evicted_unlessFetchedAgain', () => {
    const before = chunkCells(
      stats({ stored: [[0, 3]], downloading: [], queued: [], readers: [] }),
    ).states;
    const after = chunkCells(
      stats({
        stored: [[2, 3]],
        downloading: [{ index: 1, received: 0 }],
        queued: [],
        readers: [],
      }),
      before,
    );
    expect(after.states.slice(0, 4)).toEqual(['evicted', 'downloading', 'stored', 'stored']);
  });

  it('noActivity_allMissing', () => {
    expect(chunkCells(stats(null)).states).toEqual(Array(8).fill('missing'));
  });
});

describe('runs: what the map writes in its data attributes', () => {
  it.each<[number[], string]>([
    [[], ''],
    [[3], '3'],
    [[0, 1, 2, 5, 7, 8], '0-2,5,7-8'],
    [[5, 1, 2, 2], '1-2,5'],
  ])('%j_%s', (indexes, text) => {
    expect(runsText(toRuns(indexes))).toBe(text);
  });
});

describe('format: what people read', () => {
  it.each<[number | null, string]>([
    [null, '—'],
    [59.4, '59 s'],
    [59.6, '1 min 0 s'],
    [119.7, '2 min 0 s'],
    [125, '2 min 5 s'],
  ])('seconds(%s) = %s', (s, text) => {
    expect(seconds(s)).toBe(text);
  });

  it('hideTokens_hidesEveryQuery_keepsTheRest', () => {
    expect(
      hideTokens('fetch https://cdn.test/a.mp4?sig=SECRET failed (https://x.test/b?t=1)'),
    ).toBe('fetch https://cdn.test/a.mp4?… failed (https://x.test/b?…)');
  });
});
