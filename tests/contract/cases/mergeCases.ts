import type { ChunkStore } from '../../../src/sw/store/ChunkStore.ts';
import type { ContractCase } from '../ContractCase.ts';
import type { Check } from '../check.ts';
import { blobOf, bytesOf, joined, mediaMeta, sortedChunks } from '../contractData.ts';

const CHUNK = 64 * 1024;
/** Six chunks: five full ones and a last one of 100 bytes. */
const SIZES = [CHUNK, CHUNK, CHUNK, CHUNK, CHUNK, 100];

/** Media `key` at version 1 with the six chunks of SIZES stored (seeds 10 + index). */
async function storeSix(store: ChunkStore, key: string): Promise<void> {
  await store.putMedia(mediaMeta(key, { chunkSize: CHUNK, size: 5 * CHUNK + 100 }));
  for (const [i, size] of SIZES.entries())
    await store.putChunk(key, 1, i, blobOf(bytesOf(10 + i, size)));
}

/** Merge, where the backend can: IndexedDB must (it reads fewer values faster). */
async function merge(
  store: ChunkStore,
  check: Check,
  key: string,
  first: number,
  count: number,
): Promise<void> {
  const merged = (await store.mergeChunks?.(key, 1, first, count)) ?? false;
  if (store.kind === 'indexeddb') check.equal(merged, true, `IndexedDB merged ${first}+${count}`);
}

/** Every chunk of `indexes` reads back with the bytes of its seed (or `seeds[i]`). */
async function checkChunks(
  store: ChunkStore,
  check: Check,
  key: string,
  indexes: number[],
  seeds: Record<number, number> = {},
): Promise<void> {
  for (const i of indexes) {
    const size = SIZES[i] ?? 0;
    await check.bytes(
      await store.getChunk(key, i),
      bytesOf(seeds[i] ?? 10 + i, size),
      `chunk ${i}`,
    );
  }
  check.equal(
    await sortedChunks(store, key),
    indexes.map((index) => ({ key, index, size: SIZES[index] })),
    'listing',
  );
}

/** Merged chunks (`mergeChunks`): every other method still sees chunks of their own. */
export const mergeCases: ContractCase[] = [
  {
    name: 'mergeChunks_chunksReadListedAndSpannedAsBefore_alsoAfterReopen',
    async run({ open, check }) {
      let store = await open('s');
      await storeSix(store, 'a');
      await merge(store, check, 'a', 0, 6);
      const all = [0, 1, 2, 3, 4, 5];
      for (let round = 0; round < 2; round++) {
        await checkChunks(store, check, 'a', all);
        for (const [from, to] of [
          [0, 5],
          [2, 3],
          [5, 5],
          [1, 1],
        ] as const) {
          const expected = joined(
            all.filter((i) => i >= from && i <= to).map((i) => bytesOf(10 + i, SIZES[i] ?? 0)),
          );
          await check.bytes(
            (await store.getSpan('a', from, to)) ?? undefined,
            expected,
            `span ${from}-${to}`,
          );
        }
        check.equal(await store.getSpan('a', 4, 6), null, 'a span past the last chunk');
        store.close();
        store = await open('s');
      }
      store.close();
    },
  },
  {
    name: 'mergeChunks_refused_chunkMissing_shortChunkInside_otherVersion_nothingChanged',
    async run({ open, check }) {
      const store = await open('s');
      await storeSix(store, 'a');
      await store.deleteChunk('a', 3);
      check.equal((await store.mergeChunks?.('a', 1, 0, 4)) ?? false, false, 'chunk 3 missing');
      check.equal((await store.mergeChunks?.('a', 2, 0, 3)) ?? false, false, 'another version');
      await store.putChunk('a', 1, 3, blobOf(bytesOf(13, 100)));
      check.equal(
        (await store.mergeChunks?.('a', 1, 2, 3)) ?? false,
        false,
        'short chunk 3 inside',
      );
      await check.bytes(await store.getChunk('a', 3), bytesOf(13, 100), 'the short chunk');
      await store.putChunk('a', 1, 3, blobOf(bytesOf(13, CHUNK)));
      await checkChunks(store, check, 'a', [0, 1, 2, 3, 4, 5]);
      store.close();
    },
  },
  {
    name: 'mergedChunks_deleteOne_deleteSeveral_replaceOne_othersKeepTheirBytes',
    async run({ open, check }) {
      const store = await open('s');
      await storeSix(store, 'a');
      await merge(store, check, 'a', 0, 6);
      await store.deleteChunk('a', 2);
      await checkChunks(store, check, 'a', [0, 1, 3, 4, 5]);
      check.equal(await store.getSpan('a', 1, 3), null, 'a span over the deleted chunk');
      check.equal(await store.deleteChunks('a', [5, 0, 9]), [5, 0, 9], 'removed (9: absent)');
      await checkChunks(store, check, 'a', [1, 3, 4]);

      await storeSix(store, 'b');
      await merge(store, check, 'b', 0, 5);
      await store.putChunk('b', 1, 3, blobOf(bytesOf(99, CHUNK)));
      await checkChunks(store, check, 'b', [0, 1, 2, 3, 4, 5], { 3: 99 });
      await merge(store, check, 'b', 0, 4);
      check.equal(await store.deleteChunks('b', [0, 1, 2, 3]), [0, 1, 2, 3], 'removed');
      await checkChunks(store, check, 'b', [4, 5]);
      await store.deleteMedia('b');
      check.equal(await sortedChunks(store, 'b'), [], 'b deleted');
      await checkChunks(store, check, 'a', [1, 3, 4]);
      store.close();
    },
  },
];
