import { DBSchema, IDBPDatabase, deleteDB, openDB } from 'idb';
import { Project, SavedView, Task, TrashedTask, User } from '../api-models';
import { OutboxEntry } from './outbox';

interface OfflineSchema extends DBSchema {
  tasks: { key: string; value: Task };
  trash: { key: string; value: TrashedTask };
  projects: { key: string; value: Project };
  views: { key: string; value: SavedView };
  outbox: { key: number; value: OutboxEntry };
  meta: { key: string; value: unknown };
}

export type LocalDatabase = IDBPDatabase<OfflineSchema>;

/** One database per user: another user on this browser opens another, and never this one. */
export function databaseName(userId: string): string {
  return `eot-${userId}`;
}

export function openLocalDatabase(userId: string): Promise<LocalDatabase> {
  return openDB<OfflineSchema>(databaseName(userId), 1, {
    upgrade(db) {
      db.createObjectStore('tasks', { keyPath: 'id' });
      db.createObjectStore('trash', { keyPath: 'id' });
      db.createObjectStore('projects', { keyPath: 'id' });
      db.createObjectStore('views', { keyPath: 'id' });
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore('meta');
    },
    // Sign-out in another tab deletes this database: let it.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

export function deleteLocalDatabase(userId: string): Promise<void> {
  return deleteDB(databaseName(userId));
}

/** Whether a failure means the device cannot keep an offline copy (full, private mode). */
export function isStorageUnavailable(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || name === 'InvalidStateError' || name === 'UnknownError' || name === 'SecurityError';
}

/** Remembers whose copy this is, and when they last signed in, for an offline start. */
export async function rememberUser(db: LocalDatabase, user: User): Promise<void> {
  const { id, email, time_zone, created_at } = user;
  await db.put('meta', { user: { id, email, time_zone, created_at }, at: Date.now() }, 'user');
}

/** The user who signed in last on this browser and still has a copy here. */
export async function lastUser(): Promise<User | null> {
  if (typeof indexedDB === 'undefined' || !indexedDB.databases) return null;
  let last: { user: User; at: number } | null = null;
  for (const { name } of await indexedDB.databases()) {
    if (!name?.startsWith('eot-')) continue;
    const db = await openLocalDatabase(name.slice('eot-'.length));
    const seen = (await db.get('meta', 'user')) as { user: User; at: number } | undefined;
    db.close();
    if (seen && (!last || seen.at > last.at)) last = seen;
  }
  return last?.user ?? null;
}
