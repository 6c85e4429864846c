import type { INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { ApiPropertyOptional, type ApiPropertyOptions, DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IS_PUBLIC } from '../common/public.decorator.js';
import { REFRESH_COOKIE } from '../sessions/refresh-cookie.js';

/**
 * The OpenAPI document, as the contract: what @nestjs/swagger generates from
 * the decorators, then one pass (finalizeDocument) that applies the rules
 * every route shares, so a route added later gets them without per-route work:
 *
 * - every operation states its `security`: `[]` for @Public() routes (read
 *   from the same metadata the global guard reads), bearer otherwise, unless
 *   the route declares its own (the event stream also takes a ticket);
 * - every object schema is closed (`additionalProperties: false`): the
 *   ValidationPipe refuses unknown fields, and no response carries a field
 *   the document does not name;
 * - a nullable enum lists `null` (OpenAPI 3.0.3);
 * - every 401 declares `WWW-Authenticate` and every 429 `Retry-After`, which
 *   the exception filter and the rate limiter always send;
 * - every operation lists the errors Node's HTTP parser answers before any
 *   route runs (common/client-errors.ts): 400, 408 and 431;
 * - every operation a bearer token reaches lists 403 with the
 *   `insufficient_scope` WWW-Authenticate header: a personal API token
 *   outside its scopes gets it there (common/scopes.ts);
 * - every JSON request and response has an example, built from the schema's
 *   property examples (error bodies get one naming their status);
 * - the document lists its servers and describes every tag.
 *
 * `documentProblems` names what decorators must still say (a summary, a
 * description of every response, a declared tag); a test keeps it empty.
 */

/** Every tag an operation may carry, with its description. A new module adds its tag here. */
export const API_TAGS: readonly { name: string; description: string }[] = [
  {
    name: 'auth',
    description:
      'Accounts: sign up or log in for a bearer token (`Authorization: Bearer <token>`) and a session (a refresh cookie), ' +
      'refresh and log out, and the signed-in user. Login, signup and account changes are rate-limited per client ' +
      '(429 with Retry-After).',
  },
  {
    name: 'tasks',
    description:
      "The caller's tasks: create, list (filter, search, sort, page), read, change and delete. Every task has a " +
      '`version` (its ETag) for conditional requests; creates accept an Idempotency-Key.',
  },
  {
    name: 'projects',
    description:
      'Group tasks into projects (up to 3 levels). Every user has one Inbox, where tasks without a project go; ' +
      'a project with tasks is deleted only by moving its tasks elsewhere or to the trash.',
  },
  {
    name: 'views',
    description:
      'Saved list queries (filters and sort) under a name, validated as the task list validates them. A personal API ' +
      'token needs the tasks scopes here (tasks:read, tasks:write), as for the lists the views stand for.',
  },
  {
    name: 'trash',
    description:
      'Deleted tasks (with their subtasks) for 30 days: restore one, delete one for good, or empty the trash.',
  },
  {
    name: 'account',
    description:
      "The signed-in user's account: sessions, personal API tokens, password, export and import, deletion. " +
      "These routes take a session's access token only, never a personal API token (403 insufficient_scope).",
  },
  {
    name: 'webhooks',
    description:
      'Signed HTTP callbacks (Standard Webhooks) for every change the event stream carries, delivered at least once ' +
      'with retries for 24 hours; the last 100 deliveries of each webhook, redelivery and a test event.',
  },
  {
    name: 'events',
    description: "Live changes of the caller's tasks, projects and views as Server-Sent Events, resumable with Last-Event-ID.",
  },
  { name: 'platform', description: 'Health of this API instance, for load balancers and orchestrators.' },
];

export const SERVERS = [
  { url: '/', description: 'The origin this document was loaded from: the API itself, or the web app that proxies it' },
  { url: 'http://localhost:3000', description: 'The API of `npm start`' },
];

/** The security scheme of the event stream's `?ticket=` (see EventsController). */
export const TICKET_SECURITY = 'ticket';

export const WWW_AUTHENTICATE_HEADER = {
  'WWW-Authenticate': {
    description: 'Always `Bearer`: the route wants a bearer token (RFC 6750)',
    required: true,
    schema: { type: 'string', enum: ['Bearer'] },
  },
};

/** On a 403 for a personal API token used outside its scopes (common/scopes.ts), per RFC 6750. */
export const INSUFFICIENT_SCOPE_HEADER = {
  'WWW-Authenticate': {
    description: 'On insufficient_scope only: `Bearer error="insufficient_scope"`, with `scope="<the scope needed>"` where one would do',
    required: false,
    schema: { type: 'string', pattern: '^Bearer error="insufficient_scope"' },
  },
};

/** For @ApiResponse headers; `required: false` where only some answers of that status carry it. */
export function retryAfterHeader(required: boolean, description = 'Seconds to wait before trying again') {
  return { 'Retry-After': { description, required, schema: { type: 'integer', minimum: 0, example: 30 } } };
}

/**
 * An optional query parameter that is one comma-separated list
 * (`?status=todo,done`), OpenAPI's `form` style without `explode`. Query DTO
 * properties have no `explode` option in @nestjs/swagger's types, although
 * it copies the key into the parameter.
 */
export function ApiCommaListQuery(options: ApiPropertyOptions): PropertyDecorator {
  return ApiPropertyOptional({ ...options, isArray: true, ...({ style: 'form', explode: false } as object) });
}

/**
 * A `pattern` for text the API trims before counting its characters (the
 * `@Trim()` and `@CharLength(min, max)` pair): surrounding white space is
 * allowed, and what is inside it must be `min` to `max` characters long.
 * `maxLength` cannot say that (it counts the white space too).
 */
export function trimmedLengthPattern(min: number, max: number): string {
  if (min < 0 || max < Math.max(min, 1)) throw new Error(`no text is ${min} to ${max} characters long`);
  if (max === 1) return min === 0 ? '^\\s*\\S?\\s*$' : '^\\s*\\S\\s*$';
  const inner = min >= 2 ? `\\S[\\s\\S]{${min - 2},${max - 2}}\\S` : `\\S(?:[\\s\\S]{0,${max - 2}}\\S)?`;
  return min === 0 ? `^\\s*(?:${inner})?\\s*$` : `^\\s*${inner}\\s*$`;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Evolution of Todo API')
    .setDescription(
      'Multi-user task manager. Sign up or log in under /auth, then send the token as `Authorization: Bearer <token>`. ' +
        'Every error is `{"error": {"code", "message", "details"?}}`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        'An access token from /auth/login, /auth/signup or /auth/refresh (a JWT, 15 minutes), or a personal API token ' +
        '(`evt_…`, from POST /api/me/tokens), which works only on the routes its scopes allow',
    })
    .addCookieAuth(REFRESH_COOKIE, { type: 'apiKey', in: 'cookie', name: REFRESH_COOKIE }, 'refresh')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'query',
        name: 'ticket',
        description: 'A single-use ticket from `POST /api/events/ticket`, for EventSource (which cannot send headers)',
      },
      TICKET_SECURITY,
    )
    .build();
  return finalizeDocument(SwaggerModule.createDocument(app, config), publicOperationIds(app));
}

