// npm run bench: seeds PostgreSQL through SQL, then loads the API and the
// floor (floor.mjs) in alternating runs and prints one table per scenario.
//   --scale            1,000,000 tasks instead of 120,000
//   --duration=10      seconds per measured run
//   --rounds=3         measured runs per target, API and floor alternating; the table
//                      shows each figure's median (with two, the lower of the two)
//   --connections=32
//   --only=list,get    a subset of scenarios (`blocking`: the list while 8 clients log in)
//   --profile          write V8 CPU profiles of the API and the floor to bench/results/
//   --no-events        no event streams open during the API's runs (by default every
//                      user the scenarios act for has one open /api/events stream)
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcrypt';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const backend = join(here, '..');
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? true];
  }),
);
const DURATION = Number(args.duration ?? 10);
const ROUNDS = Number(args.rounds ?? 3);
const CONNECTIONS = Number(args.connections ?? 32);
const SCALE = Boolean(args.scale);
const ORDINARY_USERS = SCALE ? 9_800 : 1_000;
const TASKS_PER_USER = 100;
const HEAVY_TASKS = 20_000;
const PASSWORD = 'benchmark password';
const SECRET = 'benchmark-secret-that-is-at-least-32-characters-long';
const API_PORT = 3100;
// The API runs as `npm run start:prod` runs it (backend/package.json), heap cap and GC flags included.
const API_NODE_FLAGS = (process.env.BENCH_API_NODE_FLAGS ?? '--max-old-space-size=256 --no-allocation-site-pretenuring').split(' ').filter(Boolean);
const FLOOR_PORT = 3101;
const EVENTS = !args['no-events'];

const log = (message) => process.stderr.write(`${message}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function token(sub) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sub, iat: now, exp: now + 6 * 3600 })}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

async function database() {
  if (process.env.DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS evo_bench WITH (FORCE)');
    await admin.query('CREATE DATABASE evo_bench');
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/evo_bench';
    return { url: url.toString(), stop: async () => {} };
  }
  const { startEmbeddedDatabase } = await import(join(backend, 'dist/database/embedded-database.js'));
  const server = await startEmbeddedDatabase(mkdtempSync(join(tmpdir(), 'evo-bench-')), 0);
  return { url: server.url, stop: () => server.stop() };
}

function run(command, argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited ${code}`))));
  });
}

