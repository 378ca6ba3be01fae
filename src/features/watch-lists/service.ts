import { randomUUID } from 'node:crypto';
import { beijingToday } from '../../domain/dates.js';
import type { Logger } from '../../platform/logger.js';
import { JOB, type JobQueue } from '../../platform/queue.js';
import type { ProfileService } from '../subjects/profile.js';
import { MAX_WATCH_CODES, checkCodes, problemMessages, type CodeLine } from './codes.js';
import type { WatchOwner, WatchRepository } from './repository.js';
import { canonicalText, diffViews, publicView, sha256, type PublicView, type RemovalReason } from './snapshot.js';
import { BACKOFF_MS, MAX_ATTEMPTS, newWebhookSecret, postOnce, sign, targetProblem, type Network, type Resolver, type TargetOptions } from './webhook.js';

export type SaveCodesResult = { ok: true; id: number; created: boolean; total: number } | { ok: false; messages: string[] };

export interface ScanResult {
  checked: number;
  baselines: number;
  changed: number;
  notices: number;
}

/** Codes read per page of the scan, and profiles computed at once (the request pool has 6 connections). */
const SCAN_PAGE = 500;
const SCAN_CONCURRENCY = 3;

/**
 * 关注名单 (issue #17): lists of watched subjects, change detection on what the public profile shows, the
 * 「关注动态」 notices and, for API keys, signed webhook deliveries. See docs/watch-lists.md.
 */
