import type { IDBPDatabase } from 'idb';
import type { SessionInfo } from '../../shared/protocol.ts';
import type { ChunkwiseDB } from './schema.ts';

/** Where sessions persist across worker restarts (Chromium stops idle workers). */
export interface SessionStore {
  get(id: string): Promise<SessionInfo | undefined>;
  put(session: SessionInfo): Promise<void>;
  delete(id: string): Promise<void>;
  list(): Promise<SessionInfo[]>;
}

/** `SessionStore` in the `sessions` object store of the worker's database. */
export class IdbSessionStore implements SessionStore {
  constructor(private readonly db: IDBPDatabase<ChunkwiseDB>) {}

  get(id: string): Promise<SessionInfo | undefined> {
    return this.db.get('sessions', id);
  }

  async put(session: SessionInfo): Promise<void> {
    await this.db.put('sessions', session);
  }

  delete(id: string): Promise<void> {
    return this.db.delete('sessions', id);
  }

  list(): Promise<SessionInfo[]> {
    return this.db.getAll('sessions');
  }
}