/**
 * The operation ids (`<Controller>_<method>`, @nestjs/swagger's default) of
 * the handlers the global JWT guard lets through: @Public() on the handler
 * or its controller, read the way JwtAuthGuard reads it.
 */
export function publicOperationIds(app: INestApplication): Set<string> {
  const reflector = new Reflector();
  const ids = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        if (reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, controller])) ids.add(`${controller.name}_${key}`);
      }
    }
  }
  return ids;
}

type Json = Record<string, unknown>;
type Schema = Json & {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: unknown;
  example?: unknown;
  format?: string;
  minimum?: number;
  minLength?: number;
};
interface MediaType {
  schema?: Schema;
  example?: unknown;
}
interface Response {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { schema?: Schema }[];
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, Response>;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every operation of the document with its method and path. */
export function operationsOf(doc: { paths: Record<string, unknown> }): { method: string; path: string; operation: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => (item as Json)[method]).map((method) => ({
      method,
      path,
      operation: (item as Record<string, Operation>)[method],
    })),
  );
}

/** Typical error bodies, by status, for the examples of error responses. */
const ERROR_EXAMPLES: Record<string, Json> = {
  '400': { code: 400, message: 'Validation failed', details: [{ field: 'title', message: 'title must be between 3 and 255 characters' }] },
  '401': { code: 401, message: 'Invalid token' },
  '403': { code: 403, message: 'Access denied: task not found or not owned by user' },
  '404': { code: 404, message: 'Not found' },
  '409': { code: 409, message: 'Email already registered' },
  '413': { code: 413, message: 'Request body too large (limit 100 kB)' },
  '415': { code: 415, message: 'Unsupported content type: send application/json' },
  '422': { code: 422, message: 'Idempotency-Key was already used with a different request body' },
  '408': { code: 408, message: 'Request timed out' },
  '429': { code: 429, message: 'Too many attempts, retry in 60 seconds' },
  '431': { code: 431, message: 'Request headers or URL too large' },
  '500': { code: 500, message: 'Internal server error' },
  '503': { code: 503, message: 'Service temporarily unavailable, please retry' },
};

