import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { isEmail } from 'class-validator';

/**
 * Checks HTTP exchanges against the committed OpenAPI document
 * (docs/openapi.json), with AJV for the schemas. Used by the contract proxy
 * (contract-proxy.ts) that stands between the tests and the API, so every
 * request and response of a test file is checked.
 *
 * A response is drift, reported as a violation, when
 * - its status is not documented for the operation (an undocumented route or
 *   method may only answer 404 or 405);
 * - its body does not match the documented schema (object schemas are closed,
 *   so an undocumented field is drift), or it has a body where none is
 *   documented, or a media type the document does not name;
 * - it carries one of the headers clients rely on (CLIENT_HEADERS) that the
 *   document does not declare for that status, lacks one declared as
 *   required, or its value does not match the declared schema;
 * - the API accepted (2xx or 3xx) a request the document refuses, or one
 *   without the credentials the document requires.
 *
 * A request the document accepts and the API refuses with 400 is not drift by
 * itself: some rules are no schema's business (an invisible character in an
 * address, a time zone that exists, a NUL in a title). Those are kept as
 * `notes`. So is a request the API accepted whose only fault is a `format`
 * (as JSON Schema 2019-09 has it, an annotation unless asserted): the API
 * normalizes addresses (` Ada@Example.COM`, full-width `＠`) into the form
 * `format: email` describes, and returns them in it, where formats are held.
 */

export const CLIENT_HEADERS = ['etag', 'location', 'retry-after', 'www-authenticate', 'x-total-count', 'link', 'idempotent-replayed'];

export interface ObservedRequest {
  method: string;
  /** The request target as sent: path and query string. */
  target: string;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** False when the API answered before the whole body arrived (a 413, say). */
  bodyComplete: boolean;
}

export interface ObservedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** False for a stream, or a response cut short: only its status and headers are checked. */
  bodyComplete: boolean;
}

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  explode?: boolean;
  schema?: Json;
}
interface Header {
  required?: boolean;
  schema?: Json;
}
interface Response {
  headers?: Record<string, Header>;
  content?: Record<string, { schema?: Json }>;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
  responses: Record<string, Response>;
  security?: Record<string, string[]>[];
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Json>; securitySchemes?: Record<string, Json> };
}

interface Problem {
  message: string;
  /** The schema keyword that failed, for schema problems. */
  keyword?: string;
}

const COMMITTED_DOCUMENT = new URL('../../../docs/openapi.json', import.meta.url);

/**
 * What a request that reaches no operation may get: 404 (405), or what the
 * HTTP parser answers before routing (a method HTTP/1.1 does not know is a
 * 400; a timeout, 408; headers too large, 431).
 */
const NOT_ROUTED = [400, 404, 405, 408, 431];

/** Paths the document does not describe on purpose: Swagger UI and the document itself. */
const DOCUMENTATION_PATHS = /^\/docs(-json|\/.*)?$/;

export function loadCommittedDocument(): OpenApiDocument {
  return JSON.parse(readFileSync(COMMITTED_DOCUMENT, 'utf8')) as OpenApiDocument;
}

