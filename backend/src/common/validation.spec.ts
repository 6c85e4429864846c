import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateTaskDto } from '../tasks/dto/create-task.dto.js';
import { UpdateTaskDto } from '../tasks/dto/update-task.dto.js';
import { charLength, isCalendarDate, isCleanText, MAX_ERROR_DETAILS, toErrorDetails, validationExceptionFactory } from './validation.js';

describe('isCalendarDate', () => {
  it.each(['2027-01-31', '2028-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each(['2027-02-30', '2027-02-29', '1900-02-29', '2027-13-01', '2027-00-10', '2027-04-31', '2027-1-1', '0000-01-01', '2027-01-01T00:00:00Z', '', 20270101])(
    'refuses %s',
    (value) => {
      expect(isCalendarDate(value)).toBe(false);
    },
  );
});

describe('charLength', () => {
  it('counts code points, as PostgreSQL does', () => {
    expect(charLength('abc')).toBe(3);
    expect(charLength('😀😀')).toBe(2);
    expect('😀😀'.length).toBe(4);
  });
});

describe('isCleanText', () => {
  it('refuses NUL characters and lone surrogates', () => {
    expect(isCleanText('fine ✓ 😀')).toBe(true);
    expect(isCleanText('a\u0000b')).toBe(false);
    expect(isCleanText('a\ud800b')).toBe(false);
  });
});

describe('task DTO validation', () => {
  const errorsOf = (cls: typeof CreateTaskDto | typeof UpdateTaskDto, body: object) =>
    toErrorDetails(validateSync(plainToInstance(cls, body), { whitelist: true, forbidNonWhitelisted: true }));

  it('accepts a full valid task and trims title and tags', () => {
    const dto = plainToInstance(CreateTaskDto, { title: '  Plan  ', tags: [' a ', 'b'] });
    expect(validateSync(dto)).toHaveLength(0);
    expect(dto.title).toBe('Plan');
    expect(dto.tags).toEqual(['a', 'b']);
  });

  it('names every bad field', () => {
    expect(errorsOf(CreateTaskDto, { title: 5, status: 'later', due_date: '2027-02-30', id: 'x' })).toEqual([
      { field: 'id', message: 'id is not an allowed property' },
      { field: 'title', message: 'title must be a string' },
      { field: 'status', message: 'status must be one of: todo, in-progress, done' },
      { field: 'due_date', message: 'due_date must be a real date in the form YYYY-MM-DD, or null' },
    ]);
  });

  it('lets null clear nullable fields on update but refuses null for the others', () => {
    expect(errorsOf(UpdateTaskDto, { description: null, priority: null, due_date: null })).toEqual([]);
    expect(errorsOf(UpdateTaskDto, { title: null, status: null, tags: null }).map((d) => d.field)).toEqual([
      'title',
      'status',
      'tags',
    ]);
  });

  it('refuses null status on create rather than defaulting it', () => {
    expect(errorsOf(CreateTaskDto, { title: 'abc', status: null }).map((d) => d.field)).toEqual(['status']);
  });
});

describe('validationExceptionFactory', () => {
  it('lists at most MAX_ERROR_DETAILS problems and says how many there were', () => {
    const body = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 1]));
    const errors = validateSync(plainToInstance(CreateTaskDto, { title: 'fine title', ...body }), { whitelist: true, forbidNonWhitelisted: true });
    const exception = validationExceptionFactory(errors);
    expect(exception.details).toHaveLength(MAX_ERROR_DETAILS);
    expect(exception.message).toBe(`Validation failed: 500 problems, the first ${MAX_ERROR_DETAILS} listed`);
  });

  it('keeps the plain message when everything is listed', () => {
    const errors = validateSync(plainToInstance(CreateTaskDto, { title: 1 }));
    expect(validationExceptionFactory(errors).message).toBe('Validation failed');
  });
});
