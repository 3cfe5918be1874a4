import type { ChunkStore, StoreKind } from './ChunkStore.ts';
import { IdbChunkStore } from './IdbChunkStore.ts';
import { IdbConnection } from './IdbConnection.ts';
import { OpfsChunkStore } from './OpfsChunkStore.ts';
import { IdbSessionStore, type SessionStore } from './SessionStore.ts';
import { IdbSettingsStore, type SettingsStore } from './SettingsStore.ts';

/** Which chunk backend to use; `auto` picks the measured default where it works. */
export type StoreChoice = 'auto' | StoreKind;

/** Everything the proxy persists, each behind its own small store. */
export interface Storage {
  chunks: ChunkStore;
  sessions: SessionStore;
  settings: SettingsStore;
  /** The other backend when it still holds media (the installation switched): migrate them. */
  previous: ChunkStore | null;
}

/**
 * The backend `auto` prefers. Chosen from the storage benchmark (BENCHMARKS.md, "Storage
 * backends"): see there for the figures behind it.
 */
export const AUTO_STORE: StoreKind = 'indexeddb';

/**
 * Open the worker's storage: sessions and settings always in IndexedDB (`dbName`), chunks in the
 * backend `choice` names. OPFS is feature-detected and opened with a probe; where it is missing or
 * fails, chunks go to IndexedDB (and `cache.usage().store` says `indexeddb`).
 */
export async function openStorage(choice: StoreChoice = 'auto', dbName?: string): Promise<Storage> {
  const db = IdbConnection.to(dbName);
  await db.db(); // fail here, not on first use, when IndexedDB is unusable
  const wanted = choice === 'auto' ? AUTO_STORE : choice;
  let chunks: ChunkStore = new IdbChunkStore(db);
  if (wanted === 'opfs') {
    // Where OPFS cannot back a store, chunks stay in IndexedDB (`cache.usage().store` says so).
    chunks = await OpfsChunkStore.open().catch(() => chunks);
  }
  return {
    chunks,
    sessions: new IdbSessionStore(db),
    settings: new IdbSettingsStore(db),
    previous: await otherWithMedia(chunks, db),
  };
}

/** The backend not in use, when it holds any media. */
async function otherWithMedia(inUse: ChunkStore, db: IdbConnection): Promise<ChunkStore | null> {
  try {
    // (Never creates an OPFS store, nor scans one, where none was ever used: this runs at every
    // worker start.)
    const other =
      inUse.kind === 'opfs' ? new IdbChunkStore(db) : await OpfsChunkStore.openExisting();
    if (other && (await other.listMedia()).length > 0) return other;
    if (other?.kind === 'opfs') other.close();
  } catch {
    // No OPFS here: nothing can have been stored in it.
  }
  return null;
}
