import { describe, expect, it } from 'vitest';
import { isInputDatabaseError, isStatementTimeout, sqlState } from './errors.js';

/** The shape Prisma 7's driver adapter gives a PostgreSQL error (seen with adapter-pg). */
const prismaError = (originalCode: string) =>
  Object.assign(new Error('x'), { code: 'P2010', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode, kind: 'postgres' } } } });

describe('sqlState', () => {
  it('reads the SQLSTATE from node-pg and from Prisma’s driver adapter errors, not Prisma’s own codes', () => {
    expect(sqlState(Object.assign(new Error('x'), { code: '57014' }))).toBe('57014');
    expect(sqlState(prismaError('22003'))).toBe('22003');
    expect(sqlState(Object.assign(new Error('x'), { code: 'P2025' }))).toBeNull();
    expect(sqlState(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeNull();
    expect(sqlState(new Error('x', { cause: Object.assign(new Error('y'), { code: '22021' }) }))).toBe('22021');
  });

  it('classes: 57014 is a timeout; class 22, 54000 and 23503 are the input’s fault; others are not', () => {
    expect(isStatementTimeout(prismaError('57014'))).toBe(true);
    for (const c of ['22003', '22021', '22007', '54000', '23503']) expect(isInputDatabaseError(prismaError(c)), c).toBe(true);
    for (const c of ['23505', '40001', '57014', '08006']) expect(isInputDatabaseError(prismaError(c)), c).toBe(false);
  });
});
