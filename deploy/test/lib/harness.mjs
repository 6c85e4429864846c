// Processes, ports, HTTP and checks for the scale test. Every process started
// here is registered and stopped by cleanup(), also when a check throws.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const API_MAIN = join(REPO, 'backend/dist/main.js');
export const WEB_ROOT = join(REPO, 'frontend/dist/frontend/browser');
export const NGINX_CONF = join(REPO, 'frontend/nginx.conf');
// Debian installs nginx in /usr/sbin, which a non-root PATH may lack.
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => existsSync(p)) ?? 'nginx';

// Backend packages, resolved the way the API resolves them.
export const requireBackend = createRequire(join(REPO, 'backend/package.json'));
const { freePort, startEmbeddedDatabase } = requireBackend('./dist/database/embedded-database.js');
export { freePort };
export const pg = requireBackend('pg');

export const JWT_SECRET = `scale-test-secret-${randomUUID()}`;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- checks

const results = [];

/** Runs one named check; a thrown error or failed assertion marks it failed. */
export async function check(name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    log(`PASS ${name}${detail ? ` — ${detail}` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return true;
  } catch (error) {
    results.push({ name, ok: false });
    log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

export function skipped(name, reason) {
  results.push({ name, ok: false });
  log(`FAIL ${name}: not run (${reason})`);
}

export function summary() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  return { passed, failed, line: `test:scale: ${passed} passed, ${failed} failed` };
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function log(message) {
  process.stdout.write(`[scale] ${message}\n`);
}

// ---------------------------------------------------------------- cleanup

const cleanups = [];
export const onCleanup = (fn) => cleanups.push(fn);

export async function cleanup() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (error) {
      log(`cleanup: ${error instanceof Error ? error.message : error}`);
    }
  }
}

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // nginx workers run as an unprivileged user when nginx starts as root.
  chmodSync(dir, 0o755);
  // SCALE_KEEP=1 keeps the logs and configs for a look after the run.
  onCleanup(() => (process.env.SCALE_KEEP ? log(`kept ${dir}`) : rmSync(dir, { recursive: true, force: true })));
  return dir;
}

// ---------------------------------------------------------------- processes

/** A child process whose output goes to a file (no pipe for the harness to drain under load). */
function startProcess(name, command, args, { env, cwd, logDir }) {
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal, at: Date.now() })),
  );
  child.once('error', (error) => log(`${name}: ${error.message}`));
  const proc = {
    name,
    child,
    logFile,
    exited,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    output: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    tail: (lines = 15) => proc.output().trim().split('\n').slice(-lines).join('\n'),
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (!proc.running) return exited;
      child.kill(signal);
      const done = await Promise.race([exited, sleep(graceMs).then(() => undefined)]);
      if (done) return done;
      child.kill('SIGKILL');
      return exited;
    },
  };
  onCleanup(() => proc.stop('SIGTERM', 5_000));
  return proc;
}

/**
 * The built API, configured the way production is: environment variables
 * only, NODE_ENV=production, behind a proxy on loopback.
 */
export function startApi(name, { port, databaseUrl, logDir, env = {} }) {
  const api = startProcess(name, process.execPath, [API_MAIN], {
    logDir,
    cwd: join(REPO, 'backend'),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      JWT_SECRET,
      BCRYPT_ROUNDS: '4',
      AUTH_RATE_LIMIT: '0',
      LOG_LEVEL: 'info',
      TRUST_PROXY: 'loopback',
      DATA_DIR: join(logDir, `${name}-data`),
      ...env,
    },
  });
  api.port = port;
  api.address = `127.0.0.1:${port}`;
  api.baseUrl = `http://127.0.0.1:${port}`;
  return api;
}

export async function waitHealthy(api, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!api.running) throw new Error(`${api.name} exited before it was healthy:\n${api.tail()}`);
    try {
      const res = await request(`${api.baseUrl}/health`, { timeoutMs: 2_000 });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(`${api.name} not healthy within ${timeoutMs / 1000} s:\n${api.tail()}`);
}

/** One PostgreSQL: DATABASE_URL's server when set, or an embedded one of the test's own. */
export async function startDatabaseServer(workDir) {
  if (process.env.DATABASE_URL) return { adminUrl: process.env.DATABASE_URL, kind: 'DATABASE_URL' };
  const server = await startEmbeddedDatabase(join(workDir, 'pg'), 0);
  onCleanup(() => server.stop());
  return { adminUrl: server.url, kind: 'embedded PostgreSQL' };
}

/** A fresh, empty database on that server, dropped at cleanup. */
export async function createDatabase(adminUrl) {
  const name = `evo_scale_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  onCleanup(() => withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- nginx

/**
 * The project's own frontend/nginx.conf with only what differs outside
 * Docker replaced: the upstream servers (loopback ports instead of the `api`
 * service name re-resolved through Docker's DNS, which Debian's nginx 1.22
 * cannot do), the listen port and the web root. A header naming the upstream
 * that answered is added, so the test can see the round robin. Each
 * replacement must match exactly once, so the test fails when the file
 * changes shape instead of silently testing something else.
 */
export function nginxConfig({ upstreams, port, workDir }) {
  let conf = readFileSync(NGINX_CONF, 'utf8');
  const replace = (pattern, replacement, what, expected = 1) => {
    const all = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);
    const matches = conf.match(all) ?? [];
    if (matches.length !== expected) throw new Error(`frontend/nginx.conf: expected ${expected} × ${what}, found ${matches.length}`);
    conf = conf.replace(all, replacement);
  };
  replace(/^\s*resolver\s+[^;]+;\s*$/m, '', 'resolver directive');
  replace(
    /^(\s*)server\s+api:3000\s+resolve\s+([^;]*);/m,
    (_m, indent, params) => upstreams.map((address) => `${indent}server ${address} ${params};`).join('\n'),
    'upstream server line (server api:3000 resolve ...)',
  );
  replace(/^(\s*)listen\s+8080;/m, `$1listen 127.0.0.1:${port};`, 'listen 8080');
  replace(/^(\s*)root\s+\/usr\/share\/nginx\/html;/m, `$1root ${WEB_ROOT};`, 'root /usr/share/nginx/html');
  // The API paths, and the event stream's own unbuffered location.
  replace(/^(\s*)proxy_pass\s+http:\/\/api;/m, '$1proxy_pass http://api;\n$1add_header X-Upstream $upstream_addr always;', 'proxy_pass http://api', 2);

  const temp = (name) => join(workDir, 'nginx-temp', name);
  mkdirSync(join(workDir, 'nginx-temp'), { recursive: true });
  return `# Generated by deploy/test for a test run: a main file around frontend/nginx.conf.
daemon off;
worker_processes 1;
pid ${join(workDir, 'nginx.pid')};
error_log ${join(workDir, 'nginx-error.log')} warn;
events { worker_connections 2048; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path ${temp('body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};
${conf}
}
`;
}

export async function startNginx({ upstreams, workDir, tag }) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const file = join(workDir, `nginx-${tag}.conf`);
    writeFileSync(file, nginxConfig({ upstreams, port, workDir }));
    const test = spawnSync(NGINX, ['-t', '-q', '-c', file, '-p', workDir, '-e', join(workDir, 'nginx-error.log')], {
      encoding: 'utf8',
    });
    if (test.status !== 0) throw new Error(`nginx -t refused the generated config:\n${test.stderr}`);
    const nginx = startProcess(`nginx-${tag}`, NGINX, ['-c', file, '-p', workDir, '-e', join(workDir, 'nginx-error.log')], {
      logDir: workDir,
    });
    nginx.baseUrl = `http://127.0.0.1:${port}`;
    nginx.stop = ((stop) => (signal = 'SIGQUIT', grace) => stop(signal, grace))(nginx.stop);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && nginx.running) {
      try {
        await request(`${nginx.baseUrl}/index.html`, { timeoutMs: 1_000 });
        return nginx;
      } catch {
        await sleep(100);
      }
    }
    await nginx.stop('SIGKILL');
    // The port was taken between the probe and nginx's bind: try another one.
    if (attempt < 3) continue;
    throw new Error(`nginx did not start:\n${nginx.tail()}\n${readFileSync(join(workDir, 'nginx-error.log'), 'utf8')}`);
  }
}

// ---------------------------------------------------------------- redis

export async function startRedis(workDir) {
  const port = await freePort();
  const redis = startProcess(
    'redis',
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir],
    { logDir: workDir },
  );
  redis.url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (!redis.running) throw new Error(`redis-server exited:\n${redis.tail()}`);
    if (redis.output().includes('Ready to accept connections')) return redis;
    await sleep(100);
  }
  throw new Error(`redis-server not ready:\n${redis.tail()}`);
}

// ---------------------------------------------------------------- HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** A small HTTP client: keep-alive, bounded time, JSON in and out. */
export function request(url, { method = 'GET', token, body, headers = {}, timeoutMs = 10_000 } = {}) {
  return new Promise((resolveRequest, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          ...(token && { authorization: `Bearer ${token}` }),
          ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          if ((res.headers['content-type'] ?? '').includes('json') && text) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolveRequest({ status: res.statusCode, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function destroyAgent() {
  agent.destroy();
}