async function seed(url) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  db.on('error', () => {});
  const hash = await bcrypt.hash(PASSWORD, 12);
  log(`seeding ${ORDINARY_USERS} users x ${TASKS_PER_USER} tasks + 1 heavy user x ${HEAVY_TASKS} ...`);
  const started = Date.now();
  await db.query(
    `INSERT INTO users (email, hashed_password) SELECT 'bench' || g || '@example.com', $1 FROM generate_series(1, $2) g`,
    [hash, ORDINARY_USERS],
  );
  await db.query(`INSERT INTO users (email, hashed_password) VALUES ('heavy@example.com', $1)`, [hash]);
  // The heavy user's tasks are spread over 1,000 projects (the rest sit in each user's Inbox).
  await db.query(
    `INSERT INTO projects (user_id, name, name_key, position)
     SELECT u.id, 'Project ' || g, 'project ' || g, g * 1024 FROM users u CROSS JOIN generate_series(1, 1000) g
     WHERE u.email = 'heavy@example.com'`,
  );
  const insertTasks = (where, perUser, project = 'NULL') =>
    db.query(
      `INSERT INTO tasks (user_id, project_id, title, description, status, priority, tags, due_date, created_at, updated_at)
       SELECT u.id, ${project},
              (ARRAY['Write','Review','Plan','Call','Fix','Ship','Read','Pay'])[1 + g % 8] || ' ' ||
              (ARRAY['report','invoice','roadmap','meeting notes','release','budget','article','bug'])[1 + (g / 8) % 8] || ' #' || g,
              CASE WHEN g % 3 = 0 THEN 'Details for item ' || g || ': agenda, numbers and follow-ups' END,
              (ARRAY['todo','in-progress','done'])[1 + g % 3],
              (ARRAY['low','medium','high',NULL])[1 + g % 4],
              CASE g % 5 WHEN 0 THEN ARRAY[]::text[] WHEN 1 THEN ARRAY['work'] WHEN 2 THEN ARRAY['home','urgent']
                         WHEN 3 THEN ARRAY['work','q3'] ELSE ARRAY['errand'] END,
              CASE WHEN g % 4 = 0 THEN NULL ELSE date '2026-06-01' + (g % 365) END,
              now() - make_interval(mins => g),
              now() - make_interval(mins => (g * 7919) % 100000)
       FROM users u CROSS JOIN generate_series(1, $1) g WHERE ${where}`,
      [perUser],
    );
  // Seeding is not a change anyone follows: no outbox events for it.
  await db.query('ALTER TABLE tasks DISABLE TRIGGER tasks_record_event');
  await insertTasks("u.email LIKE 'bench%'", TASKS_PER_USER);
  await insertTasks(
    "u.email = 'heavy@example.com'",
    HEAVY_TASKS,
    `(SELECT p.id FROM projects p WHERE p.user_id = u.id AND coalesce(p.parent_id, '00000000-0000-0000-0000-000000000000'::uuid) = '00000000-0000-0000-0000-000000000000'::uuid AND p.name_key = 'project ' || (1 + g % 1000))`,
  );
  // Every tenth task of each of the heavy user's projects is a subtask of the one before it.
  await db.query(
    `WITH numbered AS (
       SELECT t.id, t.project_id, row_number() OVER (PARTITION BY t.project_id ORDER BY t.created_at, t.id) AS n
       FROM tasks t JOIN users u ON u.id = t.user_id WHERE u.email = 'heavy@example.com'
     )
     UPDATE tasks c SET parent_id = p.id FROM numbered cn JOIN numbered p ON p.project_id = cn.project_id AND p.n = cn.n - 1
     WHERE c.id = cn.id AND cn.n % 10 = 0`,
  );
  await db.query('ALTER TABLE tasks ENABLE TRIGGER tasks_record_event');
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM tasks)::int AS tasks,
            (SELECT id FROM users WHERE email = 'heavy@example.com') AS heavy,
            (SELECT array_agg(id) FROM (SELECT id FROM users WHERE email LIKE 'bench%' ORDER BY email LIMIT 200) s) AS users`,
  );
  const tasks = await db.query(
    `SELECT DISTINCT ON (user_id) id, user_id FROM tasks WHERE user_id = ANY($1) ORDER BY user_id, id`,
    [rows[0].users],
  );
  // Fifty tasks per user for the bulk edit, and one task that repeats every day.
  const fifty = await db.query(
    `SELECT user_id, array_agg(id ORDER BY id) AS ids FROM (
       SELECT user_id, id, row_number() OVER (PARTITION BY user_id ORDER BY id) AS n FROM tasks WHERE user_id = ANY($1)
     ) x WHERE n <= 50 GROUP BY user_id`,
    [rows[0].users],
  );
  const recurring = await db.query(
    `INSERT INTO tasks (user_id, title, due_date, recurrence, series_id)
     SELECT id, 'Water the plants', current_date,
            jsonb_build_object('rrule', 'FREQ=DAILY', 'from', 'due', 'start', current_date::text, 'n', 1), gen_random_uuid()
     FROM users WHERE id = ANY($1) RETURNING id, user_id`,
    [rows[0].users],
  );
  const { rows: [project] } = await db.query(
    `SELECT p.id, (SELECT count(*)::int FROM tasks t WHERE t.project_id = p.id) AS tasks FROM projects p
     WHERE p.user_id = $1 AND p.name_key = 'project 1'`,
    [rows[0].heavy],
  );
  // As autovacuum would by then: statistics, and a visibility map for index-only scans.
  await db.query('VACUUM ANALYZE');
  await db.end();
  log(`seeded ${rows[0].tasks} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    heavy: rows[0].heavy,
    heavyProject: project.id,
    heavyProjectTasks: project.tasks,
    users: rows[0].users,
    taskOf: new Map(tasks.rows.map((r) => [r.user_id, r.id])),
    fiftyOf: new Map(fifty.rows.map((r) => [r.user_id, r.ids])),
    recurringOf: new Map(recurring.rows.map((r) => [r.user_id, r.id])),
    total: rows[0].tasks,
  };
}

