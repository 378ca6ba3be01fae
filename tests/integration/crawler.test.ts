import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateIdNumber } from '../../src/domain/identifiers.js';
import { DEMO_NATURAL_PERSONS } from '../../src/seed/demo-subjects.js';
import { seedDemo } from '../../src/seed/subjects.js';
import { seedDemoRecords } from '../../src/seed/records.js';
import { seedDemoLists } from '../../src/seed/lists.js';
import { createTestApp, lookUpPerson, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.deps.db, { legalPersons: 300, naturalPersons: 60 });
  await seedDemoRecords(t.deps.db, t.deps.pool, { permits: 150, penalties: 300 });
  // The 红黑榜 pages too: entries naming responsible persons, a red-list entry in its 公示期.
  expect(await seedDemoLists(t.deps.db)).toBe(1);
});
afterAll(async () => t.close());

/** Anything shaped like a full resident ID number (18 chars or the old 15 digits) that is also a valid one. */
function fullIdNumbers(html: string): string[] {
  const found = html.match(/(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g) ?? [];
  return found.filter((s) => validateIdNumber(s).ok);
}

describe('privacy crawler', () => {
  it('walks every public page reachable from the home page and finds no full ID number', async () => {
    const seen = new Set<string>();
    const queue = ['/', '/publicity/penalties?category=自然人'];
    const leaks: string[] = [];
    let masked = 0;
    let pages = 0;
    while (queue.length && pages < 600) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await request(t.app).get(path);
      pages++;
      if (!String(res.headers['content-type'] ?? '').includes('text/html')) continue;
      for (const id of fullIdNumbers(res.text)) leaks.push(`${path}: ${id}`);
      if (/\d{6}\*{8}\d{3}[\dX]/.test(res.text)) masked++;
      for (const m of res.text.matchAll(/href="(\/[^"#]*)"/g)) {
        const href = m[1]!.replace(/&amp;/g, '&');
        if (href.startsWith('/admin') || href.startsWith('/css/') || href.startsWith('/js/') || href.endsWith('.pdf')) continue;
        if (!seen.has(href)) queue.push(href);
      }
    }
    expect(pages).toBeGreaterThan(50);
    // The crawl reached pages about natural persons (they show masked numbers), so the check means something.
    expect(masked).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  }, 120_000);

  it('the person lookup shows the masked number only', async () => {
    const p = DEMO_NATURAL_PERSONS[0]!;
    const res = await lookUpPerson(t.app, { name: p.name, id: p.docNumber });
    expect(fullIdNumbers(res.text)).toEqual([]);
  });
});
