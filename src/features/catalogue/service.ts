import type { Request } from 'express';
import { fieldsOf, type RecordKind } from '../../domain/publicity/fields.js';
import type { AuditLog } from '../../platform/audit.js';
import type { CatalogueItemEdit, CatalogueRepository } from './repository.js';
import {
  COMMITMENT_FIELD_KEYS,
  COMMITMENT_ITEM_CODE,
  LEGAL_PERSON_FIELD_KEYS,
  LEGAL_PERSON_ITEM_CODE,
  LIST_FIELD_KEYS,
  LIST_ITEM_CODES,
  RECORD_ITEM_CODES,
  type SharingLevel,
} from './codes.js';

/** How long a process trusts its copy of the catalogue: an edit in another process shows within this time. */
export const CATALOGUE_TTL_MS = 30_000;

/**
 * What the public pages, the credit report and the public API may show (条例 Art. 11, 18): a field appears only when
 * both its item and the field itself are 社会公开. A field the catalogue does not list falls back to the field set's
 * own rule (FieldDef.private), and a private field stays hidden whatever the catalogue says, so an edit can only
 * narrow what is public.
 */
export class PublicFields {
  private readonly hiddenKeysByKind: Record<RecordKind, ReadonlySet<string>>;
  private readonly hiddenByItem = new Map<string, ReadonlySet<string>>();

  constructor(private readonly levels: ReadonlyMap<string, SharingLevel>) {
    this.hiddenKeysByKind = { permit: this.computeHidden('permit'), penalty: this.computeHidden('penalty') };
  }

  /** Everything public: the field set's own rule only (no catalogue rows yet). */
  static none(): PublicFields {
    return new PublicFields(new Map());
  }

  private computeHidden(kind: RecordKind): ReadonlySet<string> {
    const item = RECORD_ITEM_CODES[kind];
    const hidden = new Set<string>();
    for (const f of fieldsOf(kind)) if (f.private || !this.shows(item, f.code)) hidden.add(f.key);
    return hidden;
  }

  /** Whether the catalogue lets a field of an item reach the public; an unlisted field is public. */
  shows(itemCode: string, fieldCode: string): boolean {
    const item = this.levels.get(itemCode);
    const field = this.levels.get(`${itemCode}/${fieldCode}`);
    return (item ?? 'public') === 'public' && (field ?? 'public') === 'public';
  }

  /** Whether the item as a whole is 社会公开; an item switched off hides its whole column on public pages. */
  showsItem(itemCode: string): boolean {
    return (this.levels.get(itemCode) ?? 'public') === 'public';
  }

  /**
   * The value keys (per `keysByCode`, catalogue field code → key) of an item that no public surface may show; computed
   * once per item for this copy of the catalogue.
   */
  hiddenOf(itemCode: string, keysByCode: Readonly<Record<string, string>>): ReadonlySet<string> {
    let hidden = this.hiddenByItem.get(itemCode);
    if (!hidden) {
      const set = new Set<string>();
      for (const [code, key] of Object.entries(keysByCode)) if (!this.shows(itemCode, code)) set.add(key);
      hidden = set;
      this.hiddenByItem.set(itemCode, hidden);
    }
    return hidden;
  }

  /** The entry keys of a red- or black-list entry (LIST_FIELD_KEYS) that no public surface may show. */
  hiddenListKeys(listType: 'red' | 'black'): ReadonlySet<string> {
    return this.hiddenOf(LIST_ITEM_CODES[listType], LIST_FIELD_KEYS);
  }

  /** The keys of a commitment (COMMITMENT_FIELD_KEYS) that no public surface may show. */
  hiddenCommitmentKeys(): ReadonlySet<string> {
    return this.hiddenOf(COMMITMENT_ITEM_CODE, COMMITMENT_FIELD_KEYS);
  }

  /**
   * The base-data keys of a subject (LEGAL_PERSON_FIELD_KEYS) that no public surface may show: all of them when the
   * item itself is not 社会公开.
   */
  hiddenLegalPersonKeys(): ReadonlySet<string> {
    if (!this.showsItem(LEGAL_PERSON_ITEM_CODE)) return new Set(Object.values(LEGAL_PERSON_FIELD_KEYS));
    return this.hiddenOf(LEGAL_PERSON_ITEM_CODE, LEGAL_PERSON_FIELD_KEYS);
  }

  /** The FieldDef keys of a record kind that no public surface may show. */
  hiddenKeys(kind: RecordKind): ReadonlySet<string> {
    return this.hiddenKeysByKind[kind];
  }
}

/** The catalogue and the public-field rule derived from it, kept in memory for CATALOGUE_TTL_MS and dropped on an edit. */
export class CatalogueService {
  private cached: { at: number; value: Promise<PublicFields> } | null = null;

  constructor(
    readonly repo: CatalogueRepository,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
  ) {}

  /** The rule every public surface applies; one query per TTL per process. */
  publicFields(): Promise<PublicFields> {
    const t = this.now();
    if (this.cached && t - this.cached.at < CATALOGUE_TTL_MS) return this.cached.value;
    const value = this.load();
    this.cached = { at: t, value };
    // A failed load is not cached: the next request tries again.
    value.catch(() => {
      if (this.cached?.value === value) this.cached = null;
    });
    return value;
  }

  private async load(): Promise<PublicFields> {
    const rows = await this.repo.sharingMap();
    const levels = new Map<string, SharingLevel>();
    for (const r of rows) {
      levels.set(r.item.code, r.item.sharing);
      levels.set(`${r.item.code}/${r.code}`, r.sharing);
    }
    return new PublicFields(levels);
  }

  /** Saves an edit by the credit office, audits it and makes this process's public pages follow it at once. */
  async update(req: Request, id: number, data: CatalogueItemEdit, fields: ReadonlyMap<number, SharingLevel>): Promise<void> {
    const changed = await this.repo.update(id, data, fields);
    this.cached = null;
    await this.audit.byRequest(req, {
      action: 'catalogue.update',
      targetType: 'catalogueItem',
      targetId: id,
      detail: { sharing: data.sharing, fields: changed },
    });
  }
}

/** Fields the law keeps off public pages (法定代表人证件号码…): listed in the catalogue, never offered as 社会公开. */
export function lockedFieldCodes(itemCode: string): ReadonlySet<string> {
  const kind = (Object.keys(RECORD_ITEM_CODES) as RecordKind[]).find((k) => RECORD_ITEM_CODES[k] === itemCode);
  return new Set(
    kind
      ? fieldsOf(kind)
          .filter((f) => f.private)
          .map((f) => f.code)
      : [],
  );
}
