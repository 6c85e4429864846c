import { jest } from '@jest/globals';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { TaskAccessDeniedException, ValidationFailedException } from './api-errors.js';
import { HttpExceptionFilter } from './http-exception.filter.js';

describe('HttpExceptionFilter.toErrorBody', () => {
  const filter = new HttpExceptionFilter();
  const queryError = (code: string, message = 'raw driver text') =>
    new QueryFailedError('SELECT secret FROM users', [], Object.assign(new Error(message), { code }));

  it('keeps validation details', () => {
    const details = [{ field: 'title', message: 'title must be a string' }];
    expect(filter.toErrorBody(new ValidationFailedException(details))).toEqual({
      status: 400,
      body: { error: { code: 400, message: 'Validation failed', details } },
    });
  });

  it('maps named exceptions to their status and message', () => {
    expect(filter.toErrorBody(new TaskAccessDeniedException())).toEqual({
      status: 403,
      body: { error: { code: 403, message: 'Access denied: task not found or not owned by user' } },
    });
    expect(filter.toErrorBody(new NotFoundException('Cannot GET /x')).body.error).toEqual({ code: 404, message: 'Not found' });
    expect(filter.toErrorBody(new BadRequestException('bad')).body.error).toEqual({ code: 400, message: 'bad' });
  });

  it('turns PostgreSQL bad-input codes into 400s without SQL or driver text', () => {
    for (const code of ['22P02', '22001', '23514']) {
      const { status, body } = filter.toErrorBody(queryError(code));
      expect(status).toBe(400);
      expect(JSON.stringify(body)).not.toMatch(/SELECT|secret|driver/);
    }
    expect(filter.toErrorBody(queryError('23505')).status).toBe(409);
  });

  it('answers 503 while the database is unreachable', () => {
    expect(filter.toErrorBody(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).status).toBe(503);
    expect(filter.toErrorBody(queryError('57P01', 'terminating connection due to administrator command')).status).toBe(503);
    expect(filter.toErrorBody(new Error('timeout exceeded when trying to connect')).status).toBe(503);
  });

  it('hides anything unexpected behind a generic 500', () => {
    const spy = jest.spyOn((filter as unknown as { logger: { error: () => void } }).logger, 'error').mockImplementation(() => undefined);
    expect(filter.toErrorBody(new TypeError('cannot read x of undefined at /src/secret.ts:1'))).toEqual({
      status: 500,
      body: { error: { code: 500, message: 'Internal server error' } },
    });
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
