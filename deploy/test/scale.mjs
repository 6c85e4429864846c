#!/usr/bin/env node
// `npm run test:scale`: the deployment topology of docker-compose.yml without
// containers. One PostgreSQL, three API instances started at the same moment
// on its empty database, and nginx with the project's own config balancing
// round-robin across them; then, through nginx only: the task flow across
// instances, throughput with 1, 2 and 3 instances, and an instance stopped
// (SIGTERM) and one killed (SIGKILL) under load. Also: docker-compose.yml is
// accepted by `docker-compose config`, an instance refuses an older schema,
// and rate limits hold across instances with REDIS_URL.
//
// Needs the builds (`nx run-many -t build`), nginx, redis-server and
// docker-compose (Debian packages; .ci/run installs them). Exits non-zero
// when any check fails.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  API_MAIN,
  REPO,
  WEB_ROOT,
  assert,
  check,
  cleanup,
  createDatabase,
  destroyAgent,
  freePort,
  log,
  request,
  requireBackend,
  skipped,
  sleep,
  startApi,
  startDatabaseServer,
  startNginx,
  startRedis,
  summary,
  tempDir,
  waitHealthy,
  withClient,
} from './lib/harness.mjs';
import { runLoad, throughput } from './lib/load.mjs';

const DEADLINE_MS = 4 * 60_000;
const { MIGRATIONS } = requireBackend('./dist/database/data-source-options.js');
const MIGRATION_NAMES = MIGRATIONS.map((m) => m.name);

