import { describe, expect, it } from 'vitest';
import { CATALOGUE_TTL_MS, CatalogueService, PublicFields } from './service.js';
import type { CatalogueRepository } from './repository.js';
import type { AuditLog } from '../../platform/audit.js';
import type { SharingLevel } from './codes.js';

type Row = { code: string; sharing: SharingLevel; item: { code: string; sharing: SharingLevel } };

/** A repository double that only answers sharingMap, counting the reads: the cache is what is tested here. */
function fakeRepo(rows: Row[]) {
  const calls = { n: 0 };
  const repo = {
    sharingMap: async () => {
      calls.n++;
      return rows;
    },
  } as unknown as CatalogueRepository;
  return { repo, calls };
}

describe('PublicFields', () => {
  it('maps the list, commitment and base-data items to their value keys, all of FRJC when the item is off', () => {
    const fields = new PublicFields(
      new Map<string, SharingLevel>([
        ['HEIMD', 'public'],
        ['HEIMD/MD_RDWH', 'government'],
        ['XYCN/CN_LXZT', 'authorised'],
        ['FRJC', 'government'],
      ]),
    );
    expect([...fields.hiddenListKeys('black')]).toEqual(['basisDocNo']);
    expect(fields.hiddenListKeys('red').size).toBe(0);
    expect([...fields.hiddenCommitmentKeys()]).toEqual(['fulfilment']);
    expect(fields.showsItem('FRJC')).toBe(false);
    expect(fields.showsItem('HEIMD')).toBe(true);
    expect(fields.hiddenLegalPersonKeys().has('legalRepresentative')).toBe(true);
    expect(PublicFields.none().hiddenLegalPersonKeys().size).toBe(0);
  });

  it('hides the private fields and nothing else when the catalogue lists nothing', () => {
    const none = PublicFields.none();
    expect([...none.hiddenKeys('penalty')].sort()).toEqual(['legalRepDocNumber', 'legalRepDocType']);
    expect(none.shows('XZCF', 'CF_WSH')).toBe(true);
  });

  it('hides a field that is not 社会公开, and every field of an item that is not', () => {
    const fields = new PublicFields(
      new Map<string, SharingLevel>([
        ['XZCF', 'public'],
        ['XZCF/CF_SY', 'government'],
        ['XZXK', 'authorised'],
        ['XZXK/XK_WSH', 'public'],
      ]),
    );
    expect(fields.hiddenKeys('penalty').has('facts')).toBe(true);
    expect(fields.hiddenKeys('penalty').has('documentNo')).toBe(false);
    expect(fields.hiddenKeys('permit').has('documentNo')).toBe(true);
    expect(fields.hiddenKeys('permit').has('subjectName')).toBe(true);
  });

  it('keeps 法定代表人证件号码 hidden even when the catalogue says 社会公开', () => {
    const fields = new PublicFields(new Map<string, SharingLevel>([['XZCF/CF_FR_ZJHM', 'public']]));
    expect(fields.hiddenKeys('penalty').has('legalRepDocNumber')).toBe(true);
  });
});

describe('CatalogueService cache', () => {
  it('reads the catalogue once per TTL and again after it', async () => {
    let now = 1_000_000;
    const { repo, calls } = fakeRepo([{ code: 'CF_SY', sharing: 'government', item: { code: 'XZCF', sharing: 'public' } }]);
    const service = new CatalogueService(repo, {} as AuditLog, () => now);
    const first = await service.publicFields();
    expect(first.hiddenKeys('penalty').has('facts')).toBe(true);
    await service.publicFields();
    now += CATALOGUE_TTL_MS - 1;
    await service.publicFields();
    expect(calls.n).toBe(1);
    now += 1;
    await service.publicFields();
    expect(calls.n).toBe(2);
  });

  it('does not keep a failed read', async () => {
    let fail = true;
    const repo = {
      sharingMap: async () => {
        if (fail) throw new Error('down');
        return [];
      },
    } as unknown as CatalogueRepository;
    const service = new CatalogueService(repo, {} as AuditLog, () => 0);
    await expect(service.publicFields()).rejects.toThrow('down');
    fail = false;
    await expect(service.publicFields()).resolves.toBeInstanceOf(PublicFields);
  });
});
