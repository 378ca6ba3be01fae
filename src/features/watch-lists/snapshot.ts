import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { SubjectProfile } from '../subjects/profile.js';

/**
 * What the public sees of one subject, reduced to the facts a watcher cares about: the base data and tags the profile
 * prints, and each record it lists with the fields it lists. Built from ProfileService's page view, so the catalogue's
 * 共享属性 and every masking rule of the public profile apply unchanged (nothing here can show more than the page).
 */
export interface PublicView {
  uscc: string;
  /** null: the platform has no such subject (yet) */
  subject: {
    name: string;
    legalRepresentative: string | null;
    status: string | null;
    address: string | null;
    county: string | null;
  } | null;
  tags: string[];
  records: ViewRecord[];
}

export interface ViewRecord {
  kind: 'permit' | 'penalty' | 'red' | 'black' | 'commitment';
  id: number;
  title: string;
  documentNo: string;
  decisionDate: string;
  authority: string;
  summary: string;
  /** 异议处理中 */
  disputed: boolean;
}

export function publicView(uscc: string, profile: SubjectProfile | null): PublicView {
  if (!profile) return { uscc, subject: null, tags: [], records: [] };
  const s = profile.subject;
  const records: ViewRecord[] = profile.sections
    .flatMap((sec) => sec.records)
    .map((r) => ({
      kind: r.kind,
      id: r.id,
      title: r.title,
      documentNo: r.documentNo,
      decisionDate: r.decisionDate,
      authority: r.authority,
      summary: r.summary,
      disputed: r.disputed === true,
    }))
    // A stable order, so the same public facts always give the same bytes and hash.
    .sort((a, b) => (a.kind === b.kind ? a.id - b.id : a.kind < b.kind ? -1 : 1));
  return {
    uscc,
    subject: { name: s.name, legalRepresentative: s.legalRepresentative, status: s.status, address: s.address, county: s.county },
    tags: [...profile.tags].sort(),
    records,
  };
}

/**
 * RFC 8785 (JSON Canonicalization Scheme) text: sorted keys, no whitespace, fixed number form. A standard form, so
 * anyone holding the evidence text can recompute its hash with any JCS implementation.
 */
export function canonicalText(view: PublicView): string {
  const text = canonicalize(view);
  if (text === undefined) throw new Error('view cannot be canonicalised');
  return text;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const CHANGE_TYPES = ['新增处罚', '新增许可', '列入名单', '移出名单', '信用修复', '撤销或撤回', '异议标注', '其他变更'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export interface Change {
  type: ChangeType;
  /** what the notice says in one line */
  label: string;
  /** excerpts of what was shown before and is shown now (null: nothing) */
  before: string | null;
  after: string | null;
}

/** Why a record that was public is no longer shown, as its row says (asked of the repository for removed records only). */
export type RemovalReason = 'repaired' | 'withdrawn' | 'revoked' | 'expired' | 'other';

const KIND_LABELS: Record<ViewRecord['kind'], string> = {
  permit: '行政许可',
  penalty: '行政处罚',
  red: '红名单',
  black: '黑名单',
  commitment: '信用承诺',
};

export const recordExcerpt = (r: ViewRecord): string =>
  [`${KIND_LABELS[r.kind]}：${r.title}`, r.documentNo, r.decisionDate, r.authority, r.summary, r.disputed ? '异议处理中' : ''].filter(Boolean).join(' · ');

const subjectExcerpt = (v: PublicView): string | null =>
  v.subject
    ? [
        v.subject.name,
        v.subject.status,
        v.subject.legalRepresentative ? `法定代表人 ${v.subject.legalRepresentative}` : '',
        v.subject.address,
        v.tags.join('、'),
      ]
        .filter(Boolean)
        .join(' · ')
    : null;

const key = (r: ViewRecord) => `${r.kind}:${r.id}`;

/**
 * Typed changes between two views of one subject. A record that appeared is 新增处罚/新增许可/列入名单; a list entry
 * that disappeared is 移出名单; a penalty or permit that disappeared is 信用修复 or 撤销或撤回 as its row says
 * (`removal`), else 其他变更 (e.g. its publicity period ended). A record whose 异议处理中 mark appears or goes is
 * 异议标注 (and 其他变更 as well when its content changed with it).
 */
export function diffViews(before: PublicView | null, after: PublicView, removal: (r: ViewRecord) => RemovalReason = () => 'other'): Change[] {
  const changes: Change[] = [];
  const old = new Map((before?.records ?? []).map((r) => [key(r), r]));
  const now = new Map(after.records.map((r) => [key(r), r]));
  for (const r of after.records) {
    const was = old.get(key(r));
    if (!was) {
      const type: ChangeType =
        r.kind === 'penalty' ? '新增处罚' : r.kind === 'permit' ? '新增许可' : r.kind === 'red' || r.kind === 'black' ? '列入名单' : '其他变更';
      changes.push({ type, label: type === '其他变更' ? `新增${KIND_LABELS[r.kind]}` : type, before: null, after: recordExcerpt(r) });
      continue;
    }
    if (was.disputed !== r.disputed) {
      const label = r.disputed ? `${KIND_LABELS[r.kind]}被标注「异议处理中」` : `${KIND_LABELS[r.kind]}的「异议处理中」标注已撤除`;
      changes.push({ type: '异议标注', label, before: recordExcerpt(was), after: recordExcerpt(r) });
    }
    // An objection settled by a correction changes the record too: that is a change of its own.
    if (recordExcerpt({ ...was, disputed: false }) !== recordExcerpt({ ...r, disputed: false })) {
      changes.push({ type: '其他变更', label: `${KIND_LABELS[r.kind]}内容变更`, before: recordExcerpt(was), after: recordExcerpt(r) });
    }
  }
  for (const r of before?.records ?? []) {
    if (now.has(key(r))) continue;
    let type: ChangeType;
    let label: string;
    if (r.kind === 'red' || r.kind === 'black') {
      type = '移出名单';
      label = `移出${KIND_LABELS[r.kind]}`;
    } else {
      const why = r.kind === 'penalty' || r.kind === 'permit' ? removal(r) : 'other';
      type = why === 'repaired' ? '信用修复' : why === 'withdrawn' || why === 'revoked' ? '撤销或撤回' : '其他变更';
      label =
        why === 'repaired'
          ? '行政处罚经信用修复停止公示'
          : why === 'revoked'
            ? `${KIND_LABELS[r.kind]}已撤销`
            : why === 'withdrawn'
              ? `${KIND_LABELS[r.kind]}已撤回`
              : why === 'expired'
                ? `${KIND_LABELS[r.kind]}公示期满停止公示`
                : `${KIND_LABELS[r.kind]}不再公示`;
    }
    changes.push({ type, label, before: recordExcerpt(r), after: null });
  }
  const sb = before ? subjectExcerpt(before) : null;
  const sa = subjectExcerpt(after);
  if (before?.subject && sb !== sa) changes.push({ type: '其他变更', label: '主体基础信息变更', before: sb, after: sa });
  // A subject new to the platform arrives with its first record, which already says what happened.
  else if (!before?.subject && after.subject && !changes.length) changes.push({ type: '其他变更', label: '主体开始在平台公示', before: null, after: sa });
  return changes;
}
