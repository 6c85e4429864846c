// A client that floods the API with list requests from one account, in its own
// process: as from another machine, its downloads and garbage collection do
// not delay the test's own measurements.
//
// Usage: node flood-client.mjs < {"baseUrl", "authorization", "shapes": [query strings], "concurrency", "seconds"}
// Prints the count of answers per HTTP status as one JSON line (0: no answer).
import { text } from 'node:stream/consumers';

const { baseUrl, authorization, shapes, concurrency, seconds } = JSON.parse(await text(process.stdin));
const statuses = {};
const until = Date.now() + seconds * 1000;

await Promise.all(
  Array.from({ length: concurrency }, async (_, worker) => {
    for (let i = worker; Date.now() < until; i++) {
      let status = 0;
      try {
        const res = await fetch(`${baseUrl}/api/tasks?${shapes[i % shapes.length]}`, {
          headers: { authorization },
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        // counted as 0: no answer, or a dropped connection
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
process.stdout.write(`${JSON.stringify(statuses)}\n`);