export class ContractValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new WeakMap<object, ValidateFunction>();
  private readonly routes: { pattern: RegExp; names: string[]; path: string }[];

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
    this.ajv.addVocabulary(['example']);
    addFormats(this.ajv);
    // The API's own definition of an address (class-validator, validator.js):
    // internationalized ones (RFC 6531) included.
    this.ajv.addFormat('email', (value: string) => isEmail(value, { ignore_max_length: true }));
    const definitions = Object.fromEntries(
      Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => [name, toJsonSchema(schema)]),
    );
    this.ajv.addSchema({ $id: 'contract', definitions });
    // Literal segments before parameters: /api/events/ticket before /api/events/{id}.
    this.routes = Object.keys(doc.paths)
      .map((path) => {
        const names: string[] = [];
        const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
        return { pattern: new RegExp(`^${pattern}$`), names, path };
      })
      .sort((a, b) => a.names.length - b.names.length);
  }

  /** The violations of one exchange (empty when it is what the document says), and notes. */
  check(request: ObservedRequest, response: ObservedResponse): { violations: string[]; notes: string[] } {
    const [rawPath, query = ''] = splitTarget(request.target);
    const method = request.method.toUpperCase();
    const at = `${method} ${request.target.length > 120 ? `${request.target.slice(0, 120)}…` : request.target} -> ${response.status}`;
    const violations: string[] = [];
    const notes: string[] = [];

    // A CORS preflight is answered by the CORS layer for every route.
    if (method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) return { violations, notes };
    if (DOCUMENTATION_PATHS.test(rawPath)) return { violations, notes };

    const route = this.routes.map((r) => ({ r, match: r.pattern.exec(rawPath) })).find((m) => m.match);
    // HEAD is answered like GET, without a body.
    const operation = route && this.doc.paths[route.r.path][method === 'HEAD' ? 'get' : method.toLowerCase()];
    if (!route || !operation) {
      if (!NOT_ROUTED.includes(response.status)) {
        violations.push(`${at}: ${route ? 'an undocumented method' : 'an undocumented route'} answered ${response.status}, not 404`);
      }
      return { violations, notes };
    }
    const label = `${method} ${route.r.path}`;

    const requestProblems = this.requestProblems(operation, request, route.r.names, route.match as RegExpExecArray, query);
    const accepted = response.status >= 200 && response.status < 400;
    const refusals = requestProblems.filter((problem) => problem.keyword !== 'format').map((problem) => problem.message);
    if (accepted && refusals.length > 0) {
      violations.push(`${at}: the API accepted a request the document refuses (${label}): ${refusals.join('; ')}`);
    } else if (accepted && requestProblems.length > 0) {
      notes.push(`${at}: accepted a value outside its format, as normalized input: ${requestProblems.map((p) => p.message).join('; ')}`);
    }
    if (accepted && !this.hasCredentials(operation, request, query)) {
      violations.push(`${at}: answered ${response.status} without the credentials the document requires (${label})`);
    }
    if (response.status === 400 && requestProblems.length === 0) {
      notes.push(`${at}: refused a request the document allows: ${response.body.toString('utf8').slice(0, 200)}`);
    }

    const documented = operation.responses[String(response.status)] ?? operation.responses[`${String(response.status)[0]}XX`] ?? operation.responses.default;
    if (!documented) {
      violations.push(`${at}: status ${response.status} is not documented for ${label}`);
      return { violations, notes };
    }
    violations.push(...this.headerProblems(documented, response).map((problem) => `${at}: ${problem}`));
    violations.push(...this.bodyProblems(documented, response, method).map((problem) => `${at}: ${problem}`));
    return { violations, notes };
  }

  /** Why the document refuses this request; empty when it accepts it. */
  private requestProblems(operation: Operation, request: ObservedRequest, names: string[], match: RegExpExecArray, query: string): Problem[] {
    const problems: Problem[] = [];
    const fault = (message: string) => problems.push({ message });
    const check = (schema: Json, value: unknown, where: string) => problems.push(...this.schemaErrors(schema, value, where));
    const parameters = operation.parameters ?? [];
    names.forEach((name, i) => {
      const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
      let value: string;
      try {
        value = decodeURIComponent(match[i + 1]);
      } catch {
        fault(`path parameter ${name} is not valid percent-encoding`);
        return;
      }
      if (parameter?.schema) check(parameter.schema, coerce(parameter.schema, value), `path ${name}`);
    });

    const values = new Map<string, string[]>();
    for (const [key, value] of new URLSearchParams(query)) values.set(key, [...(values.get(key) ?? []), value]);
    for (const [key] of values) {
      // The ValidationPipe refuses query parameters its DTO does not name.
      if (!parameters.some((p) => p.in === 'query' && p.name === key)) fault(`query parameter ${key} is not documented`);
    }
    for (const parameter of parameters.filter((p) => p.in === 'query')) {
      const given = values.get(parameter.name);
      if (!given) {
        if (parameter.required) fault(`query parameter ${parameter.name} is required`);
        continue;
      }
      const schema = parameter.schema ?? {};
      let value: unknown;
      if (schema.type === 'array') {
        const items = parameter.explode === false ? given.flatMap((v) => v.split(',')) : given;
        value = items.map((item) => coerce((schema.items as Json) ?? {}, item));
      } else if (given.length > 1) {
        fault(`query parameter ${parameter.name} is given ${given.length} times`);
        continue;
      } else {
        value = coerce(schema, given[0]);
      }
      check(schema, value, `query ${parameter.name}`);
    }

    for (const parameter of parameters.filter((p) => p.in === 'header')) {
      const value = request.headers[parameter.name.toLowerCase()];
      if (value === undefined) {
        if (parameter.required) fault(`header ${parameter.name} is required`);
      } else if (parameter.schema) {
        check(parameter.schema, coerce(parameter.schema, value), `header ${parameter.name}`);
      }
    }

    const content = operation.requestBody?.content;
    if (content && request.bodyComplete) {
      const hasBody = request.body.length > 0;
      const type = mediaType(request.headers['content-type']);
      if (!hasBody) {
        if (operation.requestBody?.required) fault('the request body is required');
      } else if (!type || !content[type]) {
        fault(`a request body of type ${type ?? '(none)'} is not documented`);
      } else if (!type.includes('json')) {
        // A file sent as text (an import's CSV): its media type is the contract, the content the route's own rules.
        if (decodeUtf8(request.body) === undefined) fault(`the request body (${type}) is not UTF-8 text`);
      } else {
        const text = decodeUtf8(request.body);
        let body: unknown;
        try {
          body = text === undefined ? undefined : JSON.parse(text);
        } catch {
          body = undefined;
        }
        if (body === undefined) fault('the request body is not JSON in UTF-8');
        else if (content[type].schema) check(content[type].schema as Json, body, 'body');
      }
    }
    return problems;
  }

  /** Whether the request carries what one of the operation's security requirements names. */
  private hasCredentials(operation: Operation, request: ObservedRequest, query: string): boolean {
    if (!operation.security || operation.security.length === 0) return true;
    const schemes = this.doc.components?.securitySchemes ?? {};
    return operation.security.some((requirement) =>
      Object.keys(requirement).every((name) => {
        const scheme = schemes[name] as { type?: string; scheme?: string; in?: string; name?: string } | undefined;
        if (scheme?.type === 'http' && scheme.scheme === 'bearer') return /^Bearer\s+\S/i.test(request.headers.authorization ?? '');
        if (scheme?.type === 'apiKey' && scheme.in === 'query') return new URLSearchParams(query).has(scheme.name ?? '');
        if (scheme?.type === 'apiKey' && scheme.in === 'header') return request.headers[(scheme.name ?? '').toLowerCase()] !== undefined;
        if (scheme?.type === 'apiKey' && scheme.in === 'cookie') {
          return (request.headers.cookie ?? '').split(';').some((pair) => pair.trim().startsWith(`${scheme.name ?? ''}=`));
        }
        return false;
      }),
    );
  }

  private headerProblems(documented: Response, response: ObservedResponse): string[] {
    const problems: string[] = [];
    const declared = new Map(Object.entries(documented.headers ?? {}).map(([name, header]) => [name.toLowerCase(), header]));
    for (const name of CLIENT_HEADERS) {
      const value = response.headers[name];
      const header = declared.get(name);
      if (value !== undefined && !header) problems.push(`header ${name} is sent but not documented for this status`);
      if (value === undefined && header?.required) problems.push(`header ${name} is documented as required but not sent`);
    }
    for (const [name, header] of declared) {
      const value = response.headers[name];
      if (value !== undefined && header.schema) problems.push(...this.schemaProblems(header.schema, coerce(header.schema, value), `header ${name}`));
    }
    return problems;
  }

  private bodyProblems(documented: Response, response: ObservedResponse, method: string): string[] {
    const type = mediaType(response.headers['content-type']);
    const content = documented.content ?? {};
    const noBody = method === 'HEAD' || response.status === 204 || response.status === 304;
    if (noBody) return [];
    if (Object.keys(content).length === 0) {
      return response.body.length > 0 ? [`a body (${type ?? 'no media type'}) where the document declares none`] : [];
    }
    if (!type || !content[type]) return [`media type ${type ?? '(none)'} is not documented (${Object.keys(content).join(', ')})`];
    if (!response.bodyComplete || !type.includes('json')) return [];
    const text = decodeUtf8(response.body);
    let body: unknown;
    try {
      body = text === undefined ? undefined : JSON.parse(text);
    } catch {
      return ['the body is not JSON'];
    }
    return content[type].schema ? this.schemaProblems(content[type].schema as Json, body, 'body') : [];
  }

  /** AJV's errors for one value, as `where: what` lines. */
  schemaProblems(schema: Json, value: unknown, where: string): string[] {
    return this.schemaErrors(schema, value, where).map((problem) => problem.message);
  }

  private schemaErrors(schema: Json, value: unknown, where: string): Problem[] {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema));
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => {
      const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
      return { message: `${where}${error.instancePath} ${error.message ?? error.keyword}${extra}`, keyword: error.keyword };
    });
  }
}

