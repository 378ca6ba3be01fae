import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openPrivateKey, sealPrivateKey } from './keys.js';
import {
  checkDocNo,
  documentKind,
  extractQrText,
  noticeDocNo,
  newKeyPair,
  parsePublishedKeys,
  publishKeys,
  readPdfSignature,
  signPdf,
  signDocumentQr,
  signQr,
  sm3Hex,
  sm3Js,
  verifyPdf,
  verifyQr,
  type PublicKeyInfo,
  type SigningKey,
} from './signing.js';

const DAY = 86_400_000;
const now = Date.now();

function key(
  id: string,
  from = now - 10 * DAY,
  to = now + 700 * DAY,
  status: PublicKeyInfo['status'] = 'active',
): { signing: SigningKey; info: PublicKeyInfo } {
  const pair = newKeyPair();
  return {
    signing: { keyId: id, ...pair },
    info: { keyId: id, publicKey: pair.publicKey, notBefore: new Date(from), notAfter: new Date(to), status },
  };
}

const A = key('K20261203AAAA');
const B = key('K20261203BBBB');
const fields = {
  reportNo: 'XXCR20261203K7M2Q9TA',
  issuedAt: new Date(Math.floor(now / 1000) * 1000),
  uscc: '91410700MA44XKR63E',
  keyId: A.signing.keyId,
  contentSm3: sm3Hex('{"v":1}'),
};
/** A stand-in PDF: the trailer logic needs no real one (tests/integration signs real reports). */
const pdf = Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\n新乡 𠀀\n%%EOF\n', 'utf8');

describe('SM3', () => {
  it('matches the GB/T 32905 test vector and OpenSSL, for 4-byte UTF-8 characters too', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    const s = '𠀀新乡 Ext-B';
    expect(sm3Hex(s)).toBe(createHash('sm3').update(s, 'utf8').digest('hex'));
    // the browser's implementation (sm-crypto) gives the same digest as OpenSSL
    const bytes = Buffer.from(s.repeat(500), 'utf8');
    expect(sm3Js(bytes)).toBe(sm3Hex(bytes));
    expect(sm3Js(Buffer.from('abc'))).toBe(sm3Hex('abc'));
  });
});

describe('QR text', () => {
  const text = signQr(fields, A.signing);

  it('is short enough for a QR code and verifies with the published key alone', () => {
    expect(text.length).toBeLessThan(260);
    const r = verifyQr(text, [A.info]);
    expect(r.ok).toBe(true);
    expect(r.fields).toEqual({ ...fields, kind: 'credit-report' });
  });

  it('is invalid when any one field or one character of the signature changes', () => {
    const parts = text.split('|');
    const changed = [
      ['XXCR20261203K7M2Q9TB', 1],
      ['2020-01-01T00:00:00Z', 2],
      ['91410700MA44XKR63F', 3],
      ['f'.repeat(64), 5],
    ] as const;
    for (const [value, i] of changed) {
      const t = parts.map((p, j) => (j === i ? value : p)).join('|');
      expect(verifyQr(t, [A.info]).ok, `field ${i}`).toBe(false);
    }
    const sig = parts[6]!;
    const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
    expect(verifyQr([...parts.slice(0, 6), flipped].join('|'), [A.info])).toMatchObject({ ok: false, problem: 'bad-signature' });
  });

  it('is invalid with another key of the same id, or a key id nobody published', () => {
    const impostor = { ...B.info, keyId: A.info.keyId };
    expect(verifyQr(text, [impostor])).toMatchObject({ ok: false, problem: 'bad-signature' });
    expect(verifyQr(text, [B.info])).toMatchObject({ ok: false, problem: 'unknown-key' });
    const signedByB = signQr({ ...fields, keyId: B.signing.keyId }, B.signing);
    expect(verifyQr(signedByB.replace(B.signing.keyId, A.signing.keyId), [A.info, B.info]).ok).toBe(false);
  });

  it('stays valid with a retired (rotated) key, and not with a revoked one', () => {
    expect(verifyQr(text, [{ ...A.info, status: 'retired' }, B.info]).ok).toBe(true);
    expect(verifyQr(text, [{ ...A.info, status: 'revoked' }])).toMatchObject({ ok: false, problem: 'revoked-key' });
  });

  it('is invalid when issued outside the key’s validity (an expired key signing, or before its start)', () => {
    const expired = { ...A.info, notAfter: new Date(fields.issuedAt.getTime() - 1000) };
    expect(verifyQr(text, [expired])).toMatchObject({ ok: false, problem: 'outside-validity' });
    const notYet = { ...A.info, notBefore: new Date(fields.issuedAt.getTime() + 1000) };
    expect(verifyQr(text, [notYet])).toMatchObject({ ok: false, problem: 'outside-validity' });
    // a key that has since expired still verifies what it signed while valid
    const lapsed = key('K20201203CCCC', now - 800 * DAY, now - 70 * DAY);
    const old = signQr({ ...fields, issuedAt: new Date(now - 100 * DAY), keyId: lapsed.signing.keyId }, lapsed.signing);
    expect(verifyQr(old, [lapsed.info]).ok).toBe(true);
  });

  it('refuses malformed text without throwing', () => {
    for (const bad of ['', 'XXCR1', 'XXCR1|||||||', text + '|x', text.replace('XXCR1', 'XXCR2'), 'hello|world']) {
      expect(verifyQr(bad, [A.info]).ok).toBe(false);
    }
  });

  it('is found in the verification address a phone scans, and in pasted text with line breaks', () => {
    const url = `https://credit.example.gov.cn/reports/verify?qr=${encodeURIComponent(text)}`;
    expect(extractQrText(url)).toBe(text);
    expect(extractQrText(`  ${text.slice(0, 40)}\n${text.slice(40)} `)).toBe(text);
    expect(extractQrText('https://credit.example.gov.cn/reports/XXCR20261203K7M2Q9TA')).toBeNull();
  });
});

