import http from 'node:http';
import request from 'supertest';
import { startTestApp, type TestApp } from './test-app';

/**
 * Watches every response a test file receives and records what must never be
 * in one: a password hash, a token other than the one just issued, another
 * user's id, e-mail or task id, or (in an error) a stack trace, SQL or the
 * name of a library. The suite asserts `violations` is empty at the end.
 */
export class LeakScanner {
  readonly violations: string[] = [];
  responses = 0;
  private readonly userByEmail = new Map<string, string>();
  private readonly users = new Set<string>();
  private readonly taskOwner = new Map<string, string>();

  /** Users created behind the API's back (straight into the database). */
  knowUser(id: string, email?: string): void {
    this.users.add(id);
    if (email) this.userByEmail.set(email.toLowerCase(), id);
  }

  inspect(req: { method: string; url: string; authorization?: string }, res: { status: number; text?: string; headers: http.IncomingHttpHeaders }): void {
    this.responses++;
    const text = res.text ?? '';
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const path = req.url.replace(/^https?:\/\/[^/]+/, '').split('?')[0];
    const isTokenIssue = req.method === 'POST' && (path === '/auth/signup' || path === '/auth/login' || path === '/auth/refresh') && res.status < 300;
    const issued = isTokenIssue ? (body as { access_token?: string; user?: { id: string; email: string } }) : undefined;
    // A stream ticket is a JWT too, issued to the caller it is answered to.
    const ticket = req.method === 'POST' && path === '/api/events/ticket' && res.status < 300 ? (body as { ticket?: string })?.ticket : undefined;
    // Who is asking: the subject of the token sent (as claimed; the API decides whether it holds).
    const requester = issued?.user?.id ?? subjectOf(req.authorization);
    this.learn(body, requester, res.status, issued);

    const headerText = Object.entries(res.headers)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
      .join('\n');
    const everything = `${headerText}\n${text}`;
    const where = `${req.method} ${req.url} -> ${res.status}`;
    const fail = (what: string) => this.violations.push(`${where}: ${what}\n  body: ${text.slice(0, 300)}`);

    if (/\$2[aby]\$\d\d\$/.test(everything)) fail('contains a bcrypt hash');
    for (const token of everything.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/g) ?? []) {
      if (token !== issued?.access_token && token !== ticket) fail(`contains a token that was not just issued (${token.slice(0, 20)}...)`);
    }
    const lower = everything.toLowerCase();
    for (const uuid of new Set(lower.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])) {
      if (this.users.has(uuid) && uuid !== requester) fail(`contains the id of another user (${uuid})`);
      const owner = this.taskOwner.get(uuid);
      if (owner && owner !== requester) fail(`contains the id of another user's task (${uuid})`);
    }
    for (const [email, id] of this.userByEmail) {
      if (id !== requester && lower.includes(email)) fail(`contains the e-mail of another user (${email})`);
    }
    if (res.status >= 400) {
      for (const [pattern, what] of ERROR_BODY_LEAKS) {
        if (pattern.test(text)) fail(`error body shows ${what}`);
      }
    }
  }

  private learn(body: unknown, requester: string | undefined, status: number, issued?: { user?: { id: string; email: string } }) {
    if (issued?.user) this.knowUser(issued.user.id, issued.user.email);
    if (status >= 300 || !requester) return;
    const items = Array.isArray(body) ? body : [body];
    for (const item of items) {
      const task = item as { id?: unknown; user_id?: unknown };
      // Only a task the requester's own answer reports as theirs is learned as theirs.
      if (typeof task?.id === 'string' && task.user_id === requester && !this.taskOwner.has(task.id)) {
        this.taskOwner.set(task.id, requester);
      }
    }
  }

  /** Fails the test with every violation seen, and makes sure the scanner saw traffic at all. */
  expectClean(minimumResponses = 1): void {
    expect(this.violations).toEqual([]);
    expect(this.responses).toBeGreaterThanOrEqual(minimumResponses);
  }
}

/** What an error body must never show. */
const ERROR_BODY_LEAKS: [RegExp, string][] = [
  [/\n\s+at |\bat \S+ \(|\.(js|ts|mjs|cjs):\d+/, 'a stack trace'],
  [/node_modules|\/work\/|\/usr\/|\/home\//, 'a file path'],
  [/\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|WHERE)\b|relation "|syntax error at|violates|duplicate key|invalid input syntax|QueryFailed|SQLSTATE|\bpg_/i, 'SQL or database text'],
  [/typeorm|node-postgres|pg-pool|\bfastify\b|@nestjs|\bnestjs\b|class-validator|class-transformer|passport|jsonwebtoken|bcrypt|secure-json-parse|\bFST_|ECONN|ETIMEDOUT/i, 'a library or driver name'],
  [/TypeError|RangeError|ReferenceError|Maximum call stack/i, 'a JavaScript error'],
];

function subjectOf(authorization?: string): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const sub = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sub;
    return typeof sub === 'string' ? sub.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'] as const;

/** supertest against the app, with every response shown to the scanner. */
export function scannedHttp(baseUrl: string, scanner: LeakScanner): ReturnType<typeof request> {
  const inner = request(baseUrl) as unknown as Record<string, (url: string) => request.Test>;
  const wrapped: Record<string, (url: string) => request.Test> = {};
  for (const method of METHODS) {
    wrapped[method] = (url: string) => {
      const test = inner[method](url);
      test.on('response', (res: { status: number; text?: string; headers: http.IncomingHttpHeaders }) => {
        const headers = (test as unknown as { header: Record<string, string> }).header ?? {};
        scanner.inspect({ method: method.toUpperCase(), url, authorization: headers.Authorization ?? headers.authorization }, res);
      });
      return test;
    };
  }
  wrapped.del = wrapped.delete;
  return wrapped as unknown as ReturnType<typeof request>;
}

export interface ScannedApp extends TestApp {
  readonly scanner: LeakScanner;
  /** A request supertest cannot make (raw bytes, odd methods, unnormalized paths), scanned too. */
  raw(options: RawRequest): Promise<RawResponse>;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: unknown;
}

export async function startScannedApp(env: Record<string, string> = {}): Promise<ScannedApp> {
  const t = await startTestApp(env);
  const scanner = new LeakScanner();
  const raw = async (options: RawRequest) => {
    const res = await rawRequest(t.baseUrl, options);
    const authorization = Object.entries(options.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    scanner.inspect({ method: options.method, url: options.path, authorization: authorization as string | undefined }, res);
    return res;
  };
  return { ...t, http: scannedHttp(t.baseUrl, scanner), scanner, raw };
}

/** A request exactly as given: the path is not normalized, the body is sent byte for byte. */
export function rawRequest(baseUrl: string, { method, path, headers = {}, body }: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, agent: false, headers: body === undefined ? headers : { 'Content-Length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
          resolve({ status: res.statusCode ?? 0, headers, text, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
