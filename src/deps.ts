import path from 'node:path';
import pg from 'pg';
import type passport from 'passport';
import { SESSION_OPTIONS, createPrisma, type Db } from './platform/database/client.js';
import { AuditLog } from './platform/audit.js';
import { createPassport } from './platform/passport.js';
import { createLogger, type Logger, type LogLevel } from './platform/logger.js';
import { UserRepository } from './features/auth/repository.js';
import { AuthService } from './features/auth/service.js';
import { AuditRepository } from './features/audit/repository.js';
import { StatsRepository } from './features/home/repository.js';
import { AdminRepository } from './features/admin/repository.js';
import { SubjectRepository } from './features/subjects/repository.js';
import { ProfileService } from './features/subjects/profile.js';
import { SearchRepository } from './features/search/repository.js';
import { ListService } from './features/lists/service.js';
import { CreditCheckService } from './features/credit-check/service.js';
import { PublicityRepository } from './features/publicity/repository.js';
import { PublicityService } from './features/publicity/service.js';
import { TimelinessRepository } from './features/timeliness/repository.js';
import { ImportService } from './features/imports/service.js';
import { ExportService } from './features/exports/service.js';
import { ReportService } from './features/reports/service.js';
import { ObjectionService } from './features/objections/service.js';
import { RepairService } from './features/repairs/service.js';
import { HolidayService } from './features/holidays/service.js';
import { CommitmentService } from './features/commitments/service.js';
import { AuthorityRepository } from './features/authorities/repository.js';

/** Every service the app uses, built once; createApp receives this object, tests build their own. */
export interface AppDeps {
  db: Db;
  /** node-pg pool for the session store (connect-pg-simple does not speak Prisma) and for COPY-based bulk writes. */
  pool: pg.Pool;
  log: Logger;
  audit: AuditLog;
  auditLog: AuditRepository;
  users: UserRepository;
  auth: AuthService;
  admin: AdminRepository;
  /** Which authorities each department may report in the name of. */
  authorities: AuthorityRepository;
  stats: StatsRepository;
  subjects: SubjectRepository;
  profiles: ProfileService;
  search: SearchRepository;
  lists: ListService;
  /** Attachments live here, outside public/. */
  uploadDir: string;
  creditCheck: CreditCheckService;
  publicity: PublicityService;
  publicityRepo: PublicityRepository;
  timeliness: TimelinessRepository;
  imports: ImportService;
  exports: ExportService;
  reports: ReportService;
  objections: ObjectionService;
  repairs: RepairService;
  holidays: HolidayService;
  commitments: CommitmentService;
  passport: passport.PassportStatic;
  close(): Promise<void>;
}

export function buildDeps(databaseUrl: string, opts: { logLevel?: LogLevel; log?: Logger; poolMax?: number; uploadDir?: string } = {}): AppDeps {
  const db = createPrisma(databaseUrl, { max: opts.poolMax ?? 10 });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 6, options: SESSION_OPTIONS });
  const log = opts.log ?? createLogger(opts.logLevel ?? 'info');
  // A dropped idle connection must not crash the process; the next query reconnects.
  pool.on('error', (err) => log.warn('session pool error', { message: err.message }));
  const audit = new AuditLog(db);
  const users = new UserRepository(db);
  const auth = new AuthService(users, audit);
  const authorities = new AuthorityRepository(db);
  const publicity = new PublicityService(db, pool, audit, authorities);
  const search = new SearchRepository(db, pool);
  // A rare name fragment is looked up among the record names; past 1,000 names it is common enough to walk for.
  const publicityRepo = new PublicityRepository(
    db,
    (q) => search.recordNames(q, 5000),
    (kind, match, today, cap) => search.publicRecordCount(kind, match, today, cap),
  );
  const subjects = new SubjectRepository(db);
  const profiles = new ProfileService(pool);
  const uploadDir = path.resolve(opts.uploadDir ?? 'data/uploads');
  const commitments = new CommitmentService(db, pool);
  return {
    db,
    pool,
    log,
    audit,
    auditLog: new AuditRepository(db),
    users,
    auth,
    admin: new AdminRepository(db),
    authorities,
    stats: new StatsRepository(db),
    subjects,
    search,
    lists: new ListService(db, audit),
    uploadDir,
    creditCheck: new CreditCheckService(db),
    profiles,
    reports: new ReportService(db, profiles),
    publicity,
    publicityRepo,
    exports: new ExportService(db),
    commitments,
    imports: new ImportService(db, pool, { publicity, commitments }, audit, log, () => publicityRepo.forgetCounts()),
    timeliness: new TimelinessRepository(db),
    objections: new ObjectionService(db, audit, () => publicity.calendar, publicityRepo, uploadDir),
    holidays: new HolidayService(db, pool, audit, publicity),
    repairs: new RepairService(db, pool, audit, () => publicity.calendar, publicityRepo, commitments, uploadDir),
    passport: createPassport(auth),
    async close() {
      await Promise.allSettled([db.$disconnect(), pool.end()]);
    },
  };
}