describe('QR text of a 信用核查报告 or 事前告知书 (XXCR2)', () => {
  const issuedAt = fields.issuedAt;
  const docs = [
    { docNo: checkDocNo(42), kind: 'credit-check' },
    { docNo: noticeDocNo(7), kind: 'prior-notice' },
  ] as const;

  it.each(docs)('$kind: verifies with the published key alone and names the kind by the number', ({ docNo, kind }) => {
    const text = signDocumentQr({ docNo, issuedAt, contentSm3: fields.contentSm3 }, A.signing);
    expect(text.startsWith(`XXCR2|${docNo}|`)).toBe(true);
    expect(text.length).toBeLessThan(220);
    expect(verifyQr(text, [A.info])).toMatchObject({
      ok: true,
      fields: { reportNo: docNo, kind, issuedAt, keyId: A.info.keyId, contentSm3: fields.contentSm3 },
    });
    expect(extractQrText(`https://credit.example.gov.cn/reports/verify?qr=${encodeURIComponent(text)}`)).toBe(text);
  });

  it.each(docs)('$kind: invalid after one changed field, one changed character, another key, or a revoked key', ({ docNo }) => {
    const text = signDocumentQr({ docNo, issuedAt, contentSm3: fields.contentSm3 }, A.signing);
    const parts = text.split('|');
    const other = docNo.startsWith('XXCC') ? checkDocNo(43) : noticeDocNo(8);
    const changed = [
      [other, 1],
      // the other kind with the same digits: a notice's code never vouches for a check report
      [docNo.startsWith('XXCC') ? noticeDocNo(Number(docNo.slice(4))) : checkDocNo(Number(docNo.slice(4))), 1],
      // an hour earlier: still within the key's validity, so only the signature can tell
      [new Date(issuedAt.getTime() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), 2],
      ['e'.repeat(64), 4],
    ] as const;
    for (const [value, i] of changed) {
      const t = parts.map((p, j) => (j === i ? value : p)).join('|');
      expect(verifyQr(t, [A.info]), `field ${i} = ${value}`).toMatchObject({ ok: false, problem: 'bad-signature' });
    }
    // one character of the content hash, one of the signature
    const hash = parts[4]!;
    const oneChar = parts.map((p, j) => (j === 4 ? (hash[0] === 'a' ? 'b' : 'a') + hash.slice(1) : p)).join('|');
    expect(verifyQr(oneChar, [A.info]).ok).toBe(false);
    const sig = parts[5]!;
    expect(verifyQr([...parts.slice(0, 5), sig.slice(0, 20) + (sig[20] === 'A' ? 'B' : 'A') + sig.slice(21)].join('|'), [A.info])).toMatchObject({
      ok: false,
      problem: 'bad-signature',
    });
    expect(verifyQr(text, [{ ...B.info, keyId: A.info.keyId }])).toMatchObject({ ok: false, problem: 'bad-signature' });
    expect(verifyQr(text, [B.info])).toMatchObject({ ok: false, problem: 'unknown-key' });
    expect(verifyQr(text, [{ ...A.info, status: 'revoked' }])).toMatchObject({ ok: false, problem: 'revoked-key' });
    expect(verifyQr(text, [{ ...A.info, notAfter: new Date(issuedAt.getTime() - 1000) }])).toMatchObject({ ok: false, problem: 'outside-validity' });
  });

  it('refuses malformed or mixed-up texts without throwing, and signs only document numbers', () => {
    const text = signDocumentQr({ docNo: checkDocNo(42), issuedAt, contentSm3: fields.contentSm3 }, A.signing);
    const parts = text.split('|');
    for (const bad of [
      'XXCR2|',
      text + '|x',
      // a credit-report field layout under the new version, and the new layout under the old version
      text.replace('XXCR2', 'XXCR1'),
      [...parts.slice(0, 3), fields.uscc, ...parts.slice(3)].join('|'),
      parts.map((p, j) => (j === 1 ? 'XXZZ00000042' : p)).join('|'),
    ]) {
      expect(verifyQr(bad, [A.info]).ok, bad).toBe(false);
    }
    expect(() => signDocumentQr({ docNo: 'XXCC42', issuedAt, contentSm3: fields.contentSm3 }, A.signing)).toThrow();
    // credit reports keep the XXCR1 format, which old verifiers read
    expect(signQr(fields, A.signing).startsWith('XXCR1|')).toBe(true);
  });
});