/** What Node's HTTP parser answers on any route, before routing (common/client-errors.ts). */
const TRANSPORT_ERRORS: Record<string, string> = {
  '400': 'Malformed HTTP request (request line, header or method)',
  '408': 'The request (headers and body) did not arrive within REQUEST_TIMEOUT seconds; the connection is closed',
  '431': 'Request headers or URL over 16 kB; the connection is closed',
};

/** Applies the shared rules (see the top of this file) to a generated document, in place, and returns it. */
export function finalizeDocument<T extends OpenAPIObject>(doc: T, publicOperations: ReadonlySet<string>): T {
  doc.servers = SERVERS.map((server) => ({ ...server }));
  doc.tags = API_TAGS.map((tag) => ({ ...tag }));
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Schema>;
  for (const schema of Object.values(schemas)) tightenSchema(schema);

  for (const { operation } of operationsOf(doc)) {
    const isPublic = operation.operationId !== undefined && publicOperations.has(operation.operationId);
    if (!operation.security || operation.security.length === 0) operation.security = isPublic ? [] : [{ bearer: [] }];
    for (const parameter of operation.parameters ?? []) if (parameter.schema) tightenSchema(parameter.schema);
    // Any route a bearer token reaches refuses a personal API token outside its scopes (ScopeGuard).
    if (operation.security.some((requirement) => 'bearer' in requirement)) {
      operation.responses['403'] ??= {
        description: 'A personal API token used outside its scopes (`insufficient_scope`), or on an account route',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      };
      operation.responses['403'].headers = { ...INSUFFICIENT_SCOPE_HEADER, ...operation.responses['403'].headers };
    }
    for (const [status, description] of Object.entries(TRANSPORT_ERRORS)) {
      operation.responses[status] ??= { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
    }
    operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));

    for (const media of Object.values(operation.requestBody?.content ?? {})) {
      if (media.schema) tightenSchema(media.schema);
      if (media.example === undefined && media.schema) media.example = exampleOf(media.schema, schemas);
    }
    for (const [status, response] of Object.entries(operation.responses)) {
      if (status === '401') response.headers = { ...WWW_AUTHENTICATE_HEADER, ...response.headers };
      if (status === '429') response.headers = { ...retryAfterHeader(true), ...response.headers };
      for (const [type, media] of Object.entries(response.content ?? {})) {
        if (media.schema) tightenSchema(media.schema);
        if (media.example !== undefined || !type.includes('json') || !media.schema) continue;
        media.example = isErrorBody(media.schema) && ERROR_EXAMPLES[status] ? { error: ERROR_EXAMPLES[status] } : exampleOf(media.schema, schemas);
      }
    }
  }
  return doc;
}

function isErrorBody(schema: Schema): boolean {
  return schema.$ref === '#/components/schemas/ErrorBody';
}

/** Closes object schemas and puts null into nullable enums, throughout one schema. */
function tightenSchema(schema: Schema): void {
  if (schema.nullable && schema.enum && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  // A wrapper around a reference (allOf: [$ref], as Nest writes a nullable or
  // described nested DTO) takes its shape from the target, which is closed itself.
  const composed = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (((schema.type === 'object' && !composed) || schema.properties) && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  for (const property of Object.values(schema.properties ?? {})) tightenSchema(property);
  if (schema.items) tightenSchema(schema.items);
  for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) tightenSchema(part);
}

const FORMAT_EXAMPLES: Record<string, unknown> = {
  uuid: '7d0c4c1e-52f3-4a8b-9b7e-0c9f7f0d2a11',
  date: '2027-01-31',
  'date-time': '2026-11-26T09:30:00.000Z',
  email: 'ada@example.com',
};

/**
 * An example value of a schema: its own `example`, else one built from its
 * parts (every property with an example or required, one array item, the
 * first enum value, a value for the format).
 */
export function exampleOf(schema: Schema, schemas: Record<string, Schema>, depth = 0): unknown {
  if (schema.example !== undefined) return schema.example;
  if (depth > 16) return undefined;
  if (schema.$ref) {
    const target = schemas[schema.$ref.replace('#/components/schemas/', '')];
    return target ? exampleOf(target, schemas, depth + 1) : undefined;
  }
  if (schema.allOf) {
    const parts = schema.allOf.map((part) => exampleOf(part, schemas, depth + 1));
    return parts.every((part) => typeof part === 'object' && part !== null && !Array.isArray(part))
      ? Object.assign({}, ...parts)
      : parts[0];
  }
  const variant = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (variant) return exampleOf(variant, schemas, depth + 1);
  const firstValue = schema.enum?.find((value) => value !== null);
  if (firstValue !== undefined) return firstValue;
  if (schema.type === 'object' || schema.properties) {
    const example: Json = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const required = schema.required?.includes(name) ?? false;
      if (!required && !hasOwnExample(property, schemas)) continue;
      const value = exampleOf(property, schemas, depth + 1);
      if (value !== undefined) example[name] = value;
    }
    return example;
  }
  if (schema.type === 'array') {
    const item = schema.items ? exampleOf(schema.items, schemas, depth + 1) : undefined;
    return item === undefined ? [] : [item];
  }
  if (schema.type === 'integer' || schema.type === 'number') return schema.minimum ?? 1;
  if (schema.type === 'boolean') return true;
  if (schema.type === 'string') return FORMAT_EXAMPLES[schema.format ?? ''] ?? 'x'.repeat(Math.max(1, schema.minLength ?? 0));
  return undefined;
}

