import type { ContractCase } from '../ContractCase.ts';
import { blobOf, bytesOf, mediaMeta, sortedChunks } from '../contractData.ts';

/** Media metadata: put, get, list, replace, delete, touch, pin. */
export const mediaCases: ContractCase[] = [
  {
    name: 'putMedia_thenGetMedia_returnsEqualMeta',
    async run({ open, check }) {
      const store = await open('s');
      check.equal(await store.getMedia('a'), undefined, 'unknown key before any put');
      const meta = mediaMeta('a', { etag: null, contentType: null, validation: 'length-only' });
      await store.putMedia(meta);
      check.equal(await store.getMedia('a'), meta, 'getMedia after putMedia');
      check.equal(await store.getMedia('b'), undefined, 'another key stays unknown');
      store.close();
    },
  },
  {
    name: 'putMedia_existingKey_replacesMeta',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a'));
      const replaced = mediaMeta('a', { url: 'https://elsewhere.test/a', size: 5, pinned: true });
      await store.putMedia(replaced);
      check.equal(await store.getMedia('a'), replaced, 'getMedia after the second putMedia');
      check.equal(await store.listMedia(), [replaced], 'listMedia holds one media, replaced');
      store.close();
    },
  },
  {
    name: 'listMedia_returnsEveryMedia',
    async run({ open, check }) {
      const store = await open('s');
      check.equal(await store.listMedia(), [], 'listMedia of an empty store');
      const metas = ['c', 'a', 'b'].map((k, i) => mediaMeta(k, { size: i + 1 }));
      for (const meta of metas) await store.putMedia(meta);
      const listed = (await store.listMedia()).sort((x, y) => x.key.localeCompare(y.key));
      check.equal(listed, [metas[1], metas[2], metas[0]], 'listMedia sorted by key');
      store.close();
    },
  },
  {
    name: 'deleteMedia_removesMetaAndEveryChunk_othersKept',
    async run({ open, check }) {
      const store = await open('s');
      for (const key of ['gone', 'kept']) {
        await store.putMedia(mediaMeta(key));
        for (let i = 0; i < 3; i++) await store.putChunk(key, 1, i, blobOf(bytesOf(i, 100)));
      }
      await store.deleteMedia('gone');
      check.equal(await store.getMedia('gone'), undefined, 'deleted media');
      check.equal(await store.getChunk('gone', 0), undefined, 'a chunk of the deleted media');
      check.equal(await store.listChunks('gone'), [], 'listChunks of the deleted media');
      check.equal(
        (await store.listMedia()).map((m) => m.key),
        ['kept'],
        'listMedia after the delete',
      );
      check.equal(
        await sortedChunks(store),
        [0, 1, 2].map((index) => ({ key: 'kept', index, size: 100 })),
        'every chunk left belongs to the other media',
      );
      // Back under the same version, the media starts empty: no chunk survived the delete.
      await store.putMedia(mediaMeta('gone'));
      check.equal(await store.listChunks('gone'), [], 'chunks after putting the media back');
      await store.deleteMedia('never-stored');
      store.close();
    },
  },
  {
    name: 'touch_setsLastAccess_unknownKeyIsNoOp',
    async run({ open, check }) {
      const store = await open('s');
      const meta = mediaMeta('a');
      await store.putMedia(meta);
      await store.touch('a', meta.lastAccess + 5000);
      check.equal(
        await store.getMedia('a'),
        { ...meta, lastAccess: meta.lastAccess + 5000 },
        'meta after touch',
      );
      await store.touch('unknown', 1);
      check.equal(await store.getMedia('unknown'), undefined, 'touch created no media');
      check.equal((await store.listMedia()).length, 1, 'listMedia after touching an unknown key');
      store.close();
    },
  },
  {
    name: 'setPinned_setsPinned_unknownKeyIsNoOp',
    async run({ open, check }) {
      const store = await open('s');
      const meta = mediaMeta('a');
      await store.putMedia(meta);
      await store.setPinned('a', true);
      check.equal(await store.getMedia('a'), { ...meta, pinned: true }, 'meta after pinning');
      await store.setPinned('a', false);
      check.equal(await store.getMedia('a'), meta, 'meta after unpinning');
      await store.setPinned('unknown', true);
      check.equal(await store.getMedia('unknown'), undefined, 'setPinned created no media');
      store.close();
    },
  },
  {
    name: 'putMedia_sameVersion_keepsChunks',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a'));
      await store.putChunk('a', 1, 0, blobOf(bytesOf(1, 300)));
      await store.putMedia(mediaMeta('a', { etag: '"e2"', lastAccess: 5 }));
      await check.bytes(await store.getChunk('a', 0), bytesOf(1, 300), 'chunk 0 after re-put');
      store.close();
    },
  },
];
