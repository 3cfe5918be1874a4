import type { IDBPDatabase } from 'idb';
import type { SessionInfo } from '../../shared/types.ts';

/** A session as stored: a page's `SessionInfo`, and the headers kept out of storage. */
export interface StoredSession extends SessionInfo {
  /**
   * The names of the headers kept out of storage (memory only). A session read back from
   * storage with any has lost them.
   */
  memoryOnlyHeaders?: string[];
}

import { IdbConnection } from './IdbConnection.ts';
import type { ChunkwiseDB } from './schema.ts';

/** Where sessions persist across worker restarts (Chromium stops idle workers). */
export interface SessionStore {
  get(id: string): Promise<StoredSession | undefined>;
  put(session: StoredSession): Promise<void>;
  delete(id: string): Promise<void>;
  list(): Promise<StoredSession[]>;
}

/** `SessionStore` in the `sessions` object store of the worker's database. */
export class IdbSessionStore implements SessionStore {
  private readonly connection: IdbConnection;

  constructor(db: IDBPDatabase<ChunkwiseDB> | IdbConnection) {
    this.connection = IdbConnection.of(db);
  }

  private db(): Promise<IDBPDatabase<ChunkwiseDB>> {
    return this.connection.db();
  }

  async get(id: string): Promise<StoredSession | undefined> {
    return (await this.db()).get('sessions', id);
  }

  async put(session: StoredSession): Promise<void> {
    await (await this.db()).put('sessions', session);
  }

  async delete(id: string): Promise<void> {
    return (await this.db()).delete('sessions', id);
  }

  async list(): Promise<StoredSession[]> {
    return (await this.db()).getAll('sessions');
  }
}
