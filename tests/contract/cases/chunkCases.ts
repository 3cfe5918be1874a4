import type { ContractCase } from '../ContractCase.ts';
import { blobOf, bytesOf, joined, mediaMeta, sortedChunks } from '../contractData.ts';

const MiB = 1024 * 1024;

/** Chunk bytes: put, get, overwrite, ranges, delete, listings, awkward keys. */
export const chunkCases: ContractCase[] = [
  {
    name: 'putChunk_thenGetChunk_bytesExact',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a'));
      const sizes = [1, 1000, MiB + 7];
      for (const [i, size] of sizes.entries())
        await store.putChunk('a', 1, i, blobOf(bytesOf(i, size)));
      for (const [i, size] of sizes.entries()) {
        const blob = await store.getChunk('a', i);
        check.equal(blob?.size, size, `size of chunk ${i}`);
        await check.bytes(blob, bytesOf(i, size), `bytes of chunk ${i}`);
      }
      store.close();
    },
  },
  {
    name: 'getChunk_absentIndexOrUnknownKey_isUndefined',
    async run({ open, check }) {
      const store = await open('s');
      check.equal(await store.getChunk('nobody', 0), undefined, 'chunk of an unknown key');
      await store.putMedia(mediaMeta('a'));
      await store.putChunk('a', 1, 1, blobOf(bytesOf(1, 10)));
      check.equal(await store.getChunk('a', 0), undefined, 'a chunk never written');
      check.equal(await store.getChunk('a', 2), undefined, 'the chunk after the written one');
      store.close();
    },
  },
  {
    name: 'putChunk_overwrite_readsOnlyNewBytes',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a'));
      await store.putChunk('a', 1, 0, blobOf(bytesOf(1, 5000)));
      await store.putChunk('a', 1, 0, blobOf(bytesOf(2, 3000)));
      await check.bytes(
        await store.getChunk('a', 0),
        bytesOf(2, 3000),
        'after a shorter overwrite',
      );
      check.equal(await store.listChunks('a'), [{ key: 'a', index: 0, size: 3000 }], 'listing');
      await store.putChunk('a', 1, 0, blobOf(bytesOf(3, 7000)));
      await check.bytes(await store.getChunk('a', 0), bytesOf(3, 7000), 'after a longer overwrite');
      check.equal(await store.listChunks('a'), [{ key: 'a', index: 0, size: 7000 }], 'listing');
      store.close();
    },
  },
  {
    name: 'getChunk_duringPut_absentOrWhole',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a'));
      const first = bytesOf(1, 512 * 1024);
      const second = bytesOf(2, 2 * MiB + 3);
      // Reads interleaved with a write see nothing or a whole chunk, never a part of one.
      const seen = new Set<number | undefined>();
      const readWhile = async (write: Promise<void>) => {
        let done = false;
        const settled = write.finally(() => {
          done = true;
        });
        while (!done) seen.add((await store.getChunk('a', 0))?.size);
        await settled;
      };
      await readWhile(store.putChunk('a', 1, 0, blobOf(first)));
      check.ok(
        [...seen].every((s) => s === undefined || s === first.length),
        `sizes seen: ${[...seen]}`,
      );
      seen.clear();
      await readWhile(store.putChunk('a', 1, 0, blobOf(second)));
      check.ok(
        [...seen].every((s) => s === first.length || s === second.length),
        `sizes seen while overwriting: ${[...seen]}`,
      );
      await check.bytes(await store.getChunk('a', 0), second, 'chunk 0 once the overwrite settled');
      store.close();
    },
  },
  {
    name: 'getSpan_allStored_backToBack_elseNull',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a'));
      for (const i of [0, 1, 2, 4]) await store.putChunk('a', 1, i, blobOf(bytesOf(i, 100 + i)));
      const span = await store.getSpan('a', 0, 2);
      await check.bytes(
        span ?? undefined,
        joined([0, 1, 2].map((i) => bytesOf(i, 100 + i))),
        'getSpan(0, 2)',
      );
      await check.bytes(
        (await store.getSpan('a', 4, 4)) ?? undefined,
        bytesOf(4, 104),
        'getSpan(4, 4)',
      );
      check.equal(await store.getSpan('a', 2, 4), null, 'a span with a hole (3)');
      check.equal(await store.getSpan('a', 4, 5), null, 'a span past the last stored chunk');
      check.equal(await store.getSpan('nobody', 0, 0), null, 'a span of an unknown key');
      store.close();
    },
  },
  {
    name: 'deleteChunk_removesOnlyThatChunk_absentIsNoOp',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a'));
      for (let i = 0; i < 3; i++) await store.putChunk('a', 1, i, blobOf(bytesOf(i, 50)));
      await store.deleteChunk('a', 1);
      check.equal(await store.getChunk('a', 1), undefined, 'the deleted chunk');
      await check.bytes(await store.getChunk('a', 0), bytesOf(0, 50), 'chunk 0 is kept');
      await check.bytes(await store.getChunk('a', 2), bytesOf(2, 50), 'chunk 2 is kept');
      await store.deleteChunk('a', 1);
      await store.deleteChunk('a', 99);
      await store.deleteChunk('nobody', 0);
      check.equal(
        await sortedChunks(store),
        [0, 2].map((index) => ({ key: 'a', index, size: 50 })),
        'listing after the deletes',
      );
      check.equal(await store.getMedia('a'), mediaMeta('a'), 'the media is untouched');
      store.close();
    },
  },
  {
    name: 'listChunks_perKeyAndAll_exactSizes',
    async run({ open, check }) {
      const store = await open('s');
      check.equal(await store.listChunks(), [], 'listing of an empty store');
      await store.putMedia(mediaMeta('a'));
      await store.putMedia(mediaMeta('b'));
      await store.putMedia(mediaMeta('empty'));
      const a = [
        { key: 'a', index: 0, size: 4096 },
        { key: 'a', index: 1, size: 4096 },
        { key: 'a', index: 7, size: 17 },
      ];
      const b = [{ key: 'b', index: 3, size: 1 }];
      for (const c of [...a, ...b])
        await store.putChunk(c.key, 1, c.index, blobOf(bytesOf(c.index, c.size)));
      check.equal(await sortedChunks(store, 'a'), a, 'listChunks("a")');
      check.equal(await sortedChunks(store, 'b'), b, 'listChunks("b")');
      check.equal(await store.listChunks('empty'), [], 'listChunks of a media without chunks');
      check.equal(await store.listChunks('nobody'), [], 'listChunks of an unknown key');
      check.equal(await sortedChunks(store), [...a, ...b], 'listChunks() of every media');
      store.close();
    },
  },
  {
    name: 'oddKeys_metaAndChunksRoundTrip',
    async run({ open, check }) {
      const store = await open('s');
      const keys = [
        `https://cdn.example.com/path/film.mp4?token=${'x'.repeat(1500)}&a=1#frag`,
        'ünïcødé 映画 🎬',
        'a/b/../c',
        '..',
        '.',
        '',
        ' spaced  key ',
        'percent%2Fslash\\back:colon*star?',
      ];
      for (const [i, key] of keys.entries()) {
        await store.putMedia(mediaMeta(key));
        await store.putChunk(key, 1, i, blobOf(bytesOf(i, 200 + i)));
      }
      for (const [i, key] of keys.entries()) {
        check.equal(await store.getMedia(key), mediaMeta(key), `meta of key #${i}`);
        await check.bytes(await store.getChunk(key, i), bytesOf(i, 200 + i), `chunk of key #${i}`);
        check.equal(
          await store.listChunks(key),
          [{ key, index: i, size: 200 + i }],
          `listing #${i}`,
        );
      }
      check.equal((await store.listMedia()).length, keys.length, 'listMedia count');
      await store.deleteMedia('..');
      check.equal(await store.getMedia('.'), mediaMeta('.'), 'deleting ".." left "."');
      check.equal((await store.listChunks()).length, keys.length - 1, 'chunks after one delete');
      store.close();
    },
  },
];
