// The load generator, run as its own process so it does not share the event
// loop (or the CPU accounting) of the server under test. Prints autocannon's
// result as JSON on stdout.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

// The spec file run.mjs wrote: target, connections, duration and the requests to rotate through.
const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let i = 0;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.duration,
  pipelining: 1,
  // Logins queue behind bcrypt (one core's worth at a time): at 32 connections a login can wait ~10 s.
  timeout: 30,
  requests: [
    {
      setupRequest: (request) => {
        // Rotate through the scenario's requests (users, ids, bodies).
        const r = spec.requests[i++ % spec.requests.length];
        return { ...request, method: r.method, path: r.path, headers: r.headers, body: r.body };
      },
    },
  ],
});
process.stdout.write(
  JSON.stringify({
    requests: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }),
);