function startServer(name, argv, env, port) {
  const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return { name, child, port };
}

async function waitFor(url) {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const pids = {};

// Load specs travel in files: a scenario's requests (50 ids in each of 200 bodies) are
// more than one command-line argument may hold (E2BIG).
const specDir = mkdtempSync(join(tmpdir(), 'evo-bench-load-'));
let specs = 0;

async function load(port, requests, duration, connections = CONNECTIONS) {
  const specFile = join(specDir, `spec-${++specs}.json`);
  writeFileSync(specFile, JSON.stringify({ url: `http://127.0.0.1:${port}`, connections, duration, requests }));
  const cpuBefore = cpuSeconds(pids[port]);
  const result = JSON.parse(await run(process.execPath, [join(here, 'load.mjs'), specFile], {}));
  rmSync(specFile, { force: true });
  // Server CPU per request: what the framework costs, whatever else the machine is doing.
  result.cpuMsPerRequest = ((cpuSeconds(pids[port]) - cpuBefore) * 1000) / Math.max(result.total, 1);
  return result;
}

function scenarios(data) {
  const auth = (id) => ({ authorization: `Bearer ${token(id)}` });
  const ordinary = data.users.map((id) => ({ method: 'GET', path: '/api/tasks', headers: auth(id) }));
  const json = { 'content-type': 'application/json' };
  return {
    list: { title: 'default list, ordinary user (50 per page)', floor: true, requests: ordinary },
    filtered: {
      title: 'heavy user, status filter, sort -updated_at',
      floor: true,
      requests: [{ method: 'GET', path: '/api/tasks?status=in-progress&sort=-updated_at', headers: auth(data.heavy) }],
    },
    search: {
      title: 'heavy user, text search',
      floor: true,
      requests: [{ method: 'GET', path: '/api/tasks?q=invoice', headers: auth(data.heavy) }],
    },
    project: {
      title: `heavy user, one of 1,000 projects (${data.heavyProjectTasks} tasks), with subtask counts`,
      floor: true,
      requests: [{ method: 'GET', path: `/api/tasks?project_id=${data.heavyProject}`, headers: auth(data.heavy) }],
    },
    get: {
      title: 'one task by id',
      floor: true,
      requests: data.users.map((id) => ({ method: 'GET', path: `/api/tasks/${data.taskOf.get(id)}`, headers: auth(id) })),
    },
    create: {
      title: 'create a task',
      floor: true,
      requests: data.users.map((id) => ({
        method: 'POST',
        path: '/api/tasks',
        headers: { ...auth(id), ...json },
        body: JSON.stringify({ title: 'Benchmark task', priority: 'medium', tags: ['bench'], due_date: '2027-01-15' }),
      })),
    },
    patch: {
      title: 'patch a task',
      floor: true,
      requests: data.users.map((id, i) => ({
        method: 'PATCH',
        path: `/api/tasks/${data.taskOf.get(id)}`,
        headers: { ...auth(id), ...json },
        body: JSON.stringify({ status: ['todo', 'in-progress', 'done'][i % 3], title: `Patched ${i}` }),
      })),
    },
    bulk: {
      title: 'bulk edit of 50 tasks (priority)',
      floor: true,
      requests: data.users.map((id, i) => ({
        method: 'POST',
        path: '/api/tasks/bulk',
        headers: { ...auth(id), ...json },
        body: JSON.stringify({ ids: data.fiftyOf.get(id), set: { priority: ['low', 'medium', 'high'][i % 3] } }),
      })),
    },
    recurring: {
      title: 'complete a daily task (its next occurrence made), then reopen it (taken back)',
      floor: true,
      requests: data.users.flatMap((id) => [
        { method: 'PATCH', path: `/api/tasks/${data.recurringOf.get(id)}`, headers: { ...auth(id), ...json }, body: JSON.stringify({ status: 'done' }) },
        { method: 'PATCH', path: `/api/tasks/${data.recurringOf.get(id)}`, headers: { ...auth(id), ...json }, body: JSON.stringify({ status: 'todo' }) },
      ]),
    },
    login: {
      title: 'login (bcrypt, 12 rounds)',
      floor: false,
      requests: [{ method: 'POST', path: '/auth/login', headers: json, body: JSON.stringify({ email: 'bench1@example.com', password: PASSWORD }) }],
    },
  };
}

/**
 * One open /api/events stream per user while the API is measured, so every
 * write it serves also travels through the outbox, NOTIFY and the stream.
 * Closed during the floor's runs: the floor has no streams to feed.
 */
async function openStreams(port, userIds) {
  let events = 0;
  const requests = [];
  await Promise.all(
    userIds.map(
      (id) =>
        new Promise((resolve, reject) => {
          const req = http.get(
            { host: '127.0.0.1', port, path: '/api/events', agent: false, headers: { authorization: `Bearer ${token(id)}` } },
            (res) => {
              if (res.statusCode !== 200) return reject(new Error(`GET /api/events answered ${res.statusCode}`));
              res.setEncoding('utf8');
              let ready = false;
              res.on('data', (chunk) => {
                events += (chunk.match(/^event: task\./gm) ?? []).length;
                if (!ready && chunk.includes('event: ready')) {
                  ready = true;
                  resolve();
                }
              });
              res.on('error', () => {});
            },
          );
          req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
          requests.push(req);
        }),
    ),
  );
  return {
    get events() {
      return events;
    },
    close: () => requests.forEach((req) => req.destroy()),
  };
}

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main() {
  const db = await database();
  let api;
  let floor;
  try {
    await run(process.execPath, [join(backend, 'dist/database/migrate.js')], { DATABASE_URL: db.url });
    const data = await seed(db.url);
    const common = { DATABASE_URL: db.url, JWT_SECRET: SECRET };
    const profile = (name) => (args.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(here, 'results')}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : []);
    api = startServer('api', [...API_NODE_FLAGS, ...profile('api'), join(backend, 'dist/main.js')], { ...common, NODE_ENV: 'production', PORT: String(API_PORT), AUTH_RATE_LIMIT: '0', BCRYPT_ROUNDS: '12' }, API_PORT);
    floor = startServer('floor', [...profile('floor'), join(here, 'floor.mjs')], { ...common, PORT: String(FLOOR_PORT) }, FLOOR_PORT);
    pids[API_PORT] = api.child.pid;
    pids[FLOOR_PORT] = floor.child.pid;
    await waitFor(`http://127.0.0.1:${API_PORT}/health`);
    await waitFor(`http://127.0.0.1:${FLOOR_PORT}/`);

    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(api.child.pid))), 200);
    const all = scenarios(data);
    const selected = args.only ? String(args.only).split(',').filter((key) => key in all) : Object.keys(all);
    const results = {};
    for (const key of selected) {
      const scenario = all[key];
      const targets = scenario.floor ? [API_PORT, FLOOR_PORT] : [API_PORT];
      log(`\n${scenario.title}: warm-up`);
      for (const port of targets) await load(port, scenario.requests, 3);
      const runs = { api: [], floor: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const port of targets) {
          const streams = port === API_PORT && EVENTS ? await openStreams(API_PORT, data.users) : undefined;
          const r = await load(port, scenario.requests, DURATION);
          if (streams) {
            // Let the last writes' events arrive before counting.
            await sleep(500);
            r.eventsDelivered = streams.events;
            streams.close();
          }
          runs[port === API_PORT ? 'api' : 'floor'].push(r);
          log(`  ${port === API_PORT ? 'api  ' : 'floor'} ${fmt(r.requests)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  cpu ${fmt(r.cpuMsPerRequest, 3)} ms/req  non-2xx ${r.non2xx + r.errors}${streams ? `  events delivered ${r.eventsDelivered}` : ''}`);
        }
      }
      results[key] = { title: scenario.title, api: summarize(runs.api), floor: scenario.floor ? summarize(runs.floor) : null };
    }

    if (!args.only || String(args.only).includes('blocking')) {
      log('\nlist while 8 clients log in without pause');
      // Logins queued by the login scenario keep bcrypt busy after its load stops.
      await sleep(10_000);
      const list = all.list.requests;
      await load(API_PORT, list, 3);
      const alone = await load(API_PORT, list, DURATION);
      const loginLoad = load(API_PORT, all.login.requests, DURATION + 2, 8);
      const during = await load(API_PORT, list, DURATION);
      await loginLoad;
      results.blocking = { title: 'list p99 while 8 clients log in', alone: summarize([alone]), during: summarize([during]) };
    }
    clearInterval(sampler);

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
      settings: { duration: DURATION, rounds: ROUNDS, connections: CONNECTIONS, tasks: data.total, scale: SCALE, eventStreams: EVENTS ? data.users.length : 0 },
      apiPeakRssMb: Math.round(peakRss),
      results,
    };
    print(report);
    const failed = Object.values(results).some((r) => [r.api, r.floor, r.alone, r.during].some((s) => s && s.errors > 0));
    mkdirSync(join(here, 'results'), { recursive: true });
    const file = join(here, 'results', `${report.date.replace(/[:.]/g, '-')}${SCALE ? '-scale' : ''}.json`);
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(here, 'results', SCALE ? 'latest-scale.json' : 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    log(`\nsaved ${file}`);
    if (failed) {
      log('FAILED: some requests were not 2xx');
      process.exitCode = 1;
    }
  } finally {
    api?.child.kill('SIGTERM');
    floor?.child.kill('SIGTERM');
    await sleep(1000);
    await db.stop();
    rmSync(specDir, { recursive: true, force: true });
  }
}

