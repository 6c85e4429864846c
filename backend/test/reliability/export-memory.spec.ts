import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createUser, startTestApp, type TestApp } from '../support/test-app';

/** Resident memory of a process, in MiB, from /proc. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) as string;
  return Number(/(\d+)/.exec(line)?.[1]) / 1024;
}

/** Samples the API's RSS every 25 ms while `work` runs; the peak. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 25);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, rssMiB(pid)) };
  } finally {
    clearInterval(timer);
  }
}

/** GETs a download, counting its bytes (or keeping them), without holding them unless asked. */
function download(baseUrl: string, path: string, token: string, keep: boolean): Promise<{ status: number; bytes: number; body?: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, baseUrl);
    http
      .get({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { Authorization: `Bearer ${token}` } }, (response) => {
        let bytes = 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes, ...(keep && { body: Buffer.concat(chunks) }) }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * An export streams: its memory does not grow with the account. The API runs
 * as the image runs it (256 MB heap cap); 100,000 tasks make a JSON export
 * of some 30 MB, which held at once (string and objects) would cost several
 * times that.
 */
describe('export and import of a large account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_OPTIONS: '--max-old-space-size=256' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function seed(userId: string, count: number): Promise<void> {
    // Straight into the table, without the outbox trigger: the subject here is the export, not 100,000 events.
    await t.db.query('ALTER TABLE tasks DISABLE TRIGGER tasks_record_event');
    try {
      await t.db.query(
        `INSERT INTO tasks (user_id, title, description, status, priority, tags, due_date, created_at, updated_at)
         SELECT $1, 'Task number ' || g || ' with a title of ordinary length',
                CASE WHEN g % 3 = 0 THEN NULL ELSE 'Notes, "quoted" and plain: ' || repeat('lorem ipsum ', 5) END,
                (ARRAY['todo','in-progress','done'])[g % 3 + 1], (ARRAY['low','medium','high',NULL])[g % 4 + 1],
                ARRAY['tag' || (g % 7), 'project-' || (g % 13)], date '2027-01-01' + (g % 365),
                timestamptz '2026-01-01' + g * interval '1 second', timestamptz '2026-06-01' + g * interval '1 second'
         FROM generate_series(1, $2::int) g`,
        [userId, count],
      );
    } finally {
      await t.db.query('ALTER TABLE tasks ENABLE TRIGGER tasks_record_event');
    }
  }

  const TASKS = 35_000;

  // Seeding 100,000 rows and three exports take 30-40 s on a quiet machine, minutes on a loaded one.
  it('exports 100,000 tasks (JSON and CSV) with flat memory', async () => {
    const user = await createUser(t);
    await seed(user.id, 100_000);
    const pid = t.process.pid as number;
    // Warm up the code paths, then measure from a settled baseline.
    await download(t.baseUrl, '/api/me/export?format=json', user.token, false);
    await new Promise((r) => setTimeout(r, 1000));
    const before = rssMiB(pid);
    const json = await peakRss(pid, async () => {
      const started = Date.now();
      const res = await download(t.baseUrl, '/api/me/export?format=json', user.token, false);
      return { ...res, ms: Date.now() - started };
    });
    const csv = await peakRss(pid, () => download(t.baseUrl, '/api/me/export?format=csv', user.token, false));
    const report = {
      rss_before_mib: Math.round(before),
      json: { bytes: json.result.bytes, ms: json.result.ms, peak_rss_mib: Math.round(json.peak), growth_mib: Math.round(json.peak - before) },
      csv: { bytes: csv.result.bytes, peak_rss_mib: Math.round(csv.peak), growth_mib: Math.round(csv.peak - before) },
    };
    process.stdout.write(`export of 100,000 tasks: ${JSON.stringify(report)}\n`);
    expect(json.result.status).toBe(200);
    expect(json.result.bytes).toBeGreaterThan(25 * 1024 * 1024);
    // Less than the export itself: the document never exists in the process at once.
    expect(json.peak - before).toBeLessThan(25);
    expect(csv.peak - before).toBeLessThan(25);
  }, 300_000);

  // 35,000 of these tasks are 19 MB as an export of schema version 2 (about 550 bytes each: a task also
  // carries its project, parent, position, due time, recurrence, series and trash fields), under the
  // import's 20 MB limit; version 1 fitted 50,000.
  it('round-trips 35,000 tasks (an upload under the 20 MB limit) into a fresh account, in one transaction', async () => {
    const source = await createUser(t);
    await seed(source.id, TASKS);
    const exported = await download(t.baseUrl, '/api/me/export?format=json', source.token, true);
    expect(exported.bytes).toBeLessThan(20 * 1024 * 1024);
    const target = await createUser(t);
    const pid = t.process.pid as number;
    const before = rssMiB(pid);
    const imported = await peakRss(pid, async () => {
      const started = Date.now();
      const res = await fetch(`${t.baseUrl}/api/me/import?format=json`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${target.token}`, 'Content-Type': 'application/json' },
        body: exported.body,
      });
      return { status: res.status, body: (await res.json()) as { created: { tasks: number } }, ms: Date.now() - started };
    });
    process.stdout.write(
      `import of ${TASKS} tasks (${exported.bytes} bytes): ${imported.result.ms} ms, RSS ${Math.round(before)} → peak ${Math.round(imported.peak)} MiB\n`,
    );
    expect(imported.result.status).toBe(201);
    expect(imported.result.body.created).toEqual({ projects: 0, views: 0, tasks: TASKS });
    const again = await download(t.baseUrl, '/api/me/export?format=json', target.token, true);
    // Every task in its account's Inbox, the rest the same.
    const strip = (doc: Buffer, inboxId: string) =>
      (JSON.parse(doc.toString()) as { tasks: Record<string, unknown>[] }).tasks.map(({ id: _id, project_id, ...task }) =>
        JSON.stringify({ ...task, in_inbox: project_id === inboxId }),
      );
    expect(strip(again.body as Buffer, target.inboxId)).toEqual(strip(exported.body as Buffer, source.inboxId));
    // Bounded by the upload's size: the body, and the tasks read from it, not a copy of the document as objects.
    expect(imported.peak - before).toBeLessThan(150);
  }, 300_000);
});
