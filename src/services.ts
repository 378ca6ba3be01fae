import type pg from 'pg';
import type passport from 'passport';
import type { Db } from './platform/database/client.js';
import { AuditLog } from './platform/audit.js';
import { createPassport } from './platform/passport.js';
import type { Logger } from './platform/logger.js';
import { JobQueue } from './platform/queue.js';
import { exportDir } from './platform/uploads.js';
import { pgRateLimitStores, type RateLimitStores } from './platform/rate-limit.js';
import { UserRepository } from './features/auth/repository.js';
import { AuthService } from './features/auth/service.js';
import { AuditRepository } from './features/audit/repository.js';
import { StatsRepository } from './features/home/repository.js';
import { AdminRepository } from './features/admin/repository.js';
import { SubjectRepository } from './features/subjects/repository.js';
import { ProfileRepository } from './features/subjects/profile-repository.js';
import { ProfileService } from './features/subjects/profile.js';
import { SearchRepository } from './features/search/repository.js';
import { ListService } from './features/lists/service.js';
import { ListRepository } from './features/lists/repository.js';
import { CreditCheckService } from './features/credit-check/service.js';
import { CreditCheckRepository } from './features/credit-check/repository.js';
import { currentCheckReportContent } from './features/credit-check/pdf.js';
import { priorNoticeContent } from './features/lists/prior-notice.js';
import { NAME_FIRST_MAX_NAMES, PublicityRepository } from './features/publicity/repository.js';
import { RecordRepository } from './features/publicity/record-repository.js';
import { RecordWriter } from './features/publicity/writer.js';
import { PublicityService } from './features/publicity/service.js';
import { TimelinessRepository } from './features/timeliness/repository.js';
import { ImportService } from './features/imports/service.js';
import { ImportRepository } from './features/imports/repository.js';
import { ExportService } from './features/exports/service.js';
import { ExportRepository } from './features/exports/repository.js';
import { ReportService } from './features/reports/service.js';
import { ReportRepository } from './features/reports/repository.js';
import { SigningKeyRepository } from './features/reports/key-repository.js';
import { ReportKeys } from './features/reports/keys.js';
import { CaseService } from './features/cases/service.js';
import { TierRuleRepository } from './features/publicity/tier-rule-repository.js';
import { CaseRepository } from './features/cases/repository.js';
import { HolidayService } from './features/holidays/service.js';
import { HolidayRepository } from './features/holidays/repository.js';
import { CommitmentService } from './features/commitments/service.js';
import { CommitmentRepository } from './features/commitments/repository.js';
import { CommitmentWriter } from './features/commitments/writer.js';
import { AuthorityRepository } from './features/authorities/repository.js';
import { ArticleRepository } from './features/articles/repository.js';
import { MeasureRepository } from './features/measures/repository.js';
import { ApiRepository } from './features/api/repository.js';
import { StatisticsRepository } from './features/statistics/repository.js';
import { PublicStatisticsService } from './features/statistics/service.js';
import { DisclosureRepository } from './features/disclosure/repository.js';
import { DisclosureService } from './features/disclosure/service.js';
import { AccessLogRepository } from './features/access-log/repository.js';
import { AccessLogService } from './features/access-log/service.js';
import { CountyRepository } from './features/counties/repository.js';
import { FeedbackRepository } from './features/site/repository.js';
import { CatalogueRepository } from './features/catalogue/repository.js';
import { CatalogueService } from './features/catalogue/service.js';
import { OpenDataRepository } from './features/open-data/repository.js';
import { OpenDataService, openDataDir } from './features/open-data/service.js';
import { PublicationRepository } from './features/publication/repository.js';
import { PublicationService } from './features/publication/service.js';
import { WatchRepository } from './features/watch-lists/repository.js';
import type { Network } from './features/watch-lists/webhook.js';
import { WatchService } from './features/watch-lists/service.js';

/**
 * The connections the composition root owns: only it, the repositories and the bulk writers see them. Features
 * receive Services, which has none of them (the lint rules in eslint.config.js and .dependency-cruiser.cjs keep it so).
 */
