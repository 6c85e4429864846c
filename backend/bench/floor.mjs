// The floor: the least a server can do for the same routes — node:http, pg and
// a hand-checked HS256 token, running the same SQL as the API. The benchmark
// compares the API against this, in the same run, on the same database.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const { DATABASE_URL, JWT_SECRET, PORT = '3101', POOL_SIZE = '20' } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: Number(POOL_SIZE) });

const COLUMNS =
  't.id, t.user_id, t.title, t.description, t.status, t.priority, t.tags, t.due_date::text AS due_date, t.created_at, t.updated_at, t.version';
const PRIORITY_RANK = "(CASE t.priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 END)";
const ORDER_BY = {
  created_at: (d) => `t.created_at ${d}, t.id ${d}`,
  updated_at: (d) => `t.updated_at ${d}, t.id ${d}`,
  due_date: (d) => `t.due_date ${d} NULLS LAST, t.id ${d}`,
  priority: (d) => `${PRIORITY_RANK} ${d} NULLS LAST, t.id ${d}`,
  title: (d) => `lower(t.title) COLLATE "C" ${d}, t.title COLLATE "C" ${d}, t.id ${d}`,
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
  title: r.title,
  description: r.description,
  status: r.status,
  priority: r.priority,
  tags: r.tags,
  due_date: r.due_date,
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
  const where = ['t.user_id = $1'];
  const add = (sql, value) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  const status = search.get('status');
  if (status) add((p) => `t.status = ANY(${p}::text[])`, status.split(','));
  const q = search.get('q');
  if (q) add((p) => `(t.title ILIKE ${p} ESCAPE '\\' OR t.description ILIKE ${p} ESCAPE '\\')`, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const sort = search.get('sort') ?? '-created_at';
  const [field, dir] = sort.startsWith('-') ? [sort.slice(1), 'DESC'] : [sort, 'ASC'];
  const limit = Number(search.get('limit') ?? 50);
  const offset = Number(search.get('offset') ?? 0);
  const w = where.join(' AND ');
  const { rows } = await pool.query(
    `WITH page AS (SELECT ${COLUMNS} FROM tasks t WHERE ${w}
       ORDER BY ${ORDER_BY[field](dir)} LIMIT $${params.length + 1} OFFSET $${params.length + 2})
     SELECT page.*, (SELECT count(*) FROM tasks t WHERE ${w}) AS total_count FROM page`,
    [...params, limit, offset],
  );
  send(res, 200, rows.map(toTask), { 'x-total-count': String(rows[0]?.total_count ?? 0) });
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
        `INSERT INTO tasks AS t (user_id, title, description, status, priority, tags, due_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [userId, b.title.trim(), b.description ?? null, b.status ?? 'todo', b.priority ?? null, [...new Set(b.tags ?? [])], b.due_date ?? null],
      );
      return send(res, 201, toTask(rows[0]), { location: `/api/tasks/${rows[0].id}` });
    }
    if (req.method === 'GET' && id) {
      const { rows } = await pool.query(`SELECT ${COLUMNS} FROM tasks t WHERE t.id = $1 AND t.user_id = $2`, [id, userId]);
      return rows[0] ? send(res, 200, toTask(rows[0])) : send(res, 403, { error: { code: 403, message: 'Access denied' } });
    }
    if (req.method === 'PATCH' && id) {
      const b = await readBody(req);
      const columns = Object.keys(b);
      const { rows } = await pool.query(
        `UPDATE tasks AS t SET ${columns.map((c, i) => `${c} = $${i + 3}`).join(', ')} WHERE t.id = $1 AND t.user_id = $2 RETURNING ${COLUMNS}`,
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
