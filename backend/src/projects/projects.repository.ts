import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ProjectRow } from './dto/project.response.js';

const PROJECT_COLUMNS = `p.id, p.name, p.color, p.parent_id, p.position, p.is_inbox, p.created_at, p.updated_at, p.version,
  (SELECT count(*) FROM tasks t WHERE t.project_id = p.id AND t.deleted_at IS NULL AND t.status <> 'done') AS open_task_count`;

export interface ProjectValues {
  name?: string;
  name_key?: string;
  color?: string | null;
  parent_id?: string | null;
  position?: number;
}

export interface LockedProject {
  id: string;
  name: string;
  parent_id: string | null;
  is_inbox: boolean;
  version: number;
}

/** Every SQL statement on `projects`, each scoped by the owner. */
@Injectable()
export class ProjectsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** Ordered by position, then name. */
  async list(userId: string): Promise<ProjectRow[]> {
    return this.dataSource.query(`SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.user_id = $1 ORDER BY p.position, p.name_key, p.id`, [
      userId,
    ]);
  }

  async findOwned(userId: string, id: string, manager?: EntityManager): Promise<ProjectRow | undefined> {
    const rows: ProjectRow[] = await this.db(manager).query(`SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.id = $1 AND p.user_id = $2`, [
      id,
      userId,
    ]);
    return rows[0];
  }

  async isOwned(manager: EntityManager, userId: string, id: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM projects WHERE id = $1 AND user_id = $2', [id, userId]);
    return rows.length > 0;
  }

  /** Every user has exactly one (created with the account); undefined when the user is gone. */
  async inboxOf(manager: EntityManager, userId: string): Promise<string | undefined> {
    const rows: { id: string }[] = await manager.query('SELECT id FROM projects WHERE user_id = $1 AND is_inbox', [userId]);
    return rows[0]?.id;
  }

  async count(manager: EntityManager, userId: string): Promise<number> {
    const [{ count }]: { count: string }[] = await manager.query('SELECT count(*) AS count FROM projects WHERE user_id = $1', [userId]);
    return Number(count);
  }

  async lock(manager: EntityManager, userId: string, id: string): Promise<LockedProject | undefined> {
    const rows: (Omit<LockedProject, 'version'> & { version: string })[] = await manager.query(
      'SELECT id, name, parent_id, is_inbox, version FROM projects WHERE id = $1 AND user_id = $2 FOR UPDATE',
      [id, userId],
    );
    return rows[0] && { ...rows[0], version: Number(rows[0].version) };
  }

  /** The project's ancestors, nearest first. */
  async ancestors(manager: EntityManager, userId: string, id: string, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `WITH RECURSIVE up(id, parent_id, depth) AS (
         SELECT p.id, p.parent_id, 1 FROM projects c JOIN projects p ON p.id = c.parent_id
         WHERE c.id = $1 AND c.user_id = $2 AND p.user_id = $2
         UNION ALL
         SELECT p.id, p.parent_id, up.depth + 1 FROM up JOIN projects p ON p.id = up.parent_id
         WHERE p.user_id = $2 AND up.depth < $3
       )
       SELECT id FROM up ORDER BY depth`,
      [id, userId, limit],
    );
    return rows.map((row) => row.id);
  }

  /** The sub-projects under a project, all levels, nearest first. */
  async descendants(manager: EntityManager, userId: string, id: string): Promise<{ id: string; parent_id: string; depth: number }[]> {
    return manager.query(
      `WITH RECURSIVE down(id, parent_id, depth) AS (
         SELECT id, parent_id, 1 FROM projects WHERE parent_id = $1 AND user_id = $2
         UNION ALL
         SELECT c.id, c.parent_id, down.depth + 1 FROM down JOIN projects c ON c.parent_id = down.id
         WHERE c.user_id = $2 AND down.depth < 10
       )
       SELECT id, parent_id, depth FROM down ORDER BY depth, id`,
      [id, userId],
    );
  }

  async lastPosition(manager: EntityManager, userId: string, parentId: string | null): Promise<number | undefined> {
    const rows: { position: number | null }[] = await manager.query(
      'SELECT max(position) AS position FROM projects WHERE user_id = $1 AND parent_id IS NOT DISTINCT FROM $2::uuid',
      [userId, parentId],
    );
    return rows[0]?.position ?? undefined;
  }

  async insert(manager: EntityManager, userId: string, values: Required<Omit<ProjectValues, never>>): Promise<ProjectRow> {
    const rows: ProjectRow[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO projects (user_id, name, name_key, color, parent_id, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *
       )
       SELECT ${PROJECT_COLUMNS} FROM inserted p`,
      [userId, values.name, values.name_key, values.color, values.parent_id, values.position],
    );
    return rows[0];
  }

  async update(manager: EntityManager, userId: string, id: string, values: ProjectValues): Promise<void> {
    const columns = Object.keys(values) as (keyof ProjectValues)[];
    const params: unknown[] = [id, userId, ...columns.map((column) => values[column])];
    const assignments = columns.length > 0 ? columns.map((column, i) => `${column} = $${i + 3}`).join(', ') : 'updated_at = updated_at';
    await manager.query(`UPDATE projects SET ${assignments} WHERE id = $1 AND user_id = $2`, params);
  }

  /** Deletes projects in one statement (sub-projects with their parents: the parent key is checked at its end). */
  async delete(manager: EntityManager, userId: string, ids: readonly string[]): Promise<void> {
    await manager.query('DELETE FROM projects WHERE id = ANY($1::uuid[]) AND user_id = $2', [ids, userId]);
  }
}
