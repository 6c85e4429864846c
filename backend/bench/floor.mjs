// The floor: the least a server can do for the same routes — node:http, pg and
// a hand-checked HS256 token, running the same SQL as the API. The benchmark
// compares the API against this, in the same run, on the same database.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const { DATABASE_URL, JWT_SECRET, PORT = '3101', POOL_SIZE = '20' } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: Number(POOL_SIZE) });

// The API's own statements (src/tasks/tasks.repository.ts): the columns, the
// subtask counts of each task read, live tasks only.
const COLUMNS = `t.id, t.user_id, t.project_id, t.parent_id, t.position, t.title, t.description, t.status, t.priority,
  t.tags, t.due_date::text AS due_date, to_char(t.due_time, 'HH24:MI') AS due_time, t.recurrence, t.series_id,
  t.next_occurrence_id, t.created_at, t.updated_at, t.version`;
const COUNTS = `LEFT JOIN LATERAL (
    SELECT count(*) AS subtask_count, count(*) FILTER (WHERE c.status = 'done') AS subtask_done_count
    FROM tasks c WHERE c.parent_id = t.id AND c.deleted_at IS NULL
  ) sc ON true`;
const withCounts = (source, where = 'true') => `SELECT ${COLUMNS}, sc.subtask_count, sc.subtask_done_count FROM ${source} t ${COUNTS} WHERE ${where}`;
const PRIORITY_RANK = "(CASE t.priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 END)";
const ORDER_BY = {
  created_at: (d) => `t.created_at ${d}, t.id ${d}`,
  updated_at: (d) => `t.updated_at ${d}, t.id ${d}`,
  due_date: (d) => `t.due_date ${d} NULLS LAST, t.id ${d}`,
  priority: (d) => `${PRIORITY_RANK} ${d} NULLS LAST, t.id ${d}`,
  title: (d) => `lower(t.title) COLLATE "C" ${d}, t.title COLLATE "C" ${d}, t.id ${d}`,
  position: (d) => `t.position ${d}, t.id ${d}`,
};

function userFromToken(header) {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const [h, p, s] = token.split('.');
  if (!s) return null;
  const expected = createHmac('sha256', JWT_SECRET).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const header_ = JSON.parse(Buffer.from(h, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  if (header_.alg !== 'HS256' || typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return null;
  return claims.sub;
}

const toTask = (r) => ({
  id: r.id,
  user_id: r.user_id,
  project_id: r.project_id,
  parent_id: r.parent_id,
  position: Number(r.position),
  title: r.title,
  description: r.description,
  status: r.status,
  priority: r.priority,
  tags: r.tags,
  due_date: r.due_date,
  due_time: r.due_time,
  recurrence: r.recurrence && { rrule: r.recurrence.rrule, from: r.recurrence.from },
  series_id: r.series_id,
  next_occurrence_id: r.next_occurrence_id,
  subtask_count: Number(r.subtask_count),
  subtask_done_count: Number(r.subtask_done_count),
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  version: Number(r.version),
});

function send(res, status, body, headers = {}) {
  const json = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(json);
}

async function list(userId, search, res) {
  const params = [userId];
  const where = ['t.user_id = $1', 't.deleted_at IS NULL'];
  const add = (sql, value) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  const status = search.get('status');
  if (status) add((p) => `t.status = ANY(${p}::text[])`, status.split(','));
  const projects = search.getAll('project_id');
  if (projects.length) add((p) => `t.project_id = ANY(${p}::uuid[])`, projects);
  const q = search.get('q');
  if (q) add((p) => `(t.title ILIKE ${p} ESCAPE '\\' OR t.description ILIKE ${p} ESCAPE '\\')`, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const sort = search.get('sort') ?? '-created_at';
  const [field, dir] = sort.startsWith('-') ? [sort.slice(1), 'DESC'] : [sort, 'ASC'];
  const limit = Number(search.get('limit') ?? 50);
  const offset = Number(search.get('offset') ?? 0);
  const w = where.join(' AND ');
  const { rows } = await pool.query(
    `WITH page AS (SELECT * FROM tasks t WHERE ${w}
       ORDER BY ${ORDER_BY[field](dir)} LIMIT $${params.length + 1} OFFSET $${params.length + 2})
     SELECT ${COLUMNS}, sc.subtask_count, sc.subtask_done_count, (SELECT count(*) FROM tasks t WHERE ${w}) AS total_count
     FROM page t ${COUNTS} ORDER BY ${ORDER_BY[field](dir)}`,
    [...params, limit, offset],
  );
  send(res, 200, rows.map(toTask), { 'x-total-count': String(rows[0]?.total_count ?? 0) });
}

/**
 * A status change as the API makes it, in the least statements that do the
 * same: lock the task; completing a repeating one inserts its next occurrence
 * (the next day: the benchmark's rule is FREQ=DAILY) and points to it;
 * reopening one takes back an untouched next occurrence.
 */
async function changeStatus(userId, id, b, res) {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const { rows: [task] } = await tx.query(
      `SELECT id, status, due_date::text AS due_date, recurrence, series_id, next_occurrence_id, version, project_id, position, title
       FROM tasks WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL FOR UPDATE`,
      [id, userId],
    );
    if (!task) {
      await tx.query('ROLLBACK');
      return send(res, 403, { error: { code: 403, message: 'Access denied' } });
    }
    const values = { status: b.status };
    if (b.status === 'done' && task.status !== 'done' && task.recurrence && !task.next_occurrence_id) {
      const { rows: [next] } = await tx.query(
        `INSERT INTO tasks (user_id, project_id, position, title, status, due_date, recurrence, series_id)
         VALUES ($1, $2, $3, $4, 'todo', $5::date + 1, $6, $7) RETURNING id, version`,
        [userId, task.project_id, task.position, task.title, task.due_date, { ...task.recurrence, n: task.recurrence.n + 1 }, task.series_id],
      );
      values.next_occurrence_id = next.id;
      values.recurrence = { ...task.recurrence, successor_version: Number(next.version) };
    }
    const columns = Object.keys(values);
    const { rows } = await tx.query(
      `WITH updated AS (UPDATE tasks AS t SET ${columns.map((c, i) => `${c} = $${i + 3}`).join(', ')}
         WHERE t.id = $1 AND t.user_id = $2 RETURNING t.*)
       ${withCounts('updated')}`,
      [id, userId, ...columns.map((c) => values[c])],
    );
    if (b.status !== 'done' && task.status === 'done' && task.next_occurrence_id) {
      await tx.query('DELETE FROM tasks WHERE id = $1 AND user_id = $2 AND version = $3', [task.next_occurrence_id, userId, task.recurrence?.successor_version ?? 1]);
    }
    await tx.query('COMMIT');
    return send(res, 200, toTask(rows[0]));
  } catch (error) {
    await tx.query('ROLLBACK');
    throw error;
  } finally {
    tx.release();
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString() || '{}')));
    req.on('error', reject);
  });
}

