import path from 'node:path';
import pg from 'pg';
import type passport from 'passport';
import { SESSION_OPTIONS, createPrisma, type Db } from './platform/database/client.js';
import { createPool } from './platform/database/pool.js';
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
import { TierRuleRepository } from './features/publicity/tier-rules.js';
import { TimelinessRepository } from './features/timeliness/repository.js';
import { ImportService } from './features/imports/service.js';
import { ExportService } from './features/exports/service.js';
import { ReportService } from './features/reports/service.js';
import { ObjectionService } from './features/objections/service.js';
import { RepairService } from './features/repairs/service.js';
import { HolidayService } from './features/holidays/service.js';
import { CommitmentService } from './features/commitments/service.js';
import { AuthorityRepository } from './features/authorities/repository.js';
import { ArticleRepository } from './features/articles/repository.js';
import { MeasureRepository } from './features/measures/repository.js';
import { ApiRepository } from './features/api/repository.js';
import { StatisticsRepository } from './features/statistics/repository.js';
import { ListRepository } from './features/lists/repository.js';
import { CommitmentRepository } from './features/commitments/repository.js';
import { ImportRepository } from './features/imports/repository.js';
import { CreditCheckRepository } from './features/credit-check/repository.js';
import { RepairRepository } from './features/repairs/repository.js';
import { ExportRepository } from './features/exports/repository.js';
import { CaseTodoRepository } from './features/cases/todo.js';
import { JobQueue } from './platform/queue.js';
import { exportDir } from './platform/uploads.js';

/** Every service the app uses, built once; createApp receives this object, tests build their own. */
export interface AppDeps {
  db: Db;
  /** node-pg pool for the session store (connect-pg-simple does not speak Prisma) and raw reads; under the statement timeout like db. */
  pool: pg.Pool;
  /** Prisma and node-pg without a statement timeout: imports, bulk (COPY) writers, back-office exports and batch checks. */
  bulkDb: Db;
  bulkPool: pg.Pool;
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
  /** the credit office's severity-tier rules */
  tierRules: TierRuleRepository;
  timeliness: TimelinessRepository;
  imports: ImportService;
  exports: ExportService;
  reports: ReportService;
  objections: ObjectionService;
  repairs: RepairService;
  holidays: HolidayService;
  commitments: CommitmentService;
  // Repositories of the routes' own reads and writes: only repositories touch the database.
  /** 政策法规 / 信用动态 / 通知公告 and their attachments. */
  articles: ArticleRepository;
  /** 联合奖惩 measures and their tasks. */
  measures: MeasureRepository;
  /** API keys and the API's reads. */
  api: ApiRepository;
  /** Figures for the statistics page (credit-check runs, cases filed). */
  statistics: StatisticsRepository;
  /** What waits for the signed-in user on objections and repairs (dashboard). */
  caseTodo: CaseTodoRepository;
  listRepo: ListRepository;
  commitmentRepo: CommitmentRepository;
  importRepo: ImportRepository;
  creditCheckRepo: CreditCheckRepository;
  repairRepo: RepairRepository;
  exportRepo: ExportRepository;
  passport: passport.PassportStatic;
  /** The background-job queue (pg-boss); started by server.ts / worker.ts according to ROLES. */
  jobs: JobQueue;
  close(): Promise<void>;
}

/** Default of STATEMENT_TIMEOUT_MS. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 3000;

export function buildDeps(
  databaseUrl: string,
  opts: {
    logLevel?: LogLevel;
    log?: Logger;
    poolMax?: number;
    uploadDir?: string;
    /** for the request-serving pools; default 3000 */ statementTimeoutMs?: number;
  } = {},
): AppDeps {
  const log = opts.log ?? createLogger(opts.logLevel ?? 'info');
  // What requests read and write runs under statement_timeout, so no typed query can hold a connection for long;
  // the bulk pools (imports, COPY writers, exports, jobs) have none. A lost connection (idle or checked out) must not
  // crash the process on any of them; the next query reconnects.
  const statementTimeout = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const db = createPrisma(databaseUrl, { max: opts.poolMax ?? 10, statementTimeoutMs: statementTimeout, log });
  const pool = createPool({ connectionString: databaseUrl, max: 6, options: SESSION_OPTIONS, statement_timeout: statementTimeout }, log, 'pg pool');
  const bulkDb = createPrisma(databaseUrl, { max: 3, log });
  const bulkPool = createPool({ connectionString: databaseUrl, max: 3, options: SESSION_OPTIONS }, log, 'bulk pool');
  const audit = new AuditLog(db);
  const users = new UserRepository(db);
  const auth = new AuthService(users, audit);
  const authorities = new AuthorityRepository(db);
  const publicity = new PublicityService(bulkDb, bulkPool, audit, authorities);
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
  const commitments = new CommitmentService(bulkDb, bulkPool);
  const jobs = new JobQueue(databaseUrl, log);
  return {
    db,
    pool,
    bulkDb,
    bulkPool,
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
    creditCheck: new CreditCheckService(bulkDb),
    profiles,
    reports: new ReportService(db, profiles),
    publicity,
    publicityRepo,
    tierRules: new TierRuleRepository(db),
    exports: new ExportService(bulkDb, bulkPool, jobs, exportDir(uploadDir)),
    commitments,
    imports: new ImportService(bulkDb, bulkPool, jobs, { publicity, commitments }, audit, log, () => publicityRepo.forgetCounts()),
    timeliness: new TimelinessRepository(db),
    objections: new ObjectionService(db, audit, () => publicity.calendar, publicityRepo, uploadDir),
    holidays: new HolidayService(bulkDb, bulkPool, audit, publicity),
    repairs: new RepairService(bulkDb, bulkPool, audit, () => publicity.calendar, publicityRepo, commitments, uploadDir),
    // Repositories of the routes' own reads and writes: only repositories touch the database.
    articles: new ArticleRepository(db),
    measures: new MeasureRepository(db),
    api: new ApiRepository(db),
    statistics: new StatisticsRepository(db),
    caseTodo: new CaseTodoRepository(db),
    listRepo: new ListRepository(db),
    commitmentRepo: new CommitmentRepository(db),
    importRepo: new ImportRepository(db),
    creditCheckRepo: new CreditCheckRepository(db),
    repairRepo: new RepairRepository(db),
    exportRepo: new ExportRepository(db),
    passport: createPassport(auth),
    jobs,
    async close() {
      // Jobs first: a running job still needs the pools to finish or to record its failure.
      await jobs.stop();
      await Promise.allSettled([db.$disconnect(), pool.end(), bulkDb.$disconnect(), bulkPool.end()]);
    },
  };
}