export interface Infrastructure {
  /** Prisma under the request statement timeout. */
  db: Db;
  /** node-pg pool under the same timeout: the session store (connect-pg-simple does not speak Prisma) and raw reads. */
  pool: pg.Pool;
  /** Prisma and node-pg without a statement timeout: imports, bulk (COPY) writers, back-office exports and batch checks. */
  bulkDb: Db;
  bulkPool: pg.Pool;
  /**
   * The public pages' reads: db, pool and bulkDb themselves without DATABASE_REPLICA_URL; with it, clients that send
   * an anonymous GET page's statements to a healthy streaming replica and everything else to the primary
   * (src/platform/database/replicas.ts). Only repositories whose reads a public page may serve slightly stale use them.
   */
  readDb: Db;
  readPool: pg.Pool;
  readBulkDb: Db;
  log: Logger;
  /** Attachments, imports waiting for their job and large exports live here, outside public/. */
  uploadDir: string;
  /** The background-job queue (pg-boss); started by server.ts / worker.ts according to ROLES. */
  jobs: JobQueue;
  /** Webhooks may target this machine (tests and local development only; see docs/watch-lists.md). */
  allowLoopbackWebhooks?: boolean;
  /** WEBHOOK_ALLOWED_NETWORKS: private blocks webhook receivers may sit in (docs/watch-lists.md). */
  webhookAllowedNetworks?: readonly Network[];
  /** REPORT_KEY_SECRET (docs/report-signing.md); unset: private keys are stored unencrypted (development only) */
  reportKeySecret?: string;
}

/** Every repository and service the features use, built once by createServices; createApp receives them. */
export interface Services {
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
  /** Every kind of case (异议, 信用修复): one workflow, see src/features/cases. */
  cases: CaseService;
  /** the credit office's severity-tier rules */
  tierRules: TierRuleRepository;
  holidays: HolidayService;
  commitments: CommitmentService;
  /** 条例 Art. 19/20: a penalty's 失信 state, its challenges, the archive state. */
  disclosure: DisclosureService;
  /** 条例 Art. 40: who used and queried each subject's information, counted per day. */
  accessLog: AccessLogService;
  /** 条例 Art. 11: the public credit information catalogue; its 共享属性 decide what public surfaces show. */
  catalogue: CatalogueService;
  /** The daily open-data files (issue #17). */
  openData: OpenDataService;
  /** Issue #17: the publication history, the public changes feed and "what was public on day D". */
  publication: PublicationService;
  // Repositories of the routes' own reads and writes: only repositories touch the database.
  /** 政策法规 / 信用动态 / 通知公告 and their attachments. */
  articles: ArticleRepository;
  /** 联合奖惩 measures and their tasks. */
  measures: MeasureRepository;
  /** API keys and the API's reads. */
  api: ApiRepository;
  /** Figures for the statistics page (credit-check runs, cases filed). */
  statistics: StatisticsRepository;
  /** The public 信用统计 page and the home page's panel (computed at most every ten minutes). */
  publicStatistics: PublicStatisticsService;
  /** The 县市区 pages' reads. */
  counties: CountyRepository;
  /** 「我为政府网站找错」 submissions and their answers. */
  feedback: FeedbackRepository;
  listRepo: ListRepository;
  commitmentRepo: CommitmentRepository;
  importRepo: ImportRepository;
  creditCheckRepo: CreditCheckRepository;
  exportRepo: ExportRepository;
  passport: passport.PassportStatic;
  /** The background-job queue: routes enqueue and wake jobs through the services; jobs.ts runs them. */
  jobs: JobQueue;
  /** 关注名单: watch lists, change detection, 「关注动态」 notices and webhooks (issue #17). */
  watch: WatchService;
  watchRepo: WatchRepository;
  /** Rate-limit counters in PostgreSQL, shared by every app instance. */
  rateLimits: RateLimitStores;
}

/**
 * The composition root of the features (after hmpps-template-typescript's createApp(services)): every repository is
 * built here on the pool its work needs, every service receives repositories and services, never a pool.
 */