/** An optional property earns a place in an example when someone wrote one for it (or for its type). */
function hasOwnExample(schema: Schema, schemas: Record<string, Schema>): boolean {
  if (schema.example !== undefined) return true;
  const target = schema.$ref ?? schema.allOf?.[0]?.$ref;
  return target !== undefined && schemas[target.replace('#/components/schemas/', '')] !== undefined;
}

/**
 * What the decorators of a route must still say for the document to be a
 * contract: a summary, a description of every response, tags the document
 * describes, a request body that is a named (closed) schema (or, for a file
 * upload, text of a media type of its own). Also checks the
 * finalized rules held. Empty when all is well.
 */
export function documentProblems(doc: OpenAPIObject): string[] {
  const problems: string[] = [];
  const tags = new Set((doc.tags ?? []).filter((tag) => tag.description).map((tag) => tag.name));
  if (!doc.servers?.length) problems.push('the document lists no servers');
  for (const { method, path, operation } of operationsOf(doc)) {
    const at = `${method.toUpperCase()} ${path}`;
    if (!operation.summary?.trim()) problems.push(`${at}: no summary (@ApiOperation({ summary }))`);
    if (!operation.tags?.length) problems.push(`${at}: no tag (@ApiTags on the controller)`);
    for (const tag of operation.tags ?? []) if (!tags.has(tag)) problems.push(`${at}: tag "${tag}" is not described in API_TAGS`);
    if (!operation.security) problems.push(`${at}: no security requirement`);
    for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
      // A file sent as the body (an import's CSV) is text of its own media type; anything else is JSON of a DTO class.
      const isFile = type !== 'application/json' && media.schema?.type === 'string';
      if (type !== 'application/json' && !isFile) problems.push(`${at}: request body of type ${type}`);
      if (!isFile && !media.schema?.$ref) problems.push(`${at}: request body is not a DTO class`);
      if (media.example === undefined) problems.push(`${at}: request body without example`);
    }
    const statuses = Object.keys(operation.responses);
    if (!statuses.some((status) => status.startsWith('2'))) problems.push(`${at}: no success response`);
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!response.description?.trim()) problems.push(`${at} ${status}: empty description (@ApiResponse({ description }))`);
      if (status === '401' && !response.headers?.['WWW-Authenticate']) problems.push(`${at} 401: no WWW-Authenticate header`);
      if (status === '429' && !response.headers?.['Retry-After']) problems.push(`${at} 429: no Retry-After header`);
      for (const [type, media] of Object.entries(response.content ?? {})) {
        if (type.includes('json') && media.example === undefined) problems.push(`${at} ${status}: no example`);
      }
    }
  }
  const visit = (schema: Schema, at: string) => {
    const composed = schema.allOf ?? schema.oneOf ?? schema.anyOf;
    if (((schema.type === 'object' && !composed) || schema.properties) && schema.additionalProperties !== false) {
      problems.push(`${at}: object schema is not closed (additionalProperties: false)`);
    }
    if (schema.nullable && schema.enum && !schema.enum.includes(null)) problems.push(`${at}: nullable enum without null`);
    for (const [name, property] of Object.entries(schema.properties ?? {})) visit(property, `${at}.${name}`);
    if (schema.items) visit(schema.items, `${at}[]`);
  };
  for (const [name, schema] of Object.entries((doc.components?.schemas ?? {}) as Record<string, Schema>)) visit(schema, name);
  return problems;
}
