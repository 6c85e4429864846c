import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ViewRow } from './dto/view.response.js';

const VIEW_COLUMNS = 'v.id, v.name, v.query, v.position, v.created_at, v.updated_at, v.version';

export interface ViewValues {
  name?: string;
  name_key?: string;
  query?: object;
  position?: number;
}

/** Every SQL statement on `views`, each scoped by the owner. */
@Injectable()
export class ViewsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(userId: string): Promise<ViewRow[]> {
    return this.dataSource.query(`SELECT ${VIEW_COLUMNS} FROM views v WHERE v.user_id = $1 ORDER BY v.position, v.name_key, v.id`, [userId]);
  }

  async findOwned(userId: string, id: string, manager?: EntityManager): Promise<ViewRow | undefined> {
    const rows: ViewRow[] = await (manager ?? this.dataSource.manager).query(`SELECT ${VIEW_COLUMNS} FROM views v WHERE v.id = $1 AND v.user_id = $2`, [
      id,
      userId,
    ]);
    return rows[0];
  }

  async lockVersion(manager: EntityManager, userId: string, id: string): Promise<number | undefined> {
    const rows: { version: string }[] = await manager.query('SELECT version FROM views WHERE id = $1 AND user_id = $2 FOR UPDATE', [id, userId]);
    return rows[0] === undefined ? undefined : Number(rows[0].version);
  }

  async count(manager: EntityManager, userId: string): Promise<number> {
    const [{ count }]: { count: string }[] = await manager.query('SELECT count(*) AS count FROM views WHERE user_id = $1', [userId]);
    return Number(count);
  }

  async lastPosition(manager: EntityManager, userId: string): Promise<number | undefined> {
    const rows: { position: number | null }[] = await manager.query('SELECT max(position) AS position FROM views WHERE user_id = $1', [userId]);
    return rows[0]?.position ?? undefined;
  }

  async insert(manager: EntityManager, userId: string, values: Required<ViewValues>): Promise<ViewRow> {
    const rows: ViewRow[] = await manager.query(
      `INSERT INTO views AS v (user_id, name, name_key, query, position) VALUES ($1, $2, $3, $4, $5) RETURNING ${VIEW_COLUMNS}`,
      [userId, values.name, values.name_key, JSON.stringify(values.query), values.position],
    );
    return rows[0];
  }

  async update(manager: EntityManager, userId: string, id: string, values: ViewValues): Promise<ViewRow> {
    const columns = Object.keys(values) as (keyof ViewValues)[];
    const params: unknown[] = [id, userId, ...columns.map((column) => (column === 'query' ? JSON.stringify(values.query) : values[column]))];
    const assignments = columns.length > 0 ? columns.map((column, i) => `${column} = $${i + 3}`).join(', ') : 'updated_at = v.updated_at';
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [ViewRow[], number] = await manager.query(
      `UPDATE views AS v SET ${assignments} WHERE v.id = $1 AND v.user_id = $2 RETURNING ${VIEW_COLUMNS}`,
      params,
    );
    return rows[0];
  }

  async delete(manager: EntityManager, userId: string, id: string): Promise<void> {
    await manager.query('DELETE FROM views WHERE id = $1 AND user_id = $2', [id, userId]);
  }
}
