import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS } from '../../platform/access.js';
import { VIEWS_DIR } from '../../platform/views.js';
import { CASE_NO_RE, newCaseNo } from './case.js';
import { todoSpecs } from './kind.js';
import { objectionKind } from './objection/definition.js';
import { repairKind } from './repair/definition.js';
import { archiveKind } from './archive/definition.js';

// The definitions are data the shared workflow trusts: a step from a closed status, a route without an ACCESS
// entry or a partial that does not exist would only show up as a broken page. Checked here for every kind.
const KINDS = [objectionKind, repairKind, archiveKind];
const ACTOR_ROLE = { office: 'reviewer', department: 'clerk' } as const;

describe.each(KINDS.map((k) => [k.key, k] as const))('case kind %s', (_key, kind) => {
  it('takes every step from a status still being handled, and labels every status', () => {
    const statuses = Object.keys(kind.statuses);
    for (const step of kind.steps) {
      expect(kind.open).toContain(step.from);
      expect(statuses).toContain(step.from);
    }
    for (const actor of ['office', 'department'] as const) for (const t of todoSpecs(kind.todo[actor])) expect(kind.open).toContain(t.status);
  });

  it('gives every open status a deadline in working days, and only open ones', () => {
    const deadlines = new Map<string, number | undefined>(Object.entries(kind.deadlines));
    for (const s of kind.open) expect(deadlines.get(s)).toBeGreaterThan(0);
    for (const s of deadlines.keys()) expect(kind.open).toContain(s);
  });

  it('has each back-office route in ACCESS, a step only for the role that takes it', () => {
    for (const path of [kind.adminPath, `${kind.adminPath}/:id`, `${kind.adminPath}/:id/attachments/:attachmentId`])
      expect(ACCESS[`GET ${path}`]).toBeDefined();
    for (const step of kind.steps) expect(ACCESS[`POST ${kind.adminPath}/:id/${step.name}`]).toEqual([ACTOR_ROLE[step.actor]]);
  });

  it('names partials that exist', () => {
    const partials = [
      ...Object.values(kind.views),
      kind.filing.view.record,
      kind.filing.view.fields,
      kind.filing.view.after,
      ...kind.steps.map((s) => s.form.intro),
    ];
    for (const p of partials.filter((x): x is string => !!x)) expect(existsSync(path.join(VIEWS_DIR, p)), p).toBe(true);
  });

  it('hands out case numbers its status page accepts', () => {
    const no = newCaseNo(kind.prefix, '2026-12-03');
    expect(no).toMatch(CASE_NO_RE);
    expect(no.startsWith(kind.prefix)).toBe(true);
  });
});

describe('case kinds', () => {
  it('do not share a prefix, a status page or a back-office path', () => {
    for (const field of ['prefix', 'statusPath', 'adminPath', 'key'] as const) expect(new Set(KINDS.map((k) => k[field])).size).toBe(KINDS.length);
  });
});
