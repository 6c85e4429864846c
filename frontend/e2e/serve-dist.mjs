// Serves the production build and forwards API paths to the API, so the browser sees one
// origin, as in production behind a reverse proxy. Used by the e2e tests and Lighthouse.
//   PORT (default 4300), API_URL (default http://127.0.0.1:3000), STATIC_ROOT (the build).
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.env.STATIC_ROOT ?? join(here, '..', 'dist', 'frontend', 'browser'));
const api = new URL(process.env.API_URL ?? 'http://127.0.0.1:3000');
const port = Number(process.env.PORT ?? 4300);
const PROXIED = /^\/(api|auth|health|docs)(\/|-json|\?|$)/;

if (!existsSync(join(root, 'index.html'))) {
  console.error(`No build at ${root}. Run "npm run build -w frontend" first.`);
  process.exit(1);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt']);

/**
 * The Content-Security-Policy of the web front, exactly as nginx.conf and the dev server
 * (angular.json) send it (e2e/csp.spec.ts checks that the three agree), plus a report-uri: every
 * violation a browser reports is kept here, and the browser tests fail on any
 * (GET /__csp-reports).
 */
const CSP = readFileSync(join(here, '..', 'nginx.conf'), 'utf8').match(/add_header Content-Security-Policy "([^"]+)" always;/)[1];
const CSP_WITH_REPORTS = `${CSP}; report-uri /__csp-report`;
const cspReports = [];
const gzipCache = new Map();

function proxy(req, res) {
  const upstream = httpRequest(
    {
      protocol: api.protocol,
      hostname: api.hostname,
      port: api.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: api.host, 'x-forwarded-host': req.headers.host ?? '' },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
    }
    res.end(JSON.stringify({ error: { code: 502, message: 'The API is not reachable.' } }));
  });
  req.pipe(upstream);
}

function serveFile(req, res, file) {
  const ext = extname(file);
  const headers = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    // Hashed bundles never change; everything else, index.html, the service worker's files
    // and ngsw.json included, is revalidated, as nginx.conf has it (which stores no index.html).
    'cache-control':
      ext === '.html'
        ? 'no-cache'
        : /-[A-Z0-9]{8}\.(js|css)$/.test(file)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
    'x-content-type-options': 'nosniff',
    'content-security-policy': CSP_WITH_REPORTS,
  };
  if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    // Keyed by modification time too: a test may deploy a new version over the files.
    const { mtimeMs, size } = statSync(file);
    const key = `${file}:${mtimeMs}:${size}`;
    let body = gzipCache.get(key);
    if (!body) {
      body = gzipSync(readFileSync(file));
      gzipCache.set(key, body);
    }
    res.writeHead(200, { ...headers, 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/__csp-report' && req.method === 'POST') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').slice(0, 10_000);
      cspReports.push(text);
      console.error(`CSP violation reported: ${text}`);
      res.writeHead(204).end();
    });
    return;
  }
  if (url.pathname === '/__csp-reports') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(cspReports));
    return;
  }
  if (PROXIED.test(url.pathname)) return proxy(req, res);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  let path;
  try {
    path = normalize(join(root, decodeURIComponent(url.pathname)));
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (path !== root && !path.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  if (existsSync(path) && statSync(path).isFile()) return serveFile(req, res, path);
  // A missing asset is a 404; any other path is a route of the single-page app.
  if (extname(url.pathname)) {
    res.writeHead(404).end();
    return;
  }
  serveFile(req, res, join(root, 'index.html'));
}).listen(port, '127.0.0.1', () => {
  console.log(`Serving ${root} on http://127.0.0.1:${port}, API at ${api.origin}`);
});
