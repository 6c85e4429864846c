/**
 * A small, strict checker of a value against the OpenAPI 3.0 schemas the API
 * publishes at /docs-json: $ref, object (no property beyond those documented),
 * array, string (enum, formats uuid / date / date-time, lengths), number,
 * integer, boolean, nullable. Returns one message per mismatch.
 */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

export interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  // The contract: UTC with milliseconds and a Z.
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
};

export function schemaErrors(doc: OpenApiDocument, schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) return [`${at}: unknown schema ${schema.$ref}`];
    return schemaErrors(doc, target, value, at);
  }
  // `nullable` beside `allOf` allows null for the whole (as the drift proxy's validator reads it).
  if (value === null && schema.nullable) return [];
  if (schema.allOf) return schema.allOf.flatMap((part) => schemaErrors(doc, part, value, at));
  if (value === null) return [`${at}: null is not allowed`];
  const errors: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected an object`];
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in record)) errors.push(`${at}.${key}: missing`);
      for (const [key, item] of Object.entries(record)) {
        const property = schema.properties?.[key];
        if (!property) errors.push(`${at}.${key}: not in the schema`);
        else errors.push(...schemaErrors(doc, property, item, `${at}.${key}`));
      }
      break;
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${at}: expected an array`];
      if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
      if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
      value.forEach((item, i) => errors.push(...(schema.items ? schemaErrors(doc, schema.items, item, `${at}[${i}]`) : [])));
      break;
    }
    case 'string': {
      if (typeof value !== 'string') return [`${at}: expected a string`];
      const length = [...value].length;
      if (schema.minLength !== undefined && length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
      if (schema.maxLength !== undefined && length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
      const format = schema.format ? FORMATS[schema.format] : undefined;
      if (format && !format.test(value)) errors.push(`${at}: ${JSON.stringify(value)} is not a ${schema.format}`);
      if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${at}: not a real date-time`);
      break;
    }
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${at}: expected a number`];
      if (schema.type === 'integer' && !Number.isInteger(value)) errors.push(`${at}: expected an integer`);
      if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
      break;
    }
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${at}: expected a boolean`);
      break;
    default:
      break;
  }
  return errors;
}

/** The JSON schema of one documented response, e.g. ('post', '/api/tasks', 201). */
export function responseSchema(doc: OpenApiDocument, method: string, path: string, status: number): Schema | undefined {
  return doc.paths[path]?.[method.toLowerCase()]?.responses[String(status)]?.content?.['application/json']?.schema;
}

/** Errors of a response against its documented schema; an undocumented status is an error itself. */
export function responseErrors(doc: OpenApiDocument, method: string, path: string, res: { status: number; body: unknown }): string[] {
  const operation = doc.paths[path]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${path} is not documented`];
  const documented = operation.responses[String(res.status)];
  if (!documented) return [`${method} ${path} answered ${res.status}, which is not documented`];
  const schema = documented.content?.['application/json']?.schema;
  if (!schema) return res.body === undefined || res.body === '' || (typeof res.body === 'object' && res.body !== null && Object.keys(res.body).length === 0) ? [] : [`${res.status} is documented without a body`];
  return schemaErrors(doc, schema, res.body);
}