const server = createServer(async (req, res) => {
  try {
    const userId = userFromToken(req.headers.authorization);
    if (!userId) return send(res, 401, { error: { code: 401, message: 'Invalid token' } });
    const url = new URL(req.url, 'http://floor');
    const id = url.pathname.startsWith('/api/tasks/') ? url.pathname.slice(11) : undefined;
    if (req.method === 'GET' && url.pathname === '/api/tasks') return await list(userId, url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/api/tasks') {
      const b = await readBody(req);
      const { rows } = await pool.query(
        `WITH target AS (SELECT id FROM projects WHERE user_id = $1 AND is_inbox), inserted AS (
           INSERT INTO tasks (user_id, project_id, position, title, description, status, priority, tags, due_date)
           SELECT $1, target.id, coalesce((SELECT floor(max(position) / 1024) * 1024 + 1024 FROM tasks
                    WHERE project_id = target.id AND parent_id IS NULL AND deleted_at IS NULL), 1024),
                  $2, $3, $4, $5, $6, $7::date FROM target RETURNING *)
         ${withCounts('inserted')}`,
        [userId, b.title.trim(), b.description ?? null, b.status ?? 'todo', b.priority ?? null, [...new Set(b.tags ?? [])], b.due_date ?? null],
      );
      return send(res, 201, toTask(rows[0]), { location: `/api/tasks/${rows[0].id}` });
    }
    if (req.method === 'POST' && url.pathname === '/api/tasks/bulk') {
      // What the API runs for a bulk change without per-task rules (a priority).
      const b = await readBody(req);
      const tx = await pool.connect();
      try {
        await tx.query('BEGIN');
        const locked = await tx.query('SELECT id FROM tasks WHERE id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL ORDER BY id FOR UPDATE', [b.ids, userId]);
        if (locked.rowCount !== b.ids.length) throw new Error('not owned');
        await tx.query('UPDATE tasks SET priority = $3 WHERE id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL', [b.ids, userId, b.set.priority]);
        const { rows } = await tx.query(withCounts('tasks', 't.id = ANY($1::uuid[]) AND t.user_id = $2 AND t.deleted_at IS NULL'), [b.ids, userId]);
        await tx.query('COMMIT');
        return send(res, 200, { tasks: rows.map(toTask) });
      } catch (error) {
        await tx.query('ROLLBACK');
        throw error;
      } finally {
        tx.release();
      }
    }
    if (req.method === 'GET' && id) {
      const { rows } = await pool.query(withCounts('tasks', 't.id = $1 AND t.user_id = $2 AND t.deleted_at IS NULL'), [id, userId]);
      return rows[0] ? send(res, 200, toTask(rows[0])) : send(res, 403, { error: { code: 403, message: 'Access denied' } });
    }
    if (req.method === 'PATCH' && id) {
      const b = await readBody(req);
      if (b.status !== undefined) return await changeStatus(userId, id, b, res);
      const columns = Object.keys(b);
      const { rows } = await pool.query(
        `WITH updated AS (UPDATE tasks AS t SET ${columns.map((c, i) => `${c} = $${i + 3}`).join(', ')}
           WHERE t.id = $1 AND t.user_id = $2 AND t.deleted_at IS NULL RETURNING t.*)
         ${withCounts('updated')}`,
        [id, userId, ...columns.map((c) => b[c])],
      );
      return rows[0] ? send(res, 200, toTask(rows[0])) : send(res, 403, { error: { code: 403, message: 'Access denied' } });
    }
    send(res, 404, { error: { code: 404, message: 'Not found' } });
  } catch (error) {
    send(res, 500, { error: { code: 500, message: String(error.message) } });
  }
});

server.keepAliveTimeout = 72_000;
server.listen(Number(PORT), '127.0.0.1', () => process.stdout.write(`floor on ${PORT}\n`));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
