import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { buildDeps, type AppDeps } from '../../src/deps.js';
import { startWorker, type RunningWorker } from '../../src/jobs.js';
import { hashPassword } from '../../src/platform/passwords.js';
import type { Role } from '../../src/generated/prisma/enums.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { AGENCY_USCC, OTHER_AGENCY, OTHER_AGENCY_USCC, rawRecord } from './records.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';

export interface TestApp {
  app: Express;
  deps: AppDeps;
  database: TestDatabase;
  /** The background worker every test app runs (imports and large exports are jobs). */
  worker: RunningWorker;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'Test12345678';

export async function createTestApp(
  opts: {
    loginLimit?: { windowMs: number; limit: number };
    personLimit?: { windowMs: number; limit: number };
    statementTimeoutMs?: number;
    /** webhooks may target a server the test runs on this machine */
    allowLoopbackWebhooks?: boolean;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const uploadDir = path.join(os.tmpdir(), `xx-uploads-${database.name}`);
  const deps = buildDeps(database.url, {
    logLevel: 'silent',
    poolMax: 4,
    uploadDir,
    ...(opts.statementTimeoutMs ? { statementTimeoutMs: opts.statementTimeoutMs } : {}),
    ...(opts.allowLoopbackWebhooks ? { allowLoopbackWebhooks: true } : {}),
  });
  // Web and worker in one process, as `npm start` runs them; no cron schedules (tests call the sweeps themselves).
  await deps.jobs.start({ worker: true, schedules: false });
  const worker = await startWorker(deps, { pollingIntervalSeconds: 0.5 });
  const app = createApp(deps, {
    env: 'test',
    sessionSecret: 'test-secret-test-secret-test-secret-0123',
    loginLimit: opts.loginLimit ?? { windowMs: 60_000, limit: 1000 },
    personLimit: opts.personLimit ?? { windowMs: 60_000, limit: 1000 },
  });
  return {
    app,
    deps,
    database,
    worker,
    async close() {
      await worker.stop();
      await deps.close();
      await database.drop();
      await rm(uploadDir, { recursive: true, force: true });
    },
  };
}

let hashed: Promise<string> | undefined;

/** Lets a department report in the name of an authority (both kinds unless told otherwise). */
export async function grantAuthority(
  deps: AppDeps,
  departmentId: number,
  a: { name: string; uscc: string; permits?: boolean; penalties?: boolean },
): Promise<void> {
  const data = { name: a.name, permits: a.permits ?? true, penalties: a.penalties ?? true, active: true };
  await deps.db.departmentAuthority.upsert({
    where: { departmentId_uscc: { departmentId, uscc: a.uscc } },
    update: data,
    create: { departmentId, uscc: a.uscc, ...data },
  });
}

/**
 * Creates two departments (市场监管局, 生态环境局), each reporting in its own name with the code rawRecord and
 * OTHER_AGENCY_USCC use, and one user of each role in the first (admin and reviewer need no department, but get one).
 */
export async function seedUsers(
  deps: AppDeps,
): Promise<{ departmentId: number; otherDepartmentId: number; users: Record<Role, { id: number; username: string }> }> {
  hashed ??= hashPassword(TEST_PASSWORD);
  const passwordHash = await hashed;
  // Upserts, so the demo seed's departments (if loaded first) are reused.
  const dept = await deps.db.department.upsert({
    where: { name: '新乡市市场监督管理局' },
    update: {},
    create: { name: '新乡市市场监督管理局', shortName: '市市场监管局', level: 'city', uscc: AGENCY_USCC },
  });
  const other = await deps.db.department.upsert({
    where: { name: OTHER_AGENCY },
    update: {},
    create: { name: OTHER_AGENCY, shortName: '市生态环境局', level: 'city', uscc: OTHER_AGENCY_USCC },
  });
  await grantAuthority(deps, dept.id, { name: dept.name, uscc: AGENCY_USCC });
  await grantAuthority(deps, other.id, { name: other.name, uscc: OTHER_AGENCY_USCC });
  const users = {} as Record<Role, { id: number; username: string }>;
  for (const role of ['clerk', 'reviewer', 'admin'] as const) {
    users[role] = await deps.db.user.create({
      data: { username: `t-${role}`, displayName: `测试${role}`, role, departmentId: dept.id, passwordHash },
      select: { id: true, username: true },
    });
  }
  return { departmentId: dept.id, otherDepartmentId: other.id, users };
}

/** Reads the CSRF token out of a rendered form. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field in page');
  return m[1]!;
}

/**
 * Looks a person up as the form does: GET the form for its CSRF token, then POST name, number and type (the
 * number never goes into a URL).
 */
export async function lookUpPerson(app: Express, fields: { name: string; id: string; type?: string }) {
  const agent = request.agent(app);
  const form = await agent.get('/search/person');
  return agent
    .post('/search/person')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...fields });
}

/** Submits the sign-in form from a new agent; the response says how it went. */
export async function signInAttempt(app: Express, username: string, password: string) {
  const agent = request.agent(app);
  const page = await agent.get('/admin/login');
  const res = await agent
    .post('/admin/login')
    .type('form')
    .send({ username, password, _csrf: csrfFrom(page.text) });
  return { agent, res };
}

/** A supertest agent signed in as the given user. */
export async function signIn(app: Express, username: string, password = TEST_PASSWORD) {
  const { agent, res } = await signInAttempt(app, username, password);
  if (res.status !== 303) throw new Error(`sign-in as ${username} failed: ${res.status}`);
  return agent;
}

/** Reads a binary response (PDF, XLSX) into a Buffer in `res.body`. */
export function binary(req: request.Test): request.Test {
  return req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}

/** The signed-in clerk of seedUsers() as a service call expects it (Express.User), for tests that call services directly. */
export function sessionUser(seeded: Awaited<ReturnType<typeof seedUsers>>): Express.User {
  return { id: seeded.users.clerk.id, username: 't-clerk', displayName: 'c', role: 'clerk', departmentId: seeded.departmentId, departmentName: null };
}

/**
 * What a walk over the router's routes fills `:id` parameters with (authorisation and hostile-input tests): a user no
 * test signs in as (so disabling it harms nothing), and one permit and one penalty reported by the clerk.
 */
export async function seedRouteTargets(deps: AppDeps, seeded: Awaited<ReturnType<typeof seedUsers>>) {
  const victimId = (
    await deps.db.user.create({ data: { username: 'victim', displayName: '目标用户', role: 'clerk', departmentId: seeded.departmentId, passwordHash: 'x' } })
  ).id;
  const clerkUser = sessionUser(seeded);
  const records: Record<'permits' | 'penalties', number> = { permits: 0, penalties: 0 };
  for (const kind of ['permit', 'penalty'] as const) {
    const saved = await deps.publicity.saveOne(kind, recordSchema(kind).parse(rawRecord(kind)), clerkUser, null);
    if (!saved.ok) throw new Error('could not create a test record');
    records[kind === 'permit' ? 'permits' : 'penalties'] = saved.id;
  }
  return { victimId, clerkUser, records };
}
