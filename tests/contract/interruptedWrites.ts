import { blobOf, bytesOf, mediaMeta } from './contractData.ts';
import { type Backend, openBackend } from './openBackend.ts';
import { countOpfsTempFiles } from './opfsTempFiles.ts';

const KEY = 'interrupted';
const COUNT = 16;
const SIZE = 512 * 1024;

/** What a store opened after the writing page died holds. */
export interface InterruptedOutcome {
  /** Chunks readable and byte-exact. */
  complete: number[];
  /** Chunks absent. */
  absent: number[];
  /** Chunks readable with wrong bytes or size, or listed with a wrong size: the failures. */
  corrupt: string[];
  /** OPFS only: temp files still under the store's root after reopening (0 for IndexedDB). */
  tempFiles: number;
}

/**
 * A real interruption, not a `close()`: the runner starts writes in one page and closes that page
 * with the writes in flight, then checks the store from a second page of the origin.
 */
export const interruptedWrites = {
  /** Start `COUNT` chunk writes; resolve once the first settles, the rest still in flight. */
  async start(backend: Backend, name: string): Promise<void> {
    const store = await openBackend(backend, name);
    await store.putMedia(mediaMeta(KEY));
    const puts = Array.from({ length: COUNT }, (_, i) =>
      store.putChunk(KEY, 1, i, blobOf(bytesOf(i, SIZE))),
    );
    await Promise.race(puts);
  },

  /** Reopen the store and sort every chunk into complete, absent or corrupt. */
  async inspect(backend: Backend, name: string): Promise<InterruptedOutcome> {
    const store = await openBackend(backend, name);
    const outcome: InterruptedOutcome = { complete: [], absent: [], corrupt: [], tempFiles: 0 };
    for (let i = 0; i < COUNT; i++) {
      const blob = await store.getChunk(KEY, i);
      if (blob === undefined) {
        outcome.absent.push(i);
        continue;
      }
      const got = new Uint8Array(await blob.arrayBuffer());
      const want = bytesOf(i, SIZE);
      const exact = got.length === want.length && got.every((b, j) => b === want[j]);
      if (exact) outcome.complete.push(i);
      else outcome.corrupt.push(`chunk ${i}: ${got.length} bytes, not the ${SIZE} written`);
    }
    for (const c of await store.listChunks()) {
      if (!outcome.complete.includes(c.index) || c.size !== SIZE) {
        outcome.corrupt.push(
          `listed ${c.key}/${c.index} (${c.size} bytes) is not a complete chunk`,
        );
      }
    }
    store.close();
    if (backend === 'opfs') outcome.tempFiles = await countOpfsTempFiles(name);
    return outcome;
  },
};
