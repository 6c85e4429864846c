import { readFileSync } from 'node:fs';
import net from 'node:net';
import { scannedHttp, startScannedApp, type ScannedApp } from '../support/leak-scanner';
import { createUser, expectError, type TestUser } from '../support/test-app';

/**
 * OWASP API4 (unrestricted resource consumption): oversized, deep and wide
 * inputs are refused with a clear 4xx, quickly, before the expensive work
 * (parsing, validation, bcrypt) runs, and the process's memory stays bounded.
 *
 * Time limits are generous (other suites share the 2 cores): "quickly" means
 * under 1 s where the work refused would take far longer or never finish.
 */
const QUICK_MS = 1000;

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1]) / 1024;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

/**
 * Sends headers, then writes the body slowly in chunks and stops as soon as
 * the server answers: how many bytes it took before the API said no.
 */
function sendUntilAnswered(
  port: number,
  head: string,
  chunk: Buffer,
  maxBytes: number,
  chunked: boolean,
): Promise<{ statusLine: string; bytesSent: number; elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const start = performance.now();
    let bytesSent = 0;
    let answer = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(deadline);
      socket.destroy();
      resolve({ statusLine: answer.split('\r\n')[0], bytesSent, elapsedMs: performance.now() - start });
    };
    socket.on('data', (data) => {
      answer += data.toString('latin1');
      if (answer.includes('\r\n\r\n')) finish();
    });
    socket.on('error', () => finish());
    socket.on('close', () => finish());
    socket.write(head);
    const timer = setInterval(() => {
      if (done) return;
      if (bytesSent >= maxBytes) {
        clearInterval(timer);
        if (chunked) socket.write('0\r\n\r\n');
        return;
      }
      const frame = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
      socket.write(frame);
      bytesSent += chunk.length;
    }, 5);
    const deadline = setTimeout(() => (done ? undefined : reject(new Error(`no answer after ${bytesSent} bytes`))), 20_000);
  });
}

