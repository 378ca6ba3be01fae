import type { CreditCheckRepository } from './repository.js';
import type { CheckResult, CheckRow } from './types.js';
import { validateUscc } from '../../domain/identifiers.js';
import { beijingToday, isoDay } from '../../domain/dates.js';
import { formatAmount } from '../publicity/view-model.js';
import type { PublicationService } from '../publication/service.js';

export const MAX_CODES = 5000;

export type { CheckResult, CheckRow } from './types.js';

/** Splits pasted text into codes: one per line, or separated by commas, semicolons or spaces. */
export function splitCodes(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,，;；、]+/)
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ];
}

/** What the check needs of an entry or a penalty, read today or from the history. */
interface EntryRead {
  legalPersonId: number | null;
  listType: 'red' | 'black';
  basisDocNo: string;
  basisAuthority: string;
  validUntil: Date;
  objections: unknown[];
}
interface PenaltyRead {
  legalPersonId: number | null;
  documentNo: string;
  decisionDate: Date;
  authority: string;
  penaltyCategories: string[];
  fineAmount: unknown;
  publicUntil: Date;
  objections: unknown[];
}

/** 信用核查 for procurement and bidding: a fixed number of queries for up to 5,000 subjects. */
export class CreditCheckService {
  constructor(
    private readonly repo: CreditCheckRepository,
    private readonly history: PublicationService,
  ) {}

  /**
   * `asOf`: a Beijing day already checked by PublicationService.checkAsOf. A past day is answered from the
   * publication history — what was public that day — so the same question asked later gets the same answer; the
   * result carries the day either way, for the 「截至」 line.
   */
  async check(codes: string[], asOf: string | null = null): Promise<CheckResult> {
    const invalid: CheckResult['invalid'] = [];
    const valid: string[] = [];
    for (const c of codes) {
      const r = validateUscc(c);
      if (!r.ok) invalid.push({ code: c, reason: r.reason });
      else if (r.placeholder) invalid.push({ code: c, reason: '占位代码不能用于核查' });
      else valid.push(r.value);
    }
    const today = beijingToday();
    const subjects = await this.repo.subjectsByUscc(valid);
    const ids = subjects.map((s) => s.id);
    // Today is answered from the live reads (objection marks included); only a past day needs the history.
    const past = asOf !== null && asOf < today ? asOf : null;
    const [entries, penalties, measures] = await Promise.all([
      (past ? this.history.entriesInForceOn(ids, past) : this.repo.entriesInForce(ids, today)) as Promise<EntryRead[]>,
      // 严重 is the record's tier (the credit office's rules or the department's reasoned choice), not a category list.
      (past ? this.history.seriousPenaltiesOn(ids, past) : this.repo.seriousPenalties(ids, today)) as Promise<PenaltyRead[]>,
      this.repo.activeMeasures(),
    ]);
    const byUscc = new Map(subjects.map((s) => [s.uscc!, s]));
    // Grouped once, so 5,000 codes do not each scan every entry and penalty of the batch.
    const entriesOf = groupBy(entries, (e) => e.legalPersonId);
    const penaltiesOf = groupBy(penalties, (p) => p.legalPersonId);
    const rows: CheckRow[] = [...new Set(valid)].map((code) => {
      const s = byUscc.get(code);
      if (!s) return { code, name: null, found: false, black: [], red: [], seriousPenalties: [], measures: [] };
      const mine = entriesOf.get(s.id) ?? [];
      const entry = (e: (typeof mine)[number]) => ({
        basisDocNo: e.basisDocNo,
        basisAuthority: e.basisAuthority,
        validUntil: isoDay(e.validUntil),
        disputed: e.objections.length > 0,
      });
      const types = new Set(mine.map((e) => e.listType));
      return {
        code,
        name: s.name,
        found: true,
        black: mine.filter((e) => e.listType === 'black').map(entry),
        red: mine.filter((e) => e.listType === 'red').map(entry),
        seriousPenalties: (penaltiesOf.get(s.id) ?? []).map((p) => ({
          documentNo: p.documentNo,
          decisionDate: isoDay(p.decisionDate),
          authority: p.authority,
          summary: `严重失信，${p.penaltyCategories.join('、')}${p.fineAmount ? `，罚款 ${formatAmount(p.fineAmount)} 万元` : ''}，公示至 ${isoDay(p.publicUntil)}`,
          disputed: p.objections.length > 0,
        })),
        measures: measures.filter((m) => types.has(m.listType)).map((m) => ({ listType: m.listType, department: m.department.name, text: m.text })),
      };
    });
    return asOf ? { asOf, rows, invalid } : { rows, invalid };
  }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