describe('PDF signature trailer', () => {
  const signed = signPdf(pdf, fields.reportNo, A.signing);

  it('verifies the untouched file and names the report', () => {
    const r = verifyPdf(signed, [A.info], fields.issuedAt);
    expect(r.ok).toBe(true);
    expect(readPdfSignature(signed)).toMatchObject({ reportNo: fields.reportNo, keyId: A.info.keyId, signedLength: pdf.length });
  });

  it('is invalid when any single byte changes, before or inside the trailer, or a byte is appended', () => {
    for (let i = 0; i < signed.length; i++) {
      const copy = Buffer.from(signed);
      copy[i] = copy[i]! ^ 0x01;
      expect(verifyPdf(copy, [A.info]).ok, `byte ${i}`).toBe(false);
    }
    expect(verifyPdf(Buffer.concat([signed, Buffer.from(' ')]), [A.info]).ok).toBe(false);
    expect(verifyPdf(pdf, [A.info])).toMatchObject({ ok: false, problem: 'no-signature' });
  });

  it('names the kind of document by its number; old report trailers read as before; other numbers are refused', () => {
    expect(readPdfSignature(signed)).toMatchObject({ kind: 'credit-report' });
    expect(checkDocNo(12)).toBe('XXCC00000012');
    expect(noticeDocNo(123456789)).toBe('XXPN123456789');
    expect(documentKind(checkDocNo(12))).toBe('credit-check');
    expect(documentKind(noticeDocNo(3))).toBe('prior-notice');
    for (const bad of ['XXCC1', 'XXPN', 'XXZZ00000001', '新告〔2026〕9号']) expect(documentKind(bad), bad).toBeNull();
    expect(() => signPdf(pdf, 'XXCC12', A.signing)).toThrow();
    for (const no of [checkDocNo(12), noticeDocNo(3)]) {
      const doc = signPdf(pdf, no, A.signing);
      expect(verifyPdf(doc, [A.info])).toMatchObject({ ok: true, signature: { reportNo: no } });
      expect(verifyPdf(doc, [{ ...B.info, keyId: A.info.keyId }])).toMatchObject({ ok: false, problem: 'bad-signature' });
      const copy = Buffer.from(doc);
      copy[10] = copy[10]! ^ 0x01;
      expect(verifyPdf(copy, [A.info])).toMatchObject({ ok: false, problem: 'content-mismatch' });
    }
  });

  it('is invalid with another key, a revoked key, or outside the key’s validity', () => {
    expect(verifyPdf(signed, [{ ...B.info, keyId: A.info.keyId }]).ok).toBe(false);
    expect(verifyPdf(signed, [B.info])).toMatchObject({ ok: false, problem: 'unknown-key' });
    expect(verifyPdf(signed, [{ ...A.info, status: 'revoked' }])).toMatchObject({ ok: false, problem: 'revoked-key' });
    expect(verifyPdf(signed, [{ ...A.info, notAfter: new Date(fields.issuedAt.getTime() - 1) }], fields.issuedAt)).toMatchObject({
      ok: false,
      problem: 'outside-validity',
    });
  });
});

describe('published keys', () => {
  it('round-trip through the JSON published at /.well-known', () => {
    const json = JSON.parse(JSON.stringify(publishKeys('信用新乡', [A.info, { ...B.info, status: 'retired' }]))) as unknown;
    expect(parsePublishedKeys(json)).toEqual([A.info, { ...B.info, status: 'retired' }]);
    expect(() => parsePublishedKeys({ keys: [{ keyId: 'x' }] })).toThrow(/公钥文件格式不正确/);
  });
});

describe('private key storage', () => {
  it('encrypts with REPORT_KEY_SECRET, refuses a wrong or missing secret, and keeps plain keys only without one', () => {
    const secret = 's'.repeat(40);
    const sealed = sealPrivateKey(A.signing.privateKey, secret);
    expect(sealed).not.toContain(A.signing.privateKey);
    expect(openPrivateKey(sealed, secret)).toBe(A.signing.privateKey);
    expect(() => openPrivateKey(sealed, 't'.repeat(40))).toThrow(/REPORT_KEY_SECRET/);
    expect(() => openPrivateKey(sealed, undefined)).toThrow(/REPORT_KEY_SECRET/);
    expect(openPrivateKey(sealPrivateKey(A.signing.privateKey, undefined), undefined)).toBe(A.signing.privateKey);
  });
});