describe('API4 resource consumption', () => {
  let t: ScannedApp;
  let user: TestUser;
  let port: number;
  /**
   * The API itself, past the contract proxy, for refusals given while the
   * client is still uploading (see contract-proxy.ts): a proxy that streams
   * the upload on would lose the answer to the reset that follows it.
   */
  let direct: ScannedApp['http'];

  beforeAll(async () => {
    // Real bcrypt cost, so "refused before bcrypt runs" is measurable.
    t = await startScannedApp({ BCRYPT_ROUNDS: '12' });
    port = Number(new URL(t.apiUrl).port);
    direct = scannedHttp(t.apiUrl, t.scanner);
    user = await createUser(t, 'consumer@example.com', 'the right password');
  });
  afterAll(async () => {
    t.scanner.expectClean(20);
    await t.close();
  });

  describe('bodies over the 100 kB limit', () => {
    it('are refused with 413 from the declared length, before the body is read', async () => {
      const head =
        `POST /api/tasks HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${user.auth.Authorization}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n';
      const result = await sendUntilAnswered(port, head, Buffer.alloc(16 * 1024, 0x20), 50_000_000, false);
      expect(result.statusLine).toMatch(/^HTTP\/1\.1 413/);
      // Answered after a few kB of a declared 50 MB.
      expect(result.bytesSent).toBeLessThan(2 * 1024 * 1024);
    });

    it('are cut off at the limit when sent chunked without a length', async () => {
      const head =
        `POST /api/tasks HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${user.auth.Authorization}\r\n` +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
      const result = await sendUntilAnswered(port, head, Buffer.alloc(16 * 1024, 0x20), 20 * 1024 * 1024, true);
      expect(result.statusLine).toMatch(/^HTTP\/1\.1 413/);
      expect(result.bytesSent).toBeLessThan(2 * 1024 * 1024);
    });

    it('get 413 in the error shape, for signup and login too, whatever the content', async () => {
      for (const path of ['/api/tasks', '/auth/signup', '/auth/login']) {
        const [res, ms] = await timed(() =>
          direct.post(path).set(user.auth).set('Content-Type', 'application/json').send(`{"title":"${'x'.repeat(150 * 1024)}`),
        );
        expectError(res, 413);
        expect(ms).toBeLessThan(QUICK_MS);
      }
    });
  });

  describe('deep and wide JSON', () => {
    it.each([
      ['arrays 10,000 deep', `{"title":"deep","tags":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
      ['objects 10,000 deep', `{"title":"deep","description":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`],
      ['a bare array 10,000 deep', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
      ['mixed nesting 5,000 deep', `{"x":${'[{"a":'.repeat(5_000)}1${'}]'.repeat(5_000)}}`],
    ])('refuses %s with a quick 400', async (_case, body) => {
      const [res, ms] = await timed(() => t.http.post('/api/tasks').set(user.auth).set('Content-Type', 'application/json').send(body));
      expectError(res, 400);
      expect(ms).toBeLessThan(QUICK_MS);
    });

    it('refuses a 100,000-element array: over the body limit, 413', async () => {
      const body = `{"title":"wide","tags":[${new Array(100_000).fill('0').join(',')}]}`;
      expectError(await direct.post('/api/tasks').set(user.auth).set('Content-Type', 'application/json').send(body), 413);
      expectError(await direct.patch('/api/tasks/0b8a6f8e-5d5c-4c9e-9a0b-3f2d1c0b9a87').set(user.auth).set('Content-Type', 'application/json').send(body), 413);
    });

    it('refuses 10,000 tags (40 kB, under the body limit) with a quick 400', async () => {
      const [res, ms] = await timed(() => t.http.post('/api/tasks').set(user.auth).send({ title: 'many tags', tags: new Array(10_000).fill('tag') }));
      expectError(res, 400);
      expect(res.body.error.details).toEqual([{ field: 'tags', message: 'tags must have at most 20 entries' }]);
      expect(ms).toBeLessThan(QUICK_MS);
      const distinct = await t.http.post('/api/tasks').set(user.auth).send({ title: 'many tags', tags: Array.from({ length: 10_000 }, (_, i) => `t${i}`) });
      expectError(distinct, 400);
    });

    it('keeps the error small however many bad properties a body has', async () => {
      const body = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 1]));
      const [res, ms] = await timed(() => t.http.post('/api/tasks').set(user.auth).send({ title: 'keys', ...body }));
      expectError(res, 400);
      expect(ms).toBeLessThan(QUICK_MS);
      // No amplification: a 60 kB request does not earn a response many times its size.
      expect(res.text.length).toBeLessThan(8 * 1024);
    });
  });

  describe('query strings', () => {
    it.each([
      ['limit=100000', 'limit=100000'],
      ['limit=0', 'limit=0'],
      ['offset past the maximum', 'offset=1000000001'],
      ['a huge limit with digits only', `limit=${'9'.repeat(400)}`],
      ['1,000 tag filters', new Array(1_000).fill('tag=a').join('&')],
      ['a 10 kB search', `q=${'a'.repeat(10_000)}`],
      ['1,000 comma-separated statuses', `status=${new Array(1_000).fill('todo').join(',')}`],
      ['2,000 unknown parameters', Array.from({ length: 2_000 }, (_, i) => `p${i}=1`).join('&')],
    ])('refuses %s with a quick 400', async (_case, query) => {
      const [res, ms] = await timed(() => t.http.get(`/api/tasks?${query}`).set(user.auth));
      expect(ms).toBeLessThan(QUICK_MS);
      if (query.startsWith('status=')) {
        // Every value valid: a long list is legal, just pointless.
        expect(res.status).toBe(200);
        return;
      }
      expectError(res, 400);
      expect(res.text.length).toBeLessThan(8 * 1024);
    });

    it('refuses 100,000 repeated parameters (a 600 kB URL) before routing, with 414 or 431', async () => {
      const result = await sendUntilAnswered(
        port,
        `GET /api/tasks?${new Array(100_000).fill('tag=a').join('&')} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${user.auth.Authorization}\r\n\r\n`,
        Buffer.alloc(0),
        0,
        false,
      );
      expect(result.statusLine).toMatch(/^HTTP\/1\.1 (414|431)/);
      expect(result.elapsedMs).toBeLessThan(QUICK_MS * 2);
    });

    it('serves limit=100, the largest page', async () => {
      await t.http.get('/api/tasks?limit=100').set(user.auth).expect(200);
    });
  });

  describe('passwords', () => {
    it('refuses a 1 MB password with 413 on signup and login', async () => {
      for (const path of ['/auth/signup', '/auth/login']) {
        const [res, ms] = await timed(() => direct.post(path).send({ email: 'big@example.com', password: 'p'.repeat(1024 * 1024) }));
        expectError(res, 413);
        expect(ms).toBeLessThan(QUICK_MS);
      }
    });

    it('refuses a 90 kB password (under the body limit) with 400 before bcrypt runs', async () => {
      const time = async (password: string, expected: number) => {
        const [res, ms] = await timed(() => t.http.post('/auth/login').send({ email: user.email, password }));
        expect(res.status).toBe(expected);
        return ms;
      };
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const bcrypt: number[] = [];
      const refused: number[] = [];
      for (let i = 0; i < 5; i++) {
        bcrypt.push(await time('a wrong password', 401));
        refused.push(await time('p'.repeat(90 * 1024), 400));
      }
      process.stdout.write(`bcrypt (2^12) login ${median(bcrypt).toFixed(1)} ms, 90 kB password refused in ${median(refused).toFixed(1)} ms\n`);
      // A bcrypt comparison at cost 12 takes ~150-300 ms here; a refusal before it a few ms.
      expect(median(refused)).toBeLessThan(median(bcrypt) / 4);
      const { rows } = await t.db.query("SELECT count(*)::int AS n FROM users WHERE email = 'big@example.com'");
      expect(rows[0].n).toBe(0);
    });
  });

  it('keeps its memory bounded under a burst of hostile requests, and stays responsive', async () => {
    const pid = t.process.pid as number;
    const deep = `{"title":"deep","tags":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const wide = { title: 'wide', tags: new Array(10_000).fill('tag') };
    const oversized = `{"title":"${'x'.repeat(200 * 1024)}"}`;
    const burst = async () => {
      for (let round = 0; round < 5; round++) {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => {
            const request = t.http.post('/api/tasks').set(user.auth);
            if (i % 3 === 0) return request.set('Content-Type', 'application/json').send(deep).then((r) => r.status);
            if (i % 3 === 1) return request.send(wide).then((r) => r.status);
            return request.set('Content-Type', 'application/json').send(oversized).then((r) => r.status, () => 413);
          }),
        ).then((statuses) => statuses.forEach((status) => expect([400, 413]).toContain(status)));
      }
    };
    await burst();
    const afterFirst = rssMb(pid);
    const [, healthMs] = await timed(() => t.http.get('/health').expect(200));
    await burst();
    await burst();
    const afterThird = rssMb(pid);
    process.stdout.write(`RSS after 100 hostile requests ${afterFirst.toFixed(0)} MB, after 300: ${afterThird.toFixed(0)} MB\n`);
    expect(healthMs).toBeLessThan(QUICK_MS);
    // Bounded: no growth from round to round beyond allocator noise, and far below any container limit.
    expect(afterThird - afterFirst).toBeLessThan(64);
    expect(afterThird).toBeLessThan(400);
  });
});

describe('API4 slow clients', () => {
  let t: ScannedApp;
  let port: number;
  beforeAll(async () => {
    t = await startScannedApp({ REQUEST_TIMEOUT: '3' });
    port = Number(new URL(t.baseUrl).port);
  });
  afterAll(async () => {
    t.scanner.expectClean(1);
    await t.close();
  });

  /** Sends `head`, then one byte of `trickle` every 500 ms: how long until the API hangs up, and what it said. */
  const slowClient = (head: string, trickle: string) =>
    new Promise<{ answer: string; closedAfterMs: number }>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      const start = performance.now();
      let answer = '';
      let i = 0;
      socket.on('data', (data) => (answer += data.toString('utf8')));
      socket.on('error', () => undefined);
      socket.write(head);
      const timer = setInterval(() => {
        if (i < trickle.length && !socket.destroyed) socket.write(trickle[i++]);
      }, 500);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ answer, closedAfterMs: performance.now() - start });
      });
    });

  it.each([
    ['a body trickled a byte at a time', 'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"email":', 'x'.repeat(100)],
    ['headers trickled a byte at a time', 'GET /api/tasks HTTP/1.1\r\nHost: x\r\n', 'X-Slow: ' + 'y'.repeat(100)],
  ])('disconnects %s after REQUEST_TIMEOUT with a 408 in the error shape', async (_case, head, trickle) => {
    const [healthy, result] = await Promise.all([
      (async () => {
        await new Promise((r) => setTimeout(r, 1_000));
        return (await t.http.get('/health')).status;
      })(),
      slowClient(head, trickle),
    ]);
    // Other clients are served meanwhile; the slow one is cut at 3 s (checked every second).
    expect(healthy).toBe(200);
    expect(result.closedAfterMs).toBeGreaterThan(2_500);
    expect(result.closedAfterMs).toBeLessThan(8_000);
    expect(result.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(result.answer).toContain('{"error":{"code":408,"message":"Request timed out"}}');
  });
});

