import http from 'node:http';
import { ContractProxy } from './contract-proxy';
import { ContractValidator, loadCommittedDocument, type ObservedRequest, type ObservedResponse, type OpenApiDocument } from './contract-validator';

/**
 * The drift check itself: an exchange that matches docs/openapi.json passes,
 * and each kind of drift (an extra field, an undocumented status or header,
 * a request the document refuses but the API accepted) is reported.
 */
const doc = loadCommittedDocument();
const validator = new ContractValidator(doc);

const TASK_ID = '7d0c4c1e-52f3-4a8b-9b7e-0c9f7f0d2a11';
const task = {
  id: TASK_ID,
  user_id: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  title: 'Write the report',
  description: null,
  status: 'todo',
  priority: null,
  tags: ['work'],
  due_date: '2027-01-31',
  due_time: null,
  project_id: '5c2a1f0e-8d3b-4e6a-9f1c-2b7d4e8a6c30',
  parent_id: null,
  position: 1024,
  subtask_count: 0,
  subtask_done_count: 0,
  recurrence: null,
  series_id: null,
  next_occurrence_id: null,
  created_at: '2026-11-26T09:30:00.000Z',
  updated_at: '2026-11-26T09:30:00.000Z',
  version: 1,
};
const bearer = { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' };

function req(method: string, target: string, headers: Record<string, string> = bearer, body?: unknown): ObservedRequest {
  const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
  return {
    method,
    target,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: bytes,
    bodyComplete: true,
  };
}

function res(status: number, body?: unknown, headers: Record<string, string> = {}): ObservedResponse {
  return {
    status,
    headers: body === undefined ? headers : { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)),
    bodyComplete: true,
  };
}

const violations = (request: ObservedRequest, response: ObservedResponse) => validator.check(request, response).violations;

