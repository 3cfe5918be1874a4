import type { ContractCase } from '../ContractCase.ts';
import {
  blobOf,
  bytesOf,
  mediaMeta,
  seededRandom,
  shuffled,
  sortedChunks,
  yieldTurn,
} from '../contractData.ts';

const KiB = 1024;

/** Concurrent writes never lose each other's bytes (the seed design's truncating-write bug). */
export const concurrencyCases: ContractCase[] = [
  {
    name: 'concurrentPuts_randomOrder_everyByteExact',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a'));
      const random = seededRandom(32);
      // Sizes differ (1–256 KiB) and starts are shuffled and staggered, so the 32 writes overlap
      // and finish in an order unrelated to their indexes.
      const sizes = Array.from({ length: 32 }, () => 1 + Math.floor(random() * 256 * KiB));
      const puts: Promise<void>[] = [];
      for (const i of shuffled([...sizes.keys()], random)) {
        if (random() < 0.3) await yieldTurn();
        puts.push(store.putChunk('a', 1, i, blobOf(bytesOf(i, sizes[i] ?? 0))));
      }
      await Promise.all(puts);
      for (const [i, size] of sizes.entries()) {
        await check.bytes(await store.getChunk('a', i), bytesOf(i, size), `chunk ${i}`);
      }
      check.equal(
        await sortedChunks(store, 'a'),
        sizes.map((size, index) => ({ key: 'a', index, size })),
        'listing after 32 concurrent writes',
      );
      store.close();
    },
  },
  {
    name: 'concurrentPuts_manyMedia_everyByteExact',
    async run({ open, check }) {
      const store = await open('s');
      const keys = Array.from({ length: 8 }, (_, m) => `media-${m}`);
      await Promise.all(keys.map((key) => store.putMedia(mediaMeta(key))));
      const writes = keys.flatMap((key, m) =>
        Array.from({ length: 6 }, (_, i) => ({
          key,
          index: i,
          seed: m * 100 + i,
          size: 10 * KiB + m + i,
        })),
      );
      await Promise.all(
        shuffled(writes, seededRandom(8)).map((w) =>
          store.putChunk(w.key, 1, w.index, blobOf(bytesOf(w.seed, w.size))),
        ),
      );
      for (const w of writes) {
        await check.bytes(
          await store.getChunk(w.key, w.index),
          bytesOf(w.seed, w.size),
          `${w.key}/${w.index}`,
        );
      }
      check.equal(
        await sortedChunks(store),
        writes.map(({ key, index, size }) => ({ key, index, size })),
        'listing of every media',
      );
      store.close();
    },
  },
  {
    name: 'concurrentOverwrites_sameChunk_oneWholeWriteWins',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a'));
      const versions = [1, 2, 3, 4, 5, 6].map((seed) => bytesOf(seed, seed * 20 * KiB));
      await Promise.all(versions.map((bytes) => store.putChunk('a', 1, 0, blobOf(bytes))));
      const stored = new Uint8Array(
        await ((await store.getChunk('a', 0)) ?? new Blob()).arrayBuffer(),
      );
      const winner = versions.find((v) => v.length === stored.length);
      check.ok(winner !== undefined, `the stored length ${stored.length} is one write's length`);
      await check.bytes(
        new Blob([stored]),
        winner ?? new Uint8Array(),
        'the stored chunk is one whole write',
      );
      check.equal(
        await store.listChunks('a'),
        [{ key: 'a', index: 0, size: stored.length }],
        'listing',
      );
      store.close();
    },
  },
  {
    name: 'concurrentMetaUpdates_lastCallWins_metaIntact',
    async run({ open, check }) {
      const store = await open('s');
      const meta = mediaMeta('a');
      await store.putMedia(meta);
      const updates: Promise<void>[] = [];
      for (let t = 1; t <= 20; t++) {
        updates.push(store.touch('a', meta.lastAccess + t));
        if (t === 7) updates.push(store.setPinned('a', true));
      }
      await Promise.all(updates);
      check.equal(
        await store.getMedia('a'),
        { ...meta, lastAccess: meta.lastAccess + 20, pinned: true },
        'meta after 20 touches and a pin, all concurrent',
      );
      store.close();
    },
  },
];
