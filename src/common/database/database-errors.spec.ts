import { classifyOutage, isUniqueViolation } from './database-errors';

describe('classifyOutage', () => {
  it('names the database for SQLite disk full and I/O errors, extended codes included', () => {
    expect(classifyOutage({ code: 'SQLITE_FULL' })).toEqual({ component: 'database', code: 'DATABASE_UNAVAILABLE', reason: 'full' });
    expect(classifyOutage({ code: 'SQLITE_IOERR_WRITE' })?.reason).toBe('io');
    expect(classifyOutage({ name: 'QueryFailedError', driverError: { code: 'SQLITE_FULL' } })?.reason).toBe('full');
    expect(classifyOutage({ code: 'SQLITE_BUSY' })?.reason).toBe('busy');
  });
  it('names the database for a refused or lost PostgreSQL connection and a server out of space', () => {
    expect(classifyOutage(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))?.reason).toBe('unreachable');
    expect(classifyOutage(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))?.reason).toBe('unreachable');
    expect(classifyOutage(new Error('Connection terminated unexpectedly'))?.reason).toBe('unreachable');
    expect(classifyOutage({ code: '57P01' })?.reason).toBe('unreachable');
    expect(classifyOutage({ driverError: { code: '53100' } })?.reason).toBe('full');
  });
  it('leaves request errors and bugs alone', () => {
    expect(classifyOutage({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBeNull();
    expect(classifyOutage({ code: '23505' })).toBeNull();
    expect(classifyOutage(new TypeError('x is undefined'))).toBeNull();
    expect(classifyOutage(null)).toBeNull();
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(true);
  });
});