describe('ContractValidator', () => {
  it('passes exchanges that are what the document says', () => {
    expect(violations(req('GET', `/api/tasks/${TASK_ID}`), res(200, task, { etag: '"1"' }))).toEqual([]);
    expect(violations(req('GET', '/api/tasks?status=todo,done&limit=5&tag=a&tag=b'), res(200, [task], { 'x-total-count': '1' }))).toEqual([]);
    expect(violations(req('POST', '/api/tasks', bearer, { title: 'Write it', tags: ['a'] }), res(201, task, { etag: '"1"', location: `/api/tasks/${TASK_ID}` }))).toEqual([]);
    expect(violations(req('GET', '/api/tasks', {}), res(401, { error: { code: 401, message: 'Invalid token' } }, { 'www-authenticate': 'Bearer' }))).toEqual([]);
    expect(violations(req('GET', '/health', {}), res(200, { status: 'ok', database: 'up' }))).toEqual([]);
    expect(violations(req('GET', '/nothing/here'), res(404, { error: { code: 404, message: 'Not found' } }))).toEqual([]);
    const stream = { status: 200, headers: { 'content-type': 'text/event-stream' }, body: Buffer.alloc(0), bodyComplete: false };
    expect(violations(req('GET', '/api/events?ticket=abc', {}), stream)).toEqual([]);
  });

  it('reports a response field the document does not name', () => {
    expect(violations(req('GET', `/api/tasks/${TASK_ID}`), res(200, { ...task, owner_email: 'a@example.com' }, { etag: '"1"' }))).toEqual([
      expect.stringMatching(/GET \/api\/tasks\/\S+ -> 200: body must NOT have additional properties \(owner_email\)/),
    ]);
    expect(violations(req('GET', '/api/tasks'), res(200, [{ ...task, priority: 'urgent' }], { 'x-total-count': '1' }))).toEqual([
      expect.stringContaining('body/0/priority must be equal to one of the allowed values'),
    ]);
  });

  it('reports a status the document does not list, and an undocumented route that answers', () => {
    expect(violations(req('DELETE', `/api/tasks/${TASK_ID}`), res(200, task))).toEqual([
      expect.stringContaining('status 200 is not documented for DELETE /api/tasks/{id}'),
    ]);
    expect(violations(req('GET', '/api/tasks/export/all'), res(200, []))).toEqual([expect.stringContaining('an undocumented route answered 200')]);
  });

  it('reports headers clients rely on that are undocumented, missing or malformed', () => {
    expect(violations(req('GET', `/api/tasks/${TASK_ID}`), res(200, task, { etag: '"1"', 'x-total-count': '1' }))).toEqual([
      expect.stringContaining('header x-total-count is sent but not documented'),
    ]);
    expect(violations(req('GET', '/api/tasks', {}), res(401, { error: { code: 401, message: 'Invalid token' } }))).toEqual([
      expect.stringContaining('header www-authenticate is documented as required but not sent'),
    ]);
    expect(violations(req('GET', '/api/tasks'), res(200, [], { 'x-total-count': 'many' }))).toEqual([
      expect.stringContaining('header x-total-count must be integer'),
    ]);
  });

  it('reports a request the document refuses that the API accepted, or one without credentials', () => {
    expect(violations(req('POST', '/api/tasks', bearer, { title: 'Write it', colour: 'red' }), res(201, task, { etag: '"1"', location: '/x' }))).toEqual([
      expect.stringContaining('the API accepted a request the document refuses (POST /api/tasks): body must NOT have additional properties (colour)'),
    ]);
    expect(violations(req('GET', '/api/tasks?limit=2.5'), res(200, [], { 'x-total-count': '0' }))).toEqual([expect.stringContaining('query limit must be integer')]);
    expect(violations(req('GET', '/api/tasks?colour=red'), res(200, [], { 'x-total-count': '0' }))).toEqual([
      expect.stringContaining('query parameter colour is not documented'),
    ]);
    expect(violations(req('GET', '/api/tasks', {}), res(200, [], { 'x-total-count': '0' }))).toEqual([
      expect.stringContaining('answered 200 without the credentials the document requires'),
    ]);
    // Refusing a request the document refuses is what the API should do.
    expect(violations(req('POST', '/api/tasks', bearer, { title: 'Write it', colour: 'red' }), res(400, { error: { code: 400, message: 'Validation failed' } }))).toEqual([]);
  });

  it('notes, without failing, an address the API normalizes into the documented format', () => {
    const user = { id: task.user_id, email: 'ada@example.com', time_zone: 'UTC', created_at: task.created_at };
    const result = validator.check(
      req('POST', '/auth/signup', {}, { email: ' Ada@Example.COM ', password: 'correct horse' }),
      res(201, { access_token: 'x.y.z', token_type: 'Bearer', expires_in: 3600, user }),
    );
    expect(result.violations).toEqual([]);
    expect(result.notes).toEqual([expect.stringContaining('body/email must match format "email"')]);
    // Returned, the address is held to its format.
    expect(violations(req('GET', '/auth/me'), res(200, { ...user, email: ' Ada@Example.COM ' }))).toEqual([
      expect.stringContaining('body/email must match format "email"'),
    ]);
  });

  it('notes, without failing, a 400 for a request the document allows', () => {
    const result = validator.check(req('POST', '/api/tasks', bearer, { title: 'A\u0000B' }), res(400, { error: { code: 400, message: 'Validation failed' } }));
    expect(result.violations).toEqual([]);
    expect(result.notes).toEqual([expect.stringContaining('refused a request the document allows')]);
  });

  it('finds every example in the committed document valid against its own schema', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const media = [
          ...Object.entries(operation.requestBody?.content ?? {}).map(([type, m]) => ['request', type, m] as const),
          ...Object.entries(operation.responses).flatMap(([status, r]) => Object.entries(r.content ?? {}).map(([type, m]) => [status, type, m] as const)),
        ];
        for (const [where, type, m] of media) {
          const { schema, example } = m as { schema?: Record<string, unknown>; example?: unknown };
          if (!type.includes('json') || !schema) continue;
          problems.push(...validator.schemaProblems(schema, example, `${method.toUpperCase()} ${path} ${where} example`));
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('ContractProxy', () => {
  /** A stand-in for the API that answers GET /api/tasks/{id} with whatever the test says. */
  async function fakeApi(answer: (res: http.ServerResponse) => void): Promise<{ port: number; close(): Promise<void> }> {
    const server = http.createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as { port: number }).port,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  async function through(answer: (res: http.ServerResponse) => void, document: OpenApiDocument = doc) {
    const api = await fakeApi(answer);
    const proxy = await ContractProxy.start({ host: '127.0.0.1', port: api.port }, new ContractValidator(document));
    try {
      const response = await fetch(`${proxy.url}/api/tasks/${TASK_ID}`, { headers: { Authorization: bearer.authorization } });
      return { proxy, text: await response.text() };
    } finally {
      // As in startTestApp: the API stops first, so the proxy has read everything it sent.
      await api.close();
      await proxy.close();
    }
  }

  it('passes the bytes through and fails on a deliberately wrong response: an extra field', async () => {
    const wrong = JSON.stringify({ ...task, secret: 'leaked' });
    const { proxy, text } = await through((res) => res.writeHead(200, { 'Content-Type': 'application/json', ETag: '"1"' }).end(wrong));
    expect(text).toBe(wrong);
    expect(proxy.exchanges).toBe(1);
    expect(proxy.violations).toEqual([expect.stringContaining('body must NOT have additional properties (secret)')]);
    expect(() => proxy.assertNoViolations()).toThrow(/The API and docs\/openapi.json disagree \(1 violation\(s\)\)/);
  });

  it('reads chunked bodies, and passes a response that matches', async () => {
    const { proxy } = await through((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', ETag: '"1"' });
      const body = JSON.stringify(task);
      res.write(body.slice(0, 20));
      res.end(body.slice(20));
    });
    expect(proxy.exchanges).toBe(1);
    expect(proxy.violations).toEqual([]);
    expect(() => proxy.assertNoViolations()).not.toThrow();
  });
});
