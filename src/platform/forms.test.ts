import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MULTILINE_FIELDS, parseForm } from './forms.js';

const schema = z.object({ name: z.string().min(1, '请填写名称'), reason: z.string().optional() });

describe('parseForm refuses control characters per field', () => {
  it('refuses NUL and other control characters in a one-line field, naming the field', () => {
    const r = parseForm(schema, { name: 'a\u0000b', reason: 'ok' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.errors.fields)).toEqual(['name']);
      expect(r.errors.fields.name).toContain('控制字符');
      expect(r.errors.list[0]!.href).toBe('#name');
    }
    expect(parseForm(schema, { name: 'a\tb' }).ok).toBe(false);
    expect(parseForm(schema, { name: 'a\u001bb' }).ok).toBe(false);
    expect(parseForm(schema, { name: 'a\u007fb' }).ok).toBe(false);
  });

  it('lets a textarea keep tabs and line breaks, but not NUL', () => {
    expect(parseForm(schema, { name: '名称', reason: '第一行\r\n\t第二行' }).ok).toBe(true);
    expect(parseForm(schema, { name: '名称', reason: '第一行\u0000' }).ok).toBe(false);
  });

  it('refuses lone surrogates and accepts astral characters', () => {
    expect(parseForm(schema, { name: '\ud800' }).ok).toBe(false);
    expect(parseForm(schema, { name: '𠀀' }).ok).toBe(true);
  });

  it('every textarea in views/ is a multiline field', () => {
    const names = new Set<string>();
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.njk')) {
          const text = readFileSync(p, 'utf8');
          for (const m of text.matchAll(/textareaField\('([A-Za-z]+)'/g)) names.add(m[1]!);
          for (const m of text.matchAll(/<textarea[^>]*name="([A-Za-z]+)"/g)) names.add(m[1]!);
        }
      }
    };
    walk(path.resolve(import.meta.dirname, '../../views'));
    expect(names.size).toBeGreaterThan(5);
    expect([...names].filter((n) => !MULTILINE_FIELDS.has(n))).toEqual([]);
  });
});
