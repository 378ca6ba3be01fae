/*
 * 信用报告离线核验 (/reports/verify/offline): checks a report's QR text and, optionally, the report file, with the
 * public keys embedded in the page and sm-crypto (window.sm2, window.sm3) — no request leaves the browser.
 * The same steps as src/features/reports/signing.ts; docs/report-signing.md is the specification.
 */
(function () {
  'use strict';

  var form = document.getElementById('offline-verify');
  var out = document.getElementById('offline-result');
  if (!form || !out) return;

  var QR_PREFIX = 'XXCR1';
  // 信用核查报告 and 事前告知书: no subject field, the kind is the number's prefix (signing.ts DOC_QR_PREFIX)
  var DOC_QR_PREFIX = 'XXCR2';
  var PDF_PREFIX = 'XXCR-SIG1';
  var RE = {
    reportNo: /^XXCR\d{8}[0-9A-HJKMNP-TV-Z]{8}$/,
    checkNo: /^XXCC\d{8,}$/,
    noticeNo: /^XXPN\d{8,}$/,
    keyId: /^K\d{8}[0-9A-HJKMNP-TV-Z]{4}$/,
    uscc: /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/,
    issuedAt: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/,
    hex64: /^[0-9a-f]{64}$/,
    sig: /^[A-Za-z0-9_-]{86}$/,
  };
  var PROBLEM = {
    format: '二维码内容格式不正确，不是本平台报告的核验码',
    'unknown-key': '签名所用的密钥不在本平台公布的公钥列表中',
    'revoked-key': '签名所用的密钥已被吊销，签名不再有效',
    'outside-validity': '报告的出具时间不在签名密钥的有效期内',
    'bad-signature': '签名与内容不符：核验码或文件被修改过，或不是由本平台签发',
    'content-mismatch': '文件内容与签名记录的摘要不一致：文件被修改过',
    'no-signature': '文件末尾没有本平台的签名（不是本平台出具的已签名报告，或签名被删除）',
    'other-report': '文件的签名属于另一份报告，与二维码的报告编号不一致',
  };

  var published;
  try {
    published = JSON.parse(form.getAttribute('data-keys') || '{}');
  } catch {
    published = { keys: [] };
  }
  var userId = published.userId || '1234567812345678';
  var keys = (published.keys || []).map(function (k) {
    return {
      keyId: k.keyId,
      publicKey: String(k.publicKey).toLowerCase(),
      notBefore: Date.parse(k.notBefore),
      notAfter: Date.parse(k.notAfter),
      status: k.status,
    };
  });

  function utf8(s) {
    return new TextEncoder().encode(s);
  }

  function b64urlToHex(s) {
    var b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '=='.slice(0, (4 - (s.length % 4)) % 4));
    var hex = '';
    for (var i = 0; i < b.length; i++) hex += ('0' + b.charCodeAt(i).toString(16)).slice(-2);
    return hex;
  }

  function verifyText(message, sig, publicKey) {
    if (!RE.sig.test(sig)) return false;
    try {
      return window.sm2.doVerifySignature(utf8(message), b64urlToHex(sig), publicKey, { hash: true, der: false, userId: userId });
    } catch {
      return false;
    }
  }

  function findKey(keyId) {
    for (var i = 0; i < keys.length; i++) if (keys[i].keyId === keyId) return keys[i];
    return null;
  }

  function checkKey(keyId, at) {
    var key = findKey(keyId);
    if (!key) return { problem: 'unknown-key' };
    if (key.status === 'revoked') return { problem: 'revoked-key', key: key };
    if (at !== undefined && (at < key.notBefore || at > key.notAfter)) return { problem: 'outside-validity', key: key };
    return { key: key };
  }

  function extractQr(input) {
    var s = input.trim();
    var m = /[?&#]qr=([^&#\s]+)/.exec(s);
    if (m) {
      try {
        s = decodeURIComponent(m[1].replace(/\+/g, ' '));
      } catch {
        return null;
      }
    }
    s = s.replace(/\s+/g, '');
    return s.indexOf(QR_PREFIX + '|') === 0 || s.indexOf(DOC_QR_PREFIX + '|') === 0 ? s : null;
  }

  function verifyQr(text) {
    var p = text.split('|');
    var fields;
    if (p[0] === QR_PREFIX && p.length === 7) {
      if (!RE.reportNo.test(p[1]) || !RE.uscc.test(p[3])) return { ok: false, problem: 'format' };
      fields = { reportNo: p[1], kind: documentKind(p[1]), issued: p[2], uscc: p[3], keyId: p[4], contentSm3: p[5] };
    } else if (p[0] === DOC_QR_PREFIX && p.length === 6) {
      if (!documentKind(p[1])) return { ok: false, problem: 'format' };
      fields = { reportNo: p[1], kind: documentKind(p[1]), issued: p[2], keyId: p[3], contentSm3: p[4] };
    } else return { ok: false, problem: 'format' };
    var sig = p[p.length - 1];
    if (!RE.issuedAt.test(fields.issued) || !RE.keyId.test(fields.keyId) || !RE.hex64.test(fields.contentSm3) || !RE.sig.test(sig))
      return { ok: false, problem: 'format' };
    fields.issuedAt = Date.parse(fields.issued);
    if (isNaN(fields.issuedAt)) return { ok: false, problem: 'format' };
    var k = checkKey(fields.keyId, fields.issuedAt);
    if (k.problem) return { ok: false, problem: k.problem, fields: fields };
    if (!verifyText(p.slice(0, -1).join('|'), sig, k.key.publicKey)) return { ok: false, problem: 'bad-signature', fields: fields };
    return { ok: true, fields: fields, key: k.key };
  }

  // the number's prefix names the kind of document, as in signing.ts documentKind
  function documentKind(no) {
    if (RE.reportNo.test(no)) return '公共信用信息报告';
    if (RE.checkNo.test(no)) return '信用核查报告';
    if (RE.noticeNo.test(no)) return '事前告知书';
    return null;
  }

  function readTrailer(bytes) {
    var start = Math.max(0, bytes.length - 400);
    var tail = '';
    for (var i = start; i < bytes.length; i++) tail += String.fromCharCode(bytes[i]);
    var at = tail.lastIndexOf('%' + PDF_PREFIX + '|');
    if (at < 0 || tail.charAt(tail.length - 1) !== '\n') return null;
    var p = tail.slice(at + 1, -1).split('|');
    var kind = p.length === 5 ? documentKind(p[1]) : null;
    if (!kind || !RE.keyId.test(p[2]) || !RE.hex64.test(p[3]) || !RE.sig.test(p[4])) return null;
    return { reportNo: p[1], kind: kind, keyId: p[2], sm3: p[3], signature: p[4], signedLength: start + at };
  }

  function verifyPdf(bytes, issuedAt) {
    var t = readTrailer(bytes);
    if (!t) return { ok: false, problem: 'no-signature' };
    var k = checkKey(t.keyId, issuedAt);
    if (k.problem) return { ok: false, problem: k.problem, signature: t };
    if (window.sm3(bytes.subarray(0, t.signedLength)) !== t.sm3) return { ok: false, problem: 'content-mismatch', signature: t };
    if (!verifyText([PDF_PREFIX, t.reportNo, t.keyId, t.sm3].join('|'), t.signature, k.key.publicKey))
      return { ok: false, problem: 'bad-signature', signature: t };
    return { ok: true, signature: t };
  }

  var beijing = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function show(ok, lines, rows) {
    out.textContent = '';
    var box = el('div', {
      class: 'flash flash--' + (ok ? 'success' : 'error'),
      role: ok ? 'status' : 'alert',
      'data-qa': 'offline-verdict',
      'data-ok': ok ? 'true' : 'false',
    });
    lines.forEach(function (line, i) {
      box.appendChild(el('p', i === 0 ? { class: 'flash__text' } : {}, line));
    });
    out.appendChild(box);
    if (rows && rows.length) {
      var dl = el('dl', { class: 'field-list' });
      rows.forEach(function (r) {
        var row = el('div', { class: 'field-list__row' });
        row.appendChild(el('dt', {}, r[0]));
        row.appendChild(el('dd', {}, r[1]));
        dl.appendChild(row);
      });
      out.appendChild(dl);
    }
    box.setAttribute('tabindex', '-1');
    box.focus();
  }

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        resolve(new Uint8Array(reader.result));
      };
      reader.onerror = function () {
        reject(reader.error);
      };
      reader.readAsArrayBuffer(file);
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (!window.sm2 || !window.sm3) return show(false, ['核验组件未能加载，请联网后刷新本页面再试。']);
    var qrInput = form.elements.namedItem('qr').value;
    var fileInput = form.elements.namedItem('pdf');
    var file = fileInput.files && fileInput.files[0];
    if (!qrInput.trim() && !file) return show(false, ['请粘贴二维码内容，或选择本平台出具的 PDF 文件（信用报告、信用核查报告、事前告知书）。']);

    var lines = [];
    var rows = [];
    var ok = true;
    var qr = null;
    if (qrInput.trim()) {
      var text = extractQr(qrInput);
      qr = text ? verifyQr(text) : { ok: false, problem: 'format' };
      ok = qr.ok;
      lines.push(qr.ok ? '二维码核验通过：由本平台签发，内容未被修改。' : '二维码核验未通过：' + PROBLEM[qr.problem]);
      if (qr.ok) {
        rows.push(['文件类型', qr.fields.kind]);
        rows.push([qr.fields.uscc ? '报告编号' : '文件编号', qr.fields.reportNo]);
        rows.push(['出具时间', beijing.format(new Date(qr.fields.issuedAt)) + '（北京时间）']);
        if (qr.fields.uscc) rows.push(['统一社会信用代码', qr.fields.uscc]);
        rows.push(['签名密钥', qr.fields.keyId]);
        rows.push(['报告内容 SM3 摘要', qr.fields.contentSm3]);
      }
    }
    if (!file) {
      if (ok)
        lines.push(
          qr.fields.uscc
            ? '二维码证明报告编号、出具时间和主体由本平台签发；纸质报告的内容可与在线出具记录或文件核验结果对照。'
            : '二维码证明该编号的文件于上述时间由本平台签发，并锁定其内容摘要；纸质文件的内容可与在线核验结果或文件核验结果对照。',
        );
      return show(ok, [ok ? '核验通过' : '核验未通过'].concat(lines), rows);
    }
    readFile(file).then(
      function (bytes) {
        var r = verifyPdf(bytes, qr && qr.ok ? qr.fields.issuedAt : undefined);
        if (r.ok && qr && qr.ok && r.signature.reportNo !== qr.fields.reportNo) r = { ok: false, problem: 'other-report', signature: r.signature };
        ok = ok && r.ok;
        lines.push(r.ok ? '文件核验通过：文件的每一个字节都与本平台签发时一致。' : '文件核验未通过：' + PROBLEM[r.problem]);
        if (r.signature && !(qr && qr.ok)) rows.push(['文件签名所属文件', r.signature.kind + ' ' + r.signature.reportNo]);
        if (r.signature) rows.push(['文件 SM3 摘要', r.signature.sm3]);
        show(ok, [ok ? '核验通过' : '核验未通过'].concat(lines), rows);
      },
      function () {
        show(false, ['无法读取所选文件，请重新选择。']);
      },
    );
  });
})();