/**
 * OpenAPI 3.0 schema → JSON Schema for AJV: `nullable` becomes a null type,
 * component references point into the `contract` schema.
 */
export function toJsonSchema(schema: unknown): Json {
  const convert = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(convert);
    if (typeof node !== 'object' || node === null) return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === '$ref' && typeof value === 'string') out.$ref = value.replace('#/components/schemas/', 'contract#/definitions/');
      else if (key === 'nullable' || key.startsWith('x-')) continue;
      else if (key === 'properties' || key === 'definitions') {
        out[key] = Object.fromEntries(Object.entries(value as Json).map(([name, sub]) => [name, convert(sub)]));
      } else out[key] = convert(value);
    }
    if ((node as Json).nullable === true) {
      // A nullable reference (allOf/oneOf/anyOf) would still hold null to the referenced schema.
      const composed = out.allOf !== undefined || out.oneOf !== undefined || out.anyOf !== undefined || out.$ref !== undefined;
      if (typeof out.type === 'string' && !composed) return { ...out, type: [out.type, 'null'] };
      return { anyOf: [{ type: 'null' }, out] };
    }
    return out;
  };
  return convert(schema) as Json;
}

/** A parameter or header value (always text on the wire) as the schema's type. */
function coerce(schema: Json, value: string): unknown {
  if ((schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (schema.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function splitTarget(target: string): [string, string] {
  const path = target.replace(/^https?:\/\/[^/]+/, '');
  const i = path.indexOf('?');
  return i < 0 ? [path, ''] : [path.slice(0, i), path.slice(i + 1)];
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0].trim().toLowerCase() || undefined;
}

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