export function createServices(infra: Infrastructure): Services {
  const { db, pool, bulkDb, bulkPool, readDb, readPool, readBulkDb, log, uploadDir, jobs } = infra;
  const audit = new AuditLog(db);
  const users = new UserRepository(db);
  const auth = new AuthService(users, audit);
  const authorities = new AuthorityRepository(db);
  // Form saves and imports share the write context; both run on the pools without a statement timeout.
  const publicity = new PublicityService(new RecordRepository(bulkDb), new RecordWriter(bulkPool), audit, authorities);
  const search = new SearchRepository(readDb, readPool);
  // A name fragment held by few record names is listed by name first; past NAME_FIRST_MAX_NAMES the list walks by date.
  const publicityRepo = new PublicityRepository(
    readDb,
    (q) => search.recordNames(q, NAME_FIRST_MAX_NAMES),
    (kind, match, today, cap) => search.publicRecordCount(kind, match, today, cap),
  );
  const catalogue = new CatalogueService(new CatalogueRepository(db), audit);
  const profiles = new ProfileService(new ProfileRepository(readPool), () => catalogue.publicFields());
  const accessLog = new AccessLogService(new AccessLogRepository(pool), log);
  const commitments = new CommitmentService(new CommitmentRepository(bulkDb), new CommitmentWriter(bulkPool));
  const publication = new PublicationService(new PublicationRepository(db));
  // A batch check of up to 5,000 codes is back-office work: no statement timeout, for today's reads and the history's.
  const bulkPublication = new PublicationService(new PublicationRepository(bulkDb));
  const creditCheck = new CreditCheckService(new CreditCheckRepository(bulkDb), bulkPublication);
  const creditCheckRepo = new CreditCheckRepository(db);
  const lists = new ListService(new ListRepository(db), audit);
  const reports = new ReportService(
    new ReportRepository(db),
    profiles,
    accessLog,
    new ReportKeys(new SigningKeyRepository(db), { secret: infra.reportKeySecret }),
  );
  // A signed 信用核查报告 or 事前告知书 is superseded when what it would state today differs (docs/report-signing.md).
  reports.documentSources = {
    'credit-check': (runId) => currentCheckReportContent(creditCheckRepo, creditCheck, runId),
    'prior-notice': async (nominationId) => {
      const notice = await lists.priorNotice(nominationId);
      return notice ? priorNoticeContent(notice) : null;
    },
  };
  // The scan is background work over up to every watched code: the pool without a statement limit for its writes.
  const watchRepo = new WatchRepository(bulkDb);
  return {
    log,
    audit,
    auditLog: new AuditRepository(db),
    users,
    auth,
    admin: new AdminRepository(db),
    authorities,
    stats: new StatsRepository(readDb),
    subjects: new SubjectRepository(db),
    search,
    lists,
    uploadDir,
    creditCheck,
    publication,
    profiles,
    reports,
    accessLog,
    catalogue,
    // Reads every public record once a day: the pool without a statement limit. The manifest's feed cursor comes from
    // the publication history (FeedCursorSource).
    openData: new OpenDataService(new OpenDataRepository(bulkDb), () => catalogue.publicFields(), openDataDir(uploadDir), bulkPublication),
    publicity,
    publicityRepo,
    exports: new ExportService(new ExportRepository(bulkDb, bulkPool), jobs, exportDir(uploadDir)),
    commitments,
    disclosure: new DisclosureService(new DisclosureRepository(db), audit),
    imports: new ImportService(bulkDb, bulkPool, jobs, { publicity, commitments }, audit, log, () => publicityRepo.forgetCounts()),
    timeliness: new TimelinessRepository(db),
    tierRules: new TierRuleRepository(db),
    // The approval of a repair writes a commitment in one transaction: the pool without a statement limit.
    cases: new CaseService(
      new CaseRepository(db, bulkPool),
      audit,
      () => publicity.calendar,
      {
        commitmentContext: (departmentId, userId) => commitments.writeContext(departmentId, userId, null),
        publicityChanged: () => publicityRepo.forgetCounts(),
      },
      uploadDir,
    ),
    holidays: new HolidayService(new HolidayRepository(bulkDb, bulkPool), audit, publicity),
    articles: new ArticleRepository(db),
    measures: new MeasureRepository(db),
    api: new ApiRepository(db),
    statistics: new StatisticsRepository(db),
    // Aggregates over every record, computed once per ten minutes for everyone: the pool without a statement limit.
    publicStatistics: new PublicStatisticsService(new StatisticsRepository(readBulkDb), new TimelinessRepository(readBulkDb)),
    counties: new CountyRepository(readDb),
    feedback: new FeedbackRepository(db),
    listRepo: new ListRepository(readDb),
    commitmentRepo: new CommitmentRepository(readDb),
    importRepo: new ImportRepository(db),
    creditCheckRepo,
    exportRepo: new ExportRepository(db),
    passport: createPassport(auth),
    jobs,
    watch: new WatchService(watchRepo, profiles, jobs, log, {
      allowLoopbackWebhooks: infra.allowLoopbackWebhooks === true,
      ...(infra.webhookAllowedNetworks ? { allowedNetworks: infra.webhookAllowedNetworks } : {}),
    }),
    watchRepo,
    rateLimits: pgRateLimitStores(pool, log),
  };
}