export class WatchService {
  /** Scans run one after another in this process (the job, a request's scan, tests); across workers the queue is a singleton. */
  private scans: Promise<unknown> = Promise.resolve();
  private deliveries: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: WatchRepository,
    private readonly profiles: ProfileService,
    private readonly jobs: JobQueue,
    private readonly log: Logger,
    private readonly opts: { allowLoopbackWebhooks?: boolean; resolve?: Resolver; allowedNetworks?: readonly Network[] } = {},
  ) {
    // The tests' receiver listens on 127.0.0.1; a production process must never be able to reach its own machine.
    if (opts.allowLoopbackWebhooks && process.env.NODE_ENV === 'production')
      throw new Error('allowLoopbackWebhooks is for tests only, never with NODE_ENV=production');
  }

  private get targetOptions(): TargetOptions {
    return {
      allowLoopback: this.opts.allowLoopbackWebhooks === true,
      ...(this.opts.resolve ? { resolve: this.opts.resolve } : {}),
      ...(this.opts.allowedNetworks ? { allowedNetworks: this.opts.allowedNetworks } : {}),
    };
  }

  /**
   * Adds codes to a list (created when new) or, with `replace`, makes them the whole list. All or nothing: one bad
   * line and nothing is written, so a list never silently lacks a code its owner thinks is watched.
   */
  async saveCodes(owner: WatchOwner, name: string, lines: CodeLine[], opts: { replace: boolean; createdById: number | null }): Promise<SaveCodesResult> {
    const { codes, problems } = checkCodes(lines);
    if (problems.length) return { ok: false, messages: problemMessages(problems) };
    const existing = await this.repo.listByName(owner, name);
    const kept = existing && !opts.replace ? await this.repo.codes(existing.id) : [];
    const total = new Set([...kept, ...codes]).size;
    if (total > MAX_WATCH_CODES) {
      return {
        ok: false,
        messages: [
          `每个关注名单最多 ${MAX_WATCH_CODES.toLocaleString('en-US')} 个代码，本次保存后将有 ${total.toLocaleString('en-US')} 个：请删减后再提交，或分成多个名单`,
        ],
      };
    }
    const saved = await this.repo.saveList(owner, name, codes, opts);
    // The new codes get their first snapshot (the baseline changes are measured from) without waiting for the schedule.
    await this.requestScan();
    return { ok: true, ...saved, total };
  }

  async requestScan(): Promise<void> {
    await this.jobs.send(JOB.watchScan, {}).catch((e: unknown) => this.log.warn('watch scan not enqueued', { message: (e as Error).message }));
    this.jobs.wake(JOB.watchScan);
  }

  /** The public view of one subject, as its canonical text and hash. */
  async view(uscc: string): Promise<{ view: PublicView; content: string; hash: string }> {
    const view = publicView(uscc, await this.profiles.byUscc(uscc));
    const content = canonicalText(view);
    return { view, content, hash: sha256(content) };
  }

  /**
   * Recomputes the public view of the watched subjects that may have changed since the last scan (or of `usccs`)
   * and compares its hash with the snapshot: a code seen for the first time gets its baseline (no notice), a changed
   * one its notices. Which subjects may have changed comes from the publication feed, the rows' change times, the day
   * and the catalogue (WatchRepository.changedCodes), so a run with nothing new costs a handful of statements
   * whatever the number of codes (docs/performance.md#watch-lists). `full` recomputes every watched code.
   */
  scan(opts: { usccs?: string[]; now?: Date; full?: boolean } = {}): Promise<ScanResult> {
    const run = this.scans.then(() => this.scanNow(opts));
    this.scans = run.catch(() => {});
    return run;
  }

  private async scanNow(opts: { usccs?: string[]; now?: Date; full?: boolean }): Promise<ScanResult> {
    const result: ScanResult = { checked: 0, baselines: 0, changed: 0, notices: 0 };
    const now = opts.now ?? new Date();
    if (opts.usccs) {
      await this.scanCodes(opts.usccs, now, result);
    } else {
      // The marks are taken before the views are read: whatever changes while this scan runs is after them and
      // comes up again in the next scan (where it only costs a recomputation with the same hash).
      const from = await this.repo.scanState();
      const to = { ...(await this.repo.scanMarks()), day: beijingToday(now) };
      const all = opts.full === true || !from || from.catalogueHash !== to.catalogueHash;
      const codes = await this.repo.changedCodes(from ?? to, to, all);
      await this.scanCodes(codes, now, result);
      await this.repo.saveScanState(to, now);
    }
    if (result.changed) this.log.info('关注名单：检测到公示信息变化', { ...result });
    return result;
  }

  private async scanCodes(codes: string[], now: Date, result: ScanResult): Promise<void> {
    for (let i = 0; i < codes.length; i += SCAN_PAGE) await this.scanPage(codes.slice(i, i + SCAN_PAGE), now, result);
  }

  private async scanPage(usccs: string[], now: Date, result: ScanResult): Promise<void> {
    const old = new Map((await this.repo.snapshots(usccs)).map((s) => [s.uscc, s]));
    const views: { uscc: string; view: PublicView; content: string; hash: string }[] = [];
    for (let i = 0; i < usccs.length; i += SCAN_CONCURRENCY) {
      const batch = usccs.slice(i, i + SCAN_CONCURRENCY);
      views.push(...(await Promise.all(batch.map(async (uscc) => ({ uscc, ...(await this.view(uscc)) })))));
    }
    result.checked += views.length;
    const baselines = views.filter((v) => !old.has(v.uscc));
    await this.repo.saveSnapshots(baselines, now);
    result.baselines += baselines.length;
    await this.repo.touchSnapshots(
      views.filter((v) => old.get(v.uscc)?.hash === v.hash).map((v) => v.uscc),
      now,
    );
    for (const v of views) {
      const prev = old.get(v.uscc);
      if (!prev || prev.hash === v.hash) continue;
      const before = JSON.parse(prev.content) as PublicView;
      const lost = before.records.filter((r) => !v.view.records.some((n) => n.kind === r.kind && n.id === r.id));
      const reasons = await this.repo.removalReasons(
        lost.filter((r) => r.kind === 'penalty').map((r) => r.id),
        lost.filter((r) => r.kind === 'permit').map((r) => r.id),
      );
      const changes = diffViews(before, v.view, (r) => reasons.get(`${r.kind}:${r.id}`) ?? ('other' satisfies RemovalReason));
      // A change the view's text carries but no typed change names (e.g. the order of equal facts) still gets a notice.
      if (!changes.length) changes.push({ type: '其他变更', label: '公示内容变更', before: null, after: null });
      const types = [...new Set(changes.map((c) => c.type))];
      const subjectName = v.view.subject?.name ?? before.subject?.name ?? null;
      const notices = await this.repo.recordChange({
        uscc: v.uscc,
        subjectName,
        content: v.content,
        hash: v.hash,
        previousHash: prev.hash,
        types,
        changes: changes.map((c) => ({ ...c })),
        now,
        deliveryBody: (notice) => {
          const id = randomUUID();
          const body = JSON.stringify({
            deliveryId: id,
            event: 'watch.notice',
            watchList: notice.listName,
            notice: { id: notice.id, uscc: v.uscc, subjectName, detectedAt: now.toISOString(), types, changes, evidenceHash: v.hash, previousHash: prev.hash },
          });
          return { id, body };
        },
      });
      result.changed++;
      result.notices += notices;
    }
  }

  // --- webhooks ---

  /** Sets a key's webhook with a new secret, returned once (only the API response that set it shows it). */
  async setWebhook(apiKeyId: number, url: string): Promise<{ ok: true; secret: string } | { ok: false; message: string }> {
    const problem = await targetProblem(url, this.targetOptions);
    if (problem) return { ok: false, message: problem };
    const secret = newWebhookSecret();
    await this.repo.setWebhook(apiKeyId, url, secret);
    return { ok: true, secret };
  }

  /**
   * Sends every delivery that is due: signed with the key's secret; a failure is retried after 1 min, 5 min, 30 min,
   * 2 h and 12 h, then given up. `now` is the clock (tests move it).
   */
  deliverDue(now = new Date(), opts: { limit?: number } = {}): Promise<{ delivered: number; failed: number; gaveUp: number }> {
    const run = this.deliveries.then(() => this.deliverNow(now, opts));
    this.deliveries = run.catch(() => {});
    return run;
  }

  private async deliverNow(now: Date, opts: { limit?: number }): Promise<{ delivered: number; failed: number; gaveUp: number }> {
    const due = await this.repo.dueDeliveries(now, opts.limit ?? 100);
    const out = { delivered: 0, failed: 0, gaveUp: 0 };
    for (const d of due) {
      const secret = d.apiKey.webhook?.secret;
      const attempts = d.attempts + 1;
      const base = { attempts, lastAttemptAt: now };
      if (!secret || d.apiKey.revokedAt) {
        await this.repo.recordAttempt(d.id, {
          ...base,
          status: 'failed',
          nextAttemptAt: null,
          lastStatusCode: null,
          lastError: d.apiKey.revokedAt ? '密钥已吊销，不再推送' : '推送地址已删除',
          responseExcerpt: null,
          deliveredAt: null,
        });
        out.gaveUp++;
        continue;
      }
      const r = await postOnce(
        d.url,
        d.body,
        {
          'x-signature': sign(secret, d.body),
          'x-delivery-id': d.id,
          'x-timestamp': String(Math.floor(now.getTime() / 1000)),
          'user-agent': 'credit-xinxiang-webhook/1',
        },
        this.targetOptions,
      );
      const giveUp = !r.ok && attempts >= MAX_ATTEMPTS;
      await this.repo.recordAttempt(d.id, {
        ...base,
        status: r.ok ? 'delivered' : giveUp ? 'failed' : 'pending',
        nextAttemptAt: r.ok || giveUp ? null : new Date(now.getTime() + BACKOFF_MS[attempts - 1]!),
        lastStatusCode: r.statusCode,
        lastError: r.error,
        responseExcerpt: r.excerpt,
        deliveredAt: r.ok ? now : null,
      });
      if (r.ok) out.delivered++;
      else if (giveUp) out.gaveUp++;
      else out.failed++;
    }
    return out;
  }
}
