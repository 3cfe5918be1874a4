import type { IDBPDatabase } from 'idb';
import type { SessionInfo } from '../../shared/protocol.ts';
import { IdbConnection } from './IdbConnection.ts';
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
  private readonly connection: IdbConnection;

  constructor(db: IDBPDatabase<ChunkwiseDB> | IdbConnection) {
    this.connection = IdbConnection.of(db);
  }

  private db(): Promise<IDBPDatabase<ChunkwiseDB>> {
    return this.connection.db();
  }

  async get(id: string): Promise<SessionInfo | undefined> {
    return (await this.db()).get('sessions', id);
  }

  async put(session: SessionInfo): Promise<void> {
    await (await this.db()).put('sessions', session);
  }

  async delete(id: string): Promise<void> {
    return (await this.db()).delete('sessions', id);
  }

  async list(): Promise<SessionInfo[]> {
    return (await this.db()).getAll('sessions');
  }
}
