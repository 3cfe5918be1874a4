import type { ChunkStore } from '../../src/sw/store/ChunkStore.ts';
import { IdbChunkStore } from '../../src/sw/store/IdbChunkStore.ts';
import { OpfsChunkStore } from '../../src/sw/store/OpfsChunkStore.ts';
import { openChunkwiseDb } from '../../src/sw/store/openChunkwiseDb.ts';

/** The backends the browser runner proves. */
export type Backend = 'indexeddb' | 'opfs';

/** Open the store of `backend` under `name` (a database name, or an OPFS root directory). */
export async function openBackend(backend: Backend, name: string): Promise<ChunkStore> {
  return backend === 'opfs'
    ? OpfsChunkStore.open(name)
    : new IdbChunkStore(await openChunkwiseDb(name));
}
