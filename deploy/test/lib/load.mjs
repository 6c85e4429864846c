// Load for the scale test: a paced mix of creates, lists and patches that
// records what every client saw, and autocannon runs for throughput.
import { request, requireBackend, sleep } from './harness.mjs';

const autocannon = requireBackend('autocannon');

/**
 * `concurrency` clients share a budget of `targetRps` requests per second for
 * `seconds`: half creates, 40 % lists, 10 % patches of the client's own tasks.
 * `schedule` runs callbacks at given offsets (ms) during the load. Returns
 * every request's outcome, the creates and patches that were acknowledged.
 */
export async function runLoad({ baseUrl, users, seconds, targetRps, concurrency, upstreamOf, schedule = [] }) {
  const startedAt = Date.now();
  const end = startedAt + seconds * 1000;
  const interval = 1000 / targetRps;
  const records = [];
  const failures = [];
  const acked = [];
  const ackedPatches = [];
  let attemptedCreates = 0;
  let nextSlot = startedAt;

  const timers = schedule.map(([offset, fn]) => setTimeout(fn, offset));

  // A shared pacing clock; a slow moment does not turn into a burst afterwards.
  const takeSlot = async () => {
    const slot = Math.max(nextSlot, Date.now() - 50);
    nextSlot = slot + interval;
    const wait = slot - Date.now();
    if (wait > 0) await sleep(wait);
  };

  const worker = async (w) => {
    const user = users[w % users.length];
    const mine = [];
    for (let seq = 0; ; seq++) {
      await takeSlot();
      if (Date.now() >= end) return;
      const roll = Math.random();
      const op = roll < 0.5 ? 'create' : roll < 0.9 || mine.length === 0 ? 'list' : 'patch';
      let path = '/api/tasks?limit=20';
      let options = { token: user.token, timeoutMs: 15_000 };
      let expected = 200;
      let target;
      if (op === 'create') {
        attemptedCreates++;
        path = '/api/tasks';
        options = { ...options, method: 'POST', body: { title: `load ${w}-${seq}`, tags: ['load'] } };
        expected = 201;
      } else if (op === 'patch') {
        target = mine[Math.floor(Math.random() * mine.length)];
        path = `/api/tasks/${target}`;
        options = { ...options, method: 'PATCH', body: { priority: 'high' } };
      }
      try {
        const res = await request(`${baseUrl}${path}`, options);
        const record = { at: Date.now(), op, status: res.status, upstream: upstreamOf(res) };
        records.push(record);
        if (res.status !== expected) {
          failures.push({ ...record, via: res.headers['x-upstream'], body: res.text.slice(0, 120) });
        } else if (op === 'create') {
          acked.push({ id: res.json.id });
          mine.push(res.json.id);
        } else if (op === 'patch') {
          ackedPatches.push({ id: target });
        }
      } catch (error) {
        const record = { at: Date.now(), op, error: error.message };
        records.push(record);
        failures.push(record);
      }
    }
  };

  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  timers.forEach(clearTimeout);
  return {
    startedAt,
    seconds: (Date.now() - startedAt) / 1000,
    total: records.length,
    records,
    failures,
    acked,
    ackedPatches,
    attemptedCreates,
  };
}

/** Closed-loop throughput with autocannon after a one-second warm-up. */
export async function throughput({ url, token, method = 'GET', body, seconds, connections = 16 }) {
  const run = (duration) =>
    new Promise((resolveRun, reject) =>
      autocannon(
        {
          url,
          method,
          body,
          connections,
          duration,
          headers: { authorization: `Bearer ${token}`, ...(body && { 'content-type': 'application/json' }) },
        },
        (error, result) => (error ? reject(error) : resolveRun(result)),
      ),
    );
  await run(1);
  const r = await run(seconds);
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    requests: r.requests.total,
  };
}
