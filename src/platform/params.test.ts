import { describe, expect, it } from 'vitest';
import type { Request } from 'express';
import { z } from 'zod';
import { HttpError } from './errors.js';
import { maxPage, pageQuery, parseId, parseQuery, pathId } from './params.js';

const req = (params: Record<string, string>, query: Record<string, unknown> = {}) => ({ params, query }) as unknown as Request;
const status = (f: () => unknown) => {
  try {
    f();
    return 200;
  } catch (e) {
    return (e as HttpError).status;
  }
};

describe('pathId', () => {
  it('takes digits 1..2147483647 only', () => {
    expect(pathId(req({ id: '42' }), 'id')).toBe(42);
    expect(pathId(req({ id: '2147483647' }), 'id')).toBe(2147483647);
    for (const bad of ['0', '-1', '2147483648', '99999999999', '1e3', '1.0', ' 1', '0x1', '', 'abc'])
      expect(
        status(() => pathId(req({ id: bad }), 'id')),
        bad,
      ).toBe(404);
    expect(parseId(undefined)).toBeNull();
  });
});

describe('parseQuery', () => {
  const shape = { q: z.string().max(5, '最多 5 个字').optional() };
  it('parses single-valued parameters and ignores unknown ones', () => {
    expect(parseQuery(req({}, { q: 'abc', other: 'x' }), shape)).toEqual({ q: 'abc' });
  });
  it('refuses repeated or bracketed parameters, control characters, overlong values and invalid ones with 400', () => {
    expect(status(() => parseQuery(req({}, { q: ['a', 'b'] }), shape))).toBe(400);
    expect(status(() => parseQuery(req({}, { q: { b: 'a' } }), shape))).toBe(400);
    expect(status(() => parseQuery(req({}, { 'q[]': 'a' }), shape))).toBe(400);
    expect(status(() => parseQuery(req({}, { q: 'a\u0000' }), shape))).toBe(400);
    expect(status(() => parseQuery(req({}, { other: 'x'.repeat(501) }), shape))).toBe(400);
    expect(status(() => parseQuery(req({}, { q: 'abcdef' }), shape))).toBe(400);
    try {
      parseQuery(req({}, { q: 'abcdef' }), shape);
    } catch (e) {
      expect((e as Error).message).toMatch(/^查询参数无效：/);
    }
  });
});

describe('parseQuery for a filter form', () => {
  const shape = { q: z.string().max(5, '最多 5 个字').optional(), page: pageQuery(30, 'admin') };
  it('gives the data and the typed values of the form fields', () => {
    const r = parseQuery(req({}, { q: 'abc', page: '2', other: 'x' }), shape, { form: ['q', 'status'] });
    expect(r).toEqual({ ok: true, data: { q: 'abc', page: 2 }, values: { q: 'abc', status: '' } });
  });
  it('gives what the shape refuses as form errors, with what was typed', () => {
    const r = parseQuery(req({}, { q: 'abcdef', page: '0' }), shape, { form: ['q'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.values).toEqual({ q: 'abcdef' });
    expect(r.errors.fields.q).toBe('最多 5 个字');
    expect(r.errors.list.map((e) => e.href)).toEqual(['#q', '#page']);
  });
  it('still answers a malformed query string (repeated, bracketed, control characters) with a 400', () => {
    expect(status(() => parseQuery(req({}, { q: ['a', 'b'] }), shape, { form: ['q'] }))).toBe(400);
    expect(status(() => parseQuery(req({}, { 'q[]': 'a' }), shape, { form: ['q'] }))).toBe(400);
    expect(status(() => parseQuery(req({}, { q: 'a\u0000' }), shape, { form: ['q'] }))).toBe(400);
  });
});

describe('page bounds', () => {
  it('public lists stop at 50 pages / 1,000 records, back-office lists at 500 pages', () => {
    expect(maxPage(20, 'public')).toBe(50);
    expect(maxPage(50, 'public')).toBe(20);
    expect(maxPage(30, 'admin')).toBe(500);
    expect(pageQuery(20, 'public').safeParse('50').data).toBe(50);
    expect(pageQuery(20, 'public').safeParse('51').success).toBe(false);
    expect(pageQuery(20, 'public').safeParse(undefined).data).toBe(1);
    expect(pageQuery(30, 'admin').safeParse('501').success).toBe(false);
  });
});
