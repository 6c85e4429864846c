import { readFileSync } from 'node:fs';
import type { OpenAPIObject } from '@nestjs/swagger';
import { documentProblems, finalizeDocument, trimmedLengthPattern } from './openapi-document';

const COMMITTED = new URL('../../../docs/openapi.json', import.meta.url);

function generated(): OpenAPIObject {
  const errorResponse = { description: 'Invalid token', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } };
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': {
        post: {
          operationId: 'ThingsController_create',
          summary: 'Create a thing',
          tags: ['tasks'],
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateThing' } } } },
          responses: {
            '201': { description: 'Created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            '401': errorResponse,
            '429': { description: 'Slow down', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } },
          },
        },
        get: { operationId: 'ThingsController_list', summary: 'List', tags: ['tasks'], responses: { '200': { description: 'All' } } },
      },
      '/stream': {
        get: {
          operationId: 'StreamController_open',
          summary: 'Stream',
          tags: ['events'],
          security: [{ bearer: [] }, { ticket: [] }],
          responses: { '200': { description: 'Events' } },
        },
      },
    },
    components: {
      schemas: {
        CreateThing: {
          type: 'object',
          properties: { name: { type: 'string', example: 'Lamp' }, colour: { type: 'string', enum: ['red', 'blue'], nullable: true } },
          required: ['name'],
        },
        Thing: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            name: { type: 'string', example: 'Lamp' },
            colour: { type: 'string', enum: ['red', 'blue'], nullable: true },
          },
          required: ['id', 'name', 'colour'],
        },
        ErrorBody: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'integer' } } } } },
      },
    },
  };
}

describe('finalizeDocument', () => {
  const doc = finalizeDocument(generated(), new Set(['ThingsController_list']));
  const post = doc.paths['/things'].post!;

  it('derives security from @Public(): [] when public, bearer otherwise, a route of its own kept', () => {
    expect(doc.paths['/things'].get!.security).toEqual([]);
    expect(post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/stream'].get!.security).toEqual([{ bearer: [] }, { ticket: [] }]);
  });

  it('closes every object schema, nested ones too, and puts null into nullable enums', () => {
    const schemas = doc.components!.schemas as Record<string, Record<string, unknown>>;
    expect(schemas.Thing.additionalProperties).toBe(false);
    expect((schemas.ErrorBody.properties as Record<string, Record<string, unknown>>).error.additionalProperties).toBe(false);
    expect((schemas.Thing.properties as Record<string, { enum: unknown[] }>).colour.enum).toEqual(['red', 'blue', null]);
  });

  it('declares WWW-Authenticate on every 401 and Retry-After on every 429', () => {
    expect(post.responses['401']).toMatchObject({ headers: { 'WWW-Authenticate': { required: true } } });
    expect(post.responses['429']).toMatchObject({ headers: { 'Retry-After': { required: true, schema: { type: 'integer' } } } });
  });

  it('builds examples from the property examples, and error examples naming their status', () => {
    expect((post.requestBody as { content: Record<string, { example: unknown }> }).content['application/json'].example).toEqual({ name: 'Lamp' });
    expect((post.responses['201'] as { content: Record<string, { example: unknown }> }).content['application/json'].example).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Lamp',
      colour: 'red',
    });
    expect((post.responses['401'] as { content: Record<string, { example: unknown }> }).content['application/json'].example).toEqual({
      error: { code: 401, message: 'Invalid token' },
    });
  });

  it('adds servers and the described tags', () => {
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(doc.tags?.map((tag) => tag.name)).toEqual(expect.arrayContaining(['auth', 'tasks', 'events', 'platform']));
    expect(doc.tags?.every((tag) => (tag.description ?? '').length > 0)).toBe(true);
  });
});

describe('documentProblems', () => {
  it('names what the decorators of a route must still say', () => {
    const doc = generated();
    doc.paths['/things'].get!.summary = '';
    doc.paths['/things'].get!.tags = ['gadgets'];
    (doc.paths['/things'].post!.responses['201'] as { description: string }).description = '';
    const problems = documentProblems(finalizeDocument(doc, new Set()));
    expect(problems).toEqual([
      'GET /things: no summary (@ApiOperation({ summary }))',
      'GET /things: tag "gadgets" is not described in API_TAGS',
      'POST /things 201: empty description (@ApiResponse({ description }))',
    ]);
  });

  it('finds nothing to add in the committed docs/openapi.json', () => {
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8')) as OpenAPIObject;
    expect(documentProblems(committed)).toEqual([]);
  });
});

describe('trimmedLengthPattern', () => {
  it.each([
    [3, 255],
    [1, 50],
    [0, 10],
    [2, 2],
    [1, 1],
  ])('matches exactly the texts of %i to %i characters once trimmed', (min, max) => {
    const pattern = new RegExp(trimmedLengthPattern(min, max), 'u');
    for (const length of [0, 1, 2, 3, 9, 10, 11, 49, 50, 51, 254, 255, 256]) {
      for (const core of ['x'.repeat(length), length > 1 ? `a${' '.repeat(length - 2)}b` : 'y'.repeat(length), '\u{1F600}'.repeat(length)]) {
        for (const text of [core, `  ${core}`, `${core}\n\t `, ` ${core} `]) {
          const expected = [...text.trim()].length >= min && [...text.trim()].length <= max;
          expect({ text, matches: pattern.test(text) }).toEqual({ text, matches: expected });
        }
      }
    }
  });
});
