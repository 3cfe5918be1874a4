import { StaleWriteError } from '../../../src/sw/store/StaleWriteError.ts';
import type { ContractCase } from '../ContractCase.ts';
import type { Check } from '../check.ts';
import { blobOf, bytesOf, mediaMeta } from '../contractData.ts';

/** A refusal that says which write it refused and why. */
function checkRefusal(check: Check, error: unknown, expected: Partial<StaleWriteError>): void {
  check.ok(error instanceof StaleWriteError, 'the refusal is a StaleWriteError');
  const { key, version, current } = error as StaleWriteError;
  check.equal({ key, version, current }, expected, 'what the refusal names');
}

/** Chunk writes are refused unless the media is known and at the version they were fetched for. */
export const versionCases: ContractCase[] = [
  {
    name: 'putChunk_staleVersion_refusedAndNothingStored',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a', { version: 2 }));
      for (const version of [1, 3]) {
        const put = store.putChunk('a', version, 0, blobOf(bytesOf(version, 1000)));
        const error = await check.rejects(put, 'StaleWriteError', `a write for version ${version}`);
        checkRefusal(check, error, { key: 'a', version, current: 2 });
      }
      check.equal(await store.getChunk('a', 0), undefined, 'chunk 0 after the refusals');
      check.equal(await store.listChunks(), [], 'listing after the refusals');
      check.equal(await store.getMedia('a'), mediaMeta('a', { version: 2 }), 'meta untouched');
      store.close();
    },
  },
  {
    name: 'putChunk_unknownMedia_refusedAndNothingStored',
    async run({ open, check }) {
      const store = await open('s');
      const put = store.putChunk('nobody', 1, 0, blobOf(bytesOf(1, 100)));
      checkRefusal(check, await check.rejects(put, 'StaleWriteError', 'a write for no media'), {
        key: 'nobody',
        version: 1,
        current: null,
      });
      await store.putMedia(mediaMeta('gone'));
      await store.deleteMedia('gone');
      const late = store.putChunk('gone', 1, 0, blobOf(bytesOf(1, 100)));
      await check.rejects(late, 'StaleWriteError', 'a write for a deleted media');
      check.equal(await store.getMedia('nobody'), undefined, 'the refusal created no media');
      check.equal(await store.getMedia('gone'), undefined, 'the refusal revived no media');
      check.equal(await store.listChunks(), [], 'listing after the refusals');
      store.close();
    },
  },
  {
    name: 'putChunk_afterVersionBump_oldVersionRefused_newAccepted',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a', { version: 1 }));
      await store.putMedia(mediaMeta('a', { version: 2, etag: '"e2"' }));
      const old = store.putChunk('a', 1, 0, blobOf(bytesOf(1, 500)));
      checkRefusal(check, await check.rejects(old, 'StaleWriteError', 'a version-1 write'), {
        key: 'a',
        version: 1,
        current: 2,
      });
      check.equal(await store.getChunk('a', 0), undefined, 'chunk 0 after the refused write');
      await store.putChunk('a', 2, 0, blobOf(bytesOf(2, 600)));
      await check.bytes(await store.getChunk('a', 0), bytesOf(2, 600), 'chunk 0 of version 2');
      check.equal(await store.listChunks('a'), [{ key: 'a', index: 0, size: 600 }], 'listing');
      store.close();
    },
  },
  {
    name: 'putChunk_racingVersionBump_refusedWriteStoresNothing',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a', { version: 1 }));
      const v1 = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => bytesOf(i, 256 * 1024));
      const puts = v1.map((bytes, i) => store.putChunk('a', 1, i, blobOf(bytes)));
      const bump = store.putMedia(mediaMeta('a', { version: 2 }));
      const outcomes = await Promise.allSettled(puts);
      await bump;
      for (const [i, outcome] of outcomes.entries()) {
        const chunk = await store.getChunk('a', i);
        if (outcome.status === 'rejected') {
          checkRefusal(check, outcome.reason, { key: 'a', version: 1, current: 2 });
          check.equal(chunk, undefined, `chunk ${i} after a refused racing write`);
        } else if (chunk !== undefined) {
          // Written before the bump: a store may keep it (MediaCache decides), but only whole.
          await check.bytes(chunk, v1[i] ?? new Uint8Array(), `chunk ${i} written before the bump`);
        }
      }
      await store.putChunk('a', 2, 0, blobOf(bytesOf(2, 100)));
      await check.bytes(await store.getChunk('a', 0), bytesOf(2, 100), 'chunk 0 of version 2');
      store.close();
    },
  },
  {
    name: 'putChunk_racingDeleteMedia_nothingLeftBehind',
    async run({ open, check }) {
      const store = await open('s');
      await store.putMedia(mediaMeta('a'));
      const puts = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
        store.putChunk('a', 1, i, blobOf(bytesOf(i, 256 * 1024))),
      );
      const removal = store.deleteMedia('a');
      const outcomes = await Promise.allSettled(puts);
      await removal;
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected')
          checkRefusal(check, outcome.reason, { key: 'a', version: 1, current: null });
      }
      check.equal(await store.getMedia('a'), undefined, 'the media after the delete');
      check.equal(await store.listChunks(), [], 'no chunk outlived the delete');
      await store.putMedia(mediaMeta('a'));
      check.equal(await store.listChunks('a'), [], 'no chunk reappears under the same version');
      store.close();
    },
  },
];
