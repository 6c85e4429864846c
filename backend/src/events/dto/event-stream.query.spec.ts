import { ValidationFailedException } from '../../common/api-errors.js';
import { isEventId, resumePoint } from './event-stream.query.js';

describe('event ids', () => {
  it.each(['0', '1', '42', '9223372036854775807'])('accepts %s', (id) => expect(isEventId(id)).toBe(true));

  it.each(['', '-1', '1.5', '1e3', ' 1', '0x10', '9223372036854775808', '99999999999999999999', 'abc'])('refuses %p', (id) =>
    expect(isEventId(id)).toBe(false),
  );

  it('refuses what is not a string', () => {
    expect(isEventId(1)).toBe(false);
    expect(isEventId(['1'])).toBe(false);
  });
});

describe('resumePoint', () => {
  it('is a fresh start without either', () => {
    expect(resumePoint(undefined, undefined)).toBeUndefined();
    expect(resumePoint('', undefined)).toBeUndefined();
  });

  it('takes the header over the query parameter', () => {
    expect(resumePoint('7', '3')).toBe(7n);
    expect(resumePoint(undefined, '3')).toBe(3n);
    expect(resumePoint('', '3')).toBe(3n);
  });

  it('keeps ids beyond 2^53 exact', () => {
    expect(resumePoint('9007199254740993', undefined)).toBe(9007199254740993n);
  });

  it('refuses a malformed header, naming it', () => {
    expect(() => resumePoint('yesterday', '3')).toThrow(ValidationFailedException);
    try {
      resumePoint('1, 2', undefined);
    } catch (error) {
      expect((error as ValidationFailedException).details).toEqual([{ field: 'Last-Event-ID', message: expect.any(String) }]);
    }
  });
});