async function main() {
  const startedAt = Date.now();
  const work = tempDir('evo-scale-');
  log(`work dir ${work}`);

  await check('docker-compose config accepts docker-compose.yml', composeConfig);

  for (const [what, present] of [
    ['backend build (backend/dist/main.js)', existsSync(API_MAIN)],
    ['frontend build (frontend/dist/frontend/browser)', existsSync(join(WEB_ROOT, 'index.html'))],
    ['nginx', commandExists('nginx') || existsSync('/usr/sbin/nginx')],
    ['redis-server', commandExists('redis-server')],
  ]) {
    if (!present) throw new Error(`missing ${what}: run \`npm run test:scale\` (it builds) after .ci/run's installs`);
  }

  // ------------------------------------------------------------ topology
  const server = await startDatabaseServer(work);
  const databaseUrl = await createDatabase(server.adminUrl);
  log(`PostgreSQL: ${server.kind}, fresh database ${new URL(databaseUrl).pathname.slice(1)}`);

  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  // The same tick: the three race for the empty database.
  // SHUTDOWN_DELAY as behind any load balancer: on SIGTERM an instance keeps
  // answering for a second, closing each connection after its response, so
  // nginx holds no idle connection to it when the listener closes.
  const apis = ports.map((port, i) =>
    startApi(`api-${i + 1}`, { port, databaseUrl, logDir: work, env: { SHUTDOWN_DELAY: '1' } }),
  );
  const byAddress = new Map(apis.map((api) => [api.address, api]));

  const started = await check('three instances started at the same moment on an empty database all become healthy', async () => {
    await Promise.all(apis.map((api) => waitHealthy(api)));
    return apis.map((a) => `${a.name} on :${a.port}`).join(', ');
  });
  if (!started) throw new Error('the API instances did not start');

  await check('migrations ran exactly once, by one instance, under the advisory lock', async () => {
    const rows = await withClient(databaseUrl, (c) => c.query('SELECT name FROM migrations ORDER BY id'));
    const names = rows.rows.map((r) => r.name);
    assert(
      JSON.stringify(names) === JSON.stringify(MIGRATION_NAMES),
      `migrations table ${JSON.stringify(names)}, expected ${JSON.stringify(MIGRATION_NAMES)}`,
    );
    const applied = apis.filter((api) => /Applied \d+ migration/.test(api.output()));
    const upToDate = apis.filter((api) => /Schema up to date/.test(api.output()));
    assert(applied.length === 1, `${applied.length} instances applied migrations, expected exactly 1`);
    assert(upToDate.length === 2, `${upToDate.length} instances found the schema up to date, expected 2`);
    // Which of the other two asked for the lock while the migrations were running (and so waited)?
    const timeOf = (api, pattern) => {
      const line = api.output().split('\n').find((l) => pattern.test(l));
      return line ? Date.parse(JSON.parse(line).time) : NaN;
    };
    const doneAt = timeOf(applied[0], /Applied \d+ migration/);
    const waited = upToDate.filter((api) => timeOf(api, /Nest application successfully started/) <= doneAt).length;
    return `${applied[0].name} applied ${names.length}; the other two found none pending (${waited} of them reached the lock while the migrations ran)`;
  });

  let nginx = await startNginx({ upstreams: apis.map((a) => a.address), workDir: work, tag: '3' });
  log(`nginx on ${nginx.baseUrl} -> ${apis.map((a) => a.address).join(', ')}`);
  const api = (path) => `${nginx.baseUrl}${path}`;
  const upstreamOf = (res) => {
    const all = String(res.headers['x-upstream'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    return all.at(-1);
  };

  // ------------------------------------------------------------ (a) the flow
  await check('the web front serves the app with the right caching and proxies the API paths', async () => {
    const index = await request(api('/'));
    assert(index.status === 200 && index.text.includes('<app-root'), `GET / -> ${index.status}`);
    assert(/no-store/.test(index.headers['cache-control'] ?? ''), `index.html Cache-Control: ${index.headers['cache-control']}`);
    const route = await request(api('/tasks/some-client-route'));
    assert(route.status === 200 && route.text.includes('<app-root'), `client route -> ${route.status}, not the app shell`);
    assert(/no-store/.test(route.headers['cache-control'] ?? ''), `client route Cache-Control: ${route.headers['cache-control']}`);
    const hashed = readdirSync(WEB_ROOT).find((f) => /^main-[A-Z0-9]{8}\.js$/.test(f));
    assert(hashed, 'no hashed main-XXXXXXXX.js in the build');
    const asset = await request(api(`/${hashed}`));
    assert(asset.status === 200, `GET /${hashed} -> ${asset.status}`);
    assert(
      asset.headers['cache-control'] === 'public, max-age=31536000, immutable',
      `hashed asset Cache-Control: ${asset.headers['cache-control']}`,
    );
    assert(/javascript/.test(asset.headers['content-type'] ?? ''), `hashed asset Content-Type ${asset.headers['content-type']}`);
    const missing = await request(api('/main-ZZZZZZZZ.js'));
    assert(missing.status === 404, `a missing bundle -> ${missing.status}, expected 404 (never the app shell)`);
    const health = await request(api('/health'));
    assert(health.status === 200 && health.json?.database === 'up', `/health -> ${health.status} ${health.text}`);
    const docs = await request(api('/docs'));
    assert(docs.status === 200 && /swagger/i.test(docs.text), `/docs -> ${docs.status}`);
    const spec = await request(api('/docs-json'));
    assert(spec.status === 200 && spec.json?.openapi?.startsWith('3'), `/docs-json -> ${spec.status}`);
    const unknown = await request(api('/api/nothing-here'));
    assert(unknown.status === 404 && unknown.json?.error?.code === 404, `/api/nothing-here -> ${unknown.status} ${unknown.text.slice(0, 80)}`);
    return 'index.html no-store, hashed assets immutable, client routes -> index.html, /api /auth /health /docs /docs-json proxied';
  });

  await check('signup -> create -> list -> patch -> delete, each request on the next instance in turn', async () => {
    const seen = [];
    const call = async (label, path, options, expected) => {
      const res = await request(api(path), options);
      seen.push({ label, upstream: upstreamOf(res) });
      assert(res.status === expected, `${label}: ${res.status}, expected ${expected}: ${res.text.slice(0, 200)}`);
      return res;
    };
    const email = `flow-${Date.now()}@example.com`;
    const signup = await call('signup', '/auth/signup', { method: 'POST', body: { email, password: 'correct horse battery' } }, 201);
    const token = signup.json.access_token;
    // The token one instance issued, accepted by every instance.
    for (let i = 0; i < 3; i++) {
      const me = await call(`me #${i + 1}`, '/auth/me', { token }, 200);
      assert(me.json.email === email, `me #${i + 1} answered ${me.json.email}`);
    }
    const created = await call('create', '/api/tasks', { method: 'POST', token, body: { title: 'Written by one instance', tags: ['scale'] } }, 201);
    const id = created.json.id;
    const list = await call('list', '/api/tasks', { token }, 200);
    assert(list.json.some((t) => t.id === id), 'the next instance does not list the task just created');
    const patched = await call('patch', `/api/tasks/${id}`, { method: 'PATCH', token, body: { title: 'Patched by another', status: 'done' } }, 200);
    assert(patched.json.title === 'Patched by another', 'patch did not apply');
    const read = await call('get', `/api/tasks/${id}`, { token }, 200);
    assert(read.json.title === 'Patched by another' && read.json.status === 'done', 'the next instance reads the old task');
    await call('delete', `/api/tasks/${id}`, { method: 'DELETE', token }, 204);
    await call('get after delete', `/api/tasks/${id}`, { token }, 403);
    const after = await call('list after delete', '/api/tasks', { token }, 200);
    assert(!after.json.some((t) => t.id === id), 'the deleted task is still listed');

    for (let i = 0; i < seen.length; i++) {
      assert(byAddress.has(seen[i].upstream), `${seen[i].label} answered by unknown upstream ${seen[i].upstream}`);
      if (i > 0) assert(seen[i].upstream !== seen[i - 1].upstream, `${seen[i - 1].label} and ${seen[i].label} both on ${seen[i].upstream}`);
      if (i > 1) {
        const window = new Set([seen[i - 2].upstream, seen[i - 1].upstream, seen[i].upstream]);
        assert(window.size === 3, `${seen[i - 2].label}, ${seen[i - 1].label}, ${seen[i].label} did not hit three instances`);
      }
    }
    return seen.map((s) => `${s.label}@${byAddress.get(s.upstream).name}`).join(' ');
  });

  await check('one event stream through nginx receives, unbuffered, the changes written through every instance', async () => {
    const signup = await request(api('/auth/signup'), {
      method: 'POST',
      body: { email: `events-${Date.now()}@example.com`, password: 'correct horse battery' },
    });
    assert(signup.status === 201, `signup: ${signup.status}`);
    const token = signup.json.access_token;
    const ticket = await request(api('/api/events/ticket'), { method: 'POST', token });
    assert(ticket.status === 201, `ticket: ${ticket.status}`);
    const stream = await openEventStream(api(`/api/events?ticket=${encodeURIComponent(ticket.json.ticket)}`));
    try {
      await stream.next('ready', 5_000);
      const servedBy = [];
      const delays = [];
      for (let i = 0; i < 3; i++) {
        const created = await request(api('/api/tasks'), { method: 'POST', token, body: { title: `Live ${i}` } });
        assert(created.status === 201, `create ${i}: ${created.status}`);
        servedBy.push(byAddress.get(upstreamOf(created))?.name);
        const answeredAt = Date.now();
        // Buffered by nginx, the event would wait for more output (or the end of the stream).
        const event = await stream.next('task.created', 2_000);
        delays.push(Date.now() - answeredAt);
        assert(event.data.task_id === created.json.id, `event for ${event.data.task_id}, expected ${created.json.id}`);
      }
      assert(new Set(servedBy).size === 3, `the writes went to ${servedBy.join(', ')}, not three instances`);
      return `writes on ${servedBy.join(', ')}; each event arrived ${delays.join(' / ')} ms after its write was answered`;
    } finally {
      stream.close();
    }
  });

  // ------------------------------------------------------------ users for the load
  const users = [];
  for (let i = 0; i < 4; i++) {
    const res = await request(api('/auth/signup'), {
      method: 'POST',
      body: { email: `load-${i}-${Date.now()}@example.com`, password: 'correct horse battery' },
    });
    assert(res.status === 201, `signup of a load user: ${res.status}`);
    users.push({ token: res.json.access_token, id: res.json.user.id });
  }
  for (const user of users) {
    for (let i = 0; i < 10; i++) {
      await request(api('/api/tasks'), { method: 'POST', token: user.token, body: { title: `seed task ${i}` } });
    }
  }

  // ------------------------------------------------------------ (c) throughput
  const measured = [];
  await check('throughput through nginx with 1, 2 and 3 instances, no errors', async () => {
    await nginx.stop();
    for (const count of [1, 2, 3]) {
      const lb = await startNginx({ upstreams: apis.slice(0, count).map((a) => a.address), workDir: work, tag: `tp${count}` });
      try {
        const list = await throughput({ url: `${lb.baseUrl}/api/tasks?limit=20`, token: users[0].token, seconds: 4 });
        const create = await throughput({
          url: `${lb.baseUrl}/api/tasks`,
          token: users[1].token,
          method: 'POST',
          body: JSON.stringify({ title: 'throughput task', tags: ['bench'] }),
          seconds: 4,
        });
        measured.push({ count, list, create });
        log(
          `  ${count} instance(s): list ${list.rps} req/s (p50 ${list.p50} ms, p99 ${list.p99} ms), ` +
            `create ${create.rps} req/s (p50 ${create.p50} ms, p99 ${create.p99} ms)`,
        );
        for (const [name, r] of [['list', list], ['create', create]]) {
          assert(r.errors === 0 && r.non2xx === 0, `${count} instance(s), ${name}: ${r.errors} errors, ${r.non2xx} non-2xx`);
          assert(r.requests > 0, `${count} instance(s), ${name}: no request completed`);
        }
      } finally {
        await lb.stop();
      }
    }
    return 'table below';
  });
  if (measured.length > 0) {
    log('| instances | list req/s | list p99 ms | create req/s | create p99 ms |');
    log('| --- | --- | --- | --- | --- |');
    for (const m of measured) log(`| ${m.count} | ${m.list.rps} | ${m.list.p99} | ${m.create.rps} | ${m.create.p99} |`);
  }
  nginx = await startNginx({ upstreams: apis.map((a) => a.address), workDir: work, tag: 'load' });

  // ------------------------------------------------------------ (b) failure under load
  await check('under load, SIGTERM one instance and SIGKILL another: no acknowledged write lost, no failure once nginx has noticed', async () => {
    const [survivor, stopped, killed] = apis;
    const events = {};
    const load = runLoad({
      baseUrl: nginx.baseUrl,
      users,
      seconds: 20,
      targetRps: 300,
      concurrency: 24,
      upstreamOf,
      schedule: [
        [5_000, () => { events.sigterm = Date.now(); stopped.child.kill('SIGTERM'); }],
        [8_000, () => { events.sigkill = Date.now(); killed.child.kill('SIGKILL'); }],
      ],
    });
    const result = await load;
    const stoppedExit = await Promise.race([stopped.exited, sleep(15_000).then(() => undefined)]);
    const killedExit = await killed.exited;

    const rps = result.total / result.seconds;
    log(
      `  load: ${result.total} requests in ${result.seconds.toFixed(1)} s (${rps.toFixed(0)} req/s), ` +
        `${result.acked.length} creates acknowledged, ${result.failures.length} failed`,
    );
    const relative = (t) => `${((t - result.startedAt) / 1000).toFixed(2)} s`;
    for (const f of result.failures.slice(0, 12)) {
      log(`    failed at ${relative(f.at)}: ${f.op} -> ${f.status ?? f.error}${f.via ? ` via ${f.via}` : ''} ${f.body ?? ''}`.trimEnd());
    }
    log(`    SIGTERM at ${relative(events.sigterm)}, SIGKILL at ${relative(events.sigkill)}`);

    // Every write a client saw acknowledged is in the database.
    const ids = result.acked.map((a) => a.id);
    const userIds = users.map((u) => u.id);
    const { found, rows } = await withClient(databaseUrl, async (c) => ({
      found: (await c.query('SELECT count(*)::int AS n FROM tasks WHERE id = ANY($1::uuid[])', [ids])).rows[0].n,
      rows: (await c.query("SELECT count(*)::int AS n FROM tasks WHERE user_id = ANY($1::uuid[]) AND title LIKE 'load %'", [userIds])).rows[0].n,
    }));
    assert(found === ids.length, `${ids.length - found} of ${ids.length} acknowledged creates are missing from the database`);
    assert(rows >= ids.length && rows <= result.attemptedCreates, `${rows} load rows for ${ids.length} acknowledged / ${result.attemptedCreates} attempted creates`);
    const patchesLost = await withClient(databaseUrl, async (c) => {
      let lost = 0;
      for (const p of result.ackedPatches) {
        const row = (await c.query('SELECT priority FROM tasks WHERE id = $1', [p.id])).rows[0];
        if (row?.priority !== 'high') lost++;
      }
      return lost;
    });
    assert(patchesLost === 0, `${patchesLost} of ${result.ackedPatches.length} acknowledged patches are not in the database`);

    // Failures only in the moments after a signal, while nginx finds out; none after.
    const settleMs = 3_000;
    const lastEvent = Math.max(events.sigterm, events.sigkill);
    const stray = result.failures.filter(
      (f) => !(f.at >= events.sigterm && f.at <= events.sigterm + settleMs) && !(f.at >= events.sigkill && f.at <= events.sigkill + settleMs),
    );
    assert(stray.length === 0, `${stray.length} requests failed outside the ${settleMs / 1000} s after a signal (first at ${relative(stray[0]?.at)})`);
    const late = result.records.filter((r) => r.at > lastEvent + settleMs);
    assert(late.length > 200, `only ${late.length} requests after the dust settled`);
    const offSurvivor = late.filter((r) => r.upstream && r.upstream !== survivor.address);
    assert(offSurvivor.length === 0, `${offSurvivor.length} late requests answered by a dead instance`);
    assert(rps >= 100, `only ${rps.toFixed(0)} req/s of load`);

    assert(stoppedExit?.code === 0, `the SIGTERM'd instance exited with ${JSON.stringify(stoppedExit)}:\n${stopped.tail()}`);
    assert(killedExit.signal === 'SIGKILL', `the SIGKILL'd instance ended with ${JSON.stringify(killedExit)}`);
    assert(/Shutdown complete/.test(stopped.output()), `the SIGTERM'd instance did not drain cleanly:\n${stopped.tail()}`);
    const afterTerm = result.failures.filter((f) => f.at < events.sigkill).length;
    return (
      `${rps.toFixed(0)} req/s; ${ids.length}/${ids.length} acknowledged creates and ${result.ackedPatches.length} patches stored (${rows} rows); ` +
      `${afterTerm} failed after SIGTERM, ${result.failures.length - afterTerm} after SIGKILL (unacknowledged, all within ${settleMs / 1000} s); ` +
      `${late.length} later requests all OK on ${survivor.name}; SIGTERM'd instance exited 0`
    );
  });
  await nginx.stop();

  // ------------------------------------------------------------ schema versions
  await check('MIGRATIONS_RUN=false: an instance on an older (empty) schema refuses to start, naming the pending migrations', async () => {
    const emptyDb = await createDatabase(server.adminUrl);
    const lagging = startApi('api-older-schema', { port: await freePort(), databaseUrl: emptyDb, logDir: work, env: { MIGRATIONS_RUN: 'false' } });
    const exit = await Promise.race([lagging.exited, sleep(30_000).then(() => undefined)]);
    assert(exit, `it kept running on an empty schema:\n${lagging.tail()}`);
    assert(exit.code === 1, `exit ${JSON.stringify(exit)}`);
    const out = lagging.output();
    assert(/schema is older than this build: \d+ pending migration/.test(out), `no clear message:\n${lagging.tail()}`);
    for (const name of MIGRATION_NAMES) assert(out.includes(name), `the message does not name ${name}`);
    const tables = await withClient(emptyDb, (c) => c.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'"));
    assert(tables.rows[0].n === 0, `it created ${tables.rows[0].n} tables although MIGRATIONS_RUN=false`);
    return out.split('\n').find((l) => l.includes('pending migration')).trim().slice(0, 160);
  });

  await check('MIGRATIONS_RUN=false on a current schema serves; a schema newer than the code is logged and served', async () => {
    await withClient(databaseUrl, (c) =>
      c.query("INSERT INTO migrations (timestamp, name) VALUES (9999999999999, 'FromANewerBuild9999999999999')"),
    );
    try {
      const current = startApi('api-checked-schema', { port: await freePort(), databaseUrl, logDir: work, env: { MIGRATIONS_RUN: 'false' } });
      await waitHealthy(current, 30_000);
      const out = current.output();
      assert(/Schema up to date .*checked only/.test(out), `no "Schema up to date" line:\n${current.tail()}`);
      assert(/does not know \(FromANewerBuild9999999999999\)/.test(out), `the unknown migration is not logged:\n${current.tail()}`);
      await current.stop();
    } finally {
      await withClient(databaseUrl, (c) => c.query("DELETE FROM migrations WHERE name = 'FromANewerBuild9999999999999'"));
    }
  });

  // ------------------------------------------------------------ rate limits across instances
  await check('with REDIS_URL two instances share one login budget; without it each counts its own', async () => {
    const redis = await startRedis(work);
    const limit = 3;
    const pair = async (tag, env) => {
      const ports = [await freePort(), await freePort()];
      return ports.map((port, i) =>
        startApi(`api-${tag}-${i + 1}`, { port, databaseUrl, logDir: work, env: { AUTH_RATE_LIMIT: String(limit), ...env } }),
      );
    };
    const shared = await pair('redis', { REDIS_URL: redis.url });
    const local = await pair('local', {});
    await Promise.all([...shared, ...local].map((a) => waitHealthy(a)));
    const attempt = (a) =>
      request(`${a.baseUrl}/auth/login`, { method: 'POST', body: { email: 'nobody@example.com', password: 'wrong password' } }).then((r) => r.status);
    const alternate = async (instances) => {
      const statuses = [];
      for (let i = 0; i < 2 * limit; i++) statuses.push(await attempt(instances[i % 2]));
      return statuses;
    };
    const sharedStatuses = await alternate(shared);
    const localStatuses = await alternate(local);
    const expectShared = [401, 401, 401, 429, 429, 429];
    assert(JSON.stringify(sharedStatuses) === JSON.stringify(expectShared), `with Redis: ${sharedStatuses}, expected ${expectShared}`);
    assert(localStatuses.every((s) => s === 401), `without Redis (per instance, ${limit} each): ${localStatuses}`);
    // Redis gone: logins are let through (fail open) rather than failing.
    await redis.stop('SIGKILL');
    const during = await attempt(shared[0]);
    assert(during === 401, `with Redis down a login answered ${during}, expected 401 (fail open)`);
    await Promise.all([...shared, ...local].map((a) => a.stop()));
    return `Redis: ${sharedStatuses.join(',')}; per instance: ${localStatuses.join(',')}; Redis down: ${during}`;
  });

  log(`finished in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
}

/** A Server-Sent Events stream read as it arrives: `next(type)` waits for the next event of that type. */
function openEventStream(url) {
  return new Promise((resolve, reject) => {
    const events = [];
    const waiters = [];
    let buffer = '';
    const deliver = () => {
      for (const waiter of [...waiters]) {
        const index = events.findIndex((e) => e.event === waiter.type);
        if (index < 0) continue;
        const [event] = events.splice(0, index + 1).slice(-1);
        waiters.splice(waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(event);
      }
    };
    const req = http.get(url, { agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`GET /api/events -> ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
          if (fields.event) events.push({ event: fields.event, id: fields.id, data: fields.data ? JSON.parse(fields.data) : undefined });
        }
        deliver();
      });
      resolve({
        next: (type, timeoutMs) =>
          new Promise((resolveEvent, rejectEvent) => {
            const timer = setTimeout(() => rejectEvent(new Error(`no ${type} event within ${timeoutMs} ms`)), timeoutMs);
            waiters.push({ type, resolve: resolveEvent, timer });
            deliver();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
  });
}

function composeConfig() {
  if (!commandExists('docker-compose')) throw new Error('docker-compose is not installed (.ci/run installs Debian\'s package)');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp' };
  const run = (args, extra = {}) =>
    spawnSync('docker-compose', ['--env-file', '.env.example', ...args, 'config'], { cwd: REPO, env: { ...env, ...extra }, encoding: 'utf8' });
  const secrets = { POSTGRES_PASSWORD: 'compose-check-password', JWT_SECRET: 'x'.repeat(40) };

  const ok = run(['-f', 'docker-compose.yml'], secrets);
  assert(ok.status === 0, `docker-compose config failed:\n${ok.stderr}`);
  const out = ok.stdout;
  for (const [what, pattern] of [
    ['two API replicas', /api:[\s\S]*?deploy:\s*\n\s*replicas: 2/],
    ['API waits for a healthy database', /api:[\s\S]*?depends_on:\s*\n\s*db:\s*\n\s*condition: service_healthy/],
    ['PostgreSQL image of a current major', /image: postgres:1[89]/],
    ['named volume for the database', /volumes:\s*\n\s*pgdata:/],
    ['database healthcheck', /pg_isready/],
    ['web published on WEB_PORT', /published: 8080\s*\n\s*target: 8080/],
    ['DATABASE_URL built from .env', /DATABASE_URL: postgres:\/\/todo:compose-check-password@db:5432\/todo/],
    ['REDIS_URL for shared rate limits', /REDIS_URL: redis:\/\/redis:6379/],
  ]) {
    assert(pattern.test(out), `docker-compose config output lacks ${what}`);
  }
  const missing = run(['-f', 'docker-compose.yml']);
  assert(missing.status !== 0 && /POSTGRES_PASSWORD/.test(missing.stderr), 'compose accepted a .env without POSTGRES_PASSWORD');
  const noSecret = run(['-f', 'docker-compose.yml'], { POSTGRES_PASSWORD: 'x' });
  assert(noSecret.status !== 0 && /JWT_SECRET/.test(noSecret.stderr), 'compose accepted a .env without JWT_SECRET');
  const managed = run(['-f', 'docker-compose.yml', '-f', 'deploy/docker-compose.managed-db.yml'], {
    ...secrets,
    DATABASE_URL: 'postgres://u:p@ep-example.eu-central-1.aws.neon.tech/todo?sslmode=require',
  });
  assert(managed.status === 0, `the managed-database override failed:\n${managed.stderr}`);
  assert(/DATABASE_URL: postgres:\/\/u:p@ep-example[^\n]*sslmode=require/.test(managed.stdout), 'the override does not set DATABASE_URL');
  return 'base file and managed-database override valid; POSTGRES_PASSWORD and JWT_SECRET required';
}

function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

// ------------------------------------------------------------ run
let exitCode = 1;
const watchdog = setTimeout(async () => {
  log(`FAIL: still running after ${DEADLINE_MS / 1000} s; cleaning up`);
  await cleanup();
  process.exit(1);
}, DEADLINE_MS);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    log(`${signal}: cleaning up`);
    await cleanup();
    process.exit(1);
  });
}

try {
  await main();
} catch (error) {
  skipped('the rest of the suite', error instanceof Error ? error.message : String(error));
} finally {
  destroyAgent();
  await cleanup();
  clearTimeout(watchdog);
  const { failed, line } = summary();
  exitCode = failed === 0 ? 0 : 1;
  process.stdout.write(`\n${line}\n`);
}
process.exit(exitCode);