function summarize(runs) {
  return {
    rps: median(runs.map((r) => r.requests)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpuMsPerRequest: median(runs.map((r) => r.cpuMsPerRequest)),
    errors: runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
    eventsDelivered: runs.some((r) => r.eventsDelivered !== undefined) ? median(runs.map((r) => r.eventsDelivered ?? 0)) : undefined,
  };
}

function print(report) {
  const lines = [
    `\nEvolution of Todo benchmark — ${report.date}`,
    `${report.machine.cpus} x ${report.machine.model}, ${report.machine.memoryGb} GB, Node ${report.machine.node}; ${report.settings.tasks.toLocaleString('en')} tasks; ${report.settings.connections} connections, ${report.settings.duration} s per run, ${report.settings.rounds} runs per target (median)`,
    report.settings.eventStreams
      ? `Event streams open during the API's runs: ${report.settings.eventStreams} (one per user); events delivered per run: ${Object.entries(report.results)
          .filter(([, r]) => r.api?.eventsDelivered)
          .map(([key, r]) => `${key} ${r.api.eventsDelivered}`)
          .join(', ') || 'none'}`
      : 'No event streams open (--no-events)',
    '',
    '| scenario | API req/s | API p50 | API p99 | API CPU/req | floor req/s | floor p50 | floor p99 | floor CPU/req | API/floor | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [key, r] of Object.entries(report.results)) {
    if (key === 'blocking') continue;
    const f = r.floor;
    lines.push(
      `| ${r.title} | ${fmt(r.api.rps)} | ${r.api.p50} ms | ${r.api.p99} ms | ${fmt(r.api.cpuMsPerRequest, 2)} ms | ${f ? fmt(f.rps) : '-'} | ${f ? `${f.p50} ms` : '-'} | ${f ? `${f.p99} ms` : '-'} | ${f ? `${fmt(f.cpuMsPerRequest, 2)} ms` : '-'} | ${f ? fmt(r.api.rps / f.rps, 2) : '-'} | ${r.api.errors + (f?.errors ?? 0)} |`,
    );
  }
  if (report.results.blocking) {
    const b = report.results.blocking;
    lines.push('', `List p99 alone: ${b.alone.p99} ms; while 8 clients log in: ${b.during.p99} ms (${fmt(b.during.p99 / b.alone.p99, 2)}x)`);
  }
  lines.push(`API peak RSS under load: ${report.apiPeakRssMb} MB`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error) => {
  log(`bench failed: ${error.stack ?? error}`);
  process.exit(1);
});
