import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import { NotFoundError } from './errors.js';
import multer from 'multer';
import yauzl from 'yauzl';
import { fileTypeFromBuffer } from 'file-type';
import { ACCESS, requireRole, requireSignedIn } from './access.js';

/*
 * Uploaded attachments, shared by the red/black-list nominations and the articles: multipart parsing in memory
 * before the CSRF check, the file's type decided from its content, storage under UPLOAD_DIR with generated names
 * (the user's file name is only metadata), and reading back with a path check.
 */

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENT_MAX_FILES = 5;

/*
 * What a file is, by its content, comes from file-type: a maintained catalogue of signatures (PDF, PNG, JPEG, ZIP, the
 * OLE2 compound file…) instead of magic numbers of our own. What it cannot tell is still ours: which streams an OLE2
 * file holds (.doc or .xls), which parts a ZIP holds (.docx, .xlsx), and text formats such as CSV, which have no
 * signature at all. file-type is held at 21.x (package.json): 22 needs Node 22, and this project runs on Node 20;
 * it is ESM-only, which this ESM project (module NodeNext) imports as it is.
 */

export type AttachmentMime = 'application/pdf' | 'image/png' | 'image/jpeg';

/** file-type's name for a file → the attachment type it is; anything else may not be attached (a renamed .exe stays out). */
const ATTACHMENT_TYPES: Readonly<Record<string, AttachmentMime>> = {
  pdf: 'application/pdf',
  // An Illustrator file is a PDF with extra content, and an animated PNG a PNG: both open as what they are.
  ai: 'application/pdf',
  png: 'image/png',
  apng: 'image/png',
  jpg: 'image/jpeg',
};

/** file-type names a ZIP by what is inside (an .xlsx, a .docx…); each of these is a ZIP container all the same. */
const ZIP_FAMILY: ReadonlySet<string> = new Set(['zip', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub', 'jar', 'apk', 'xpi', '3mf', 'vsdx']);

/** The container a file's content is: a ZIP archive, an OLE2 compound file (old Office formats), or neither. */
export async function containerOf(buf: Uint8Array): Promise<'zip' | 'ole' | null> {
  const type = await fileTypeFromBuffer(buf);
  if (!type) return null;
  if (ZIP_FAMILY.has(type.ext)) return 'zip';
  return type.ext === 'cfb' ? 'ole' : null;
}

/** The attachment type of a file from its content, or null when it is none of PDF, PNG, JPEG. */
export async function sniffType(buf: Uint8Array): Promise<AttachmentMime | null> {
  const type = await fileTypeFromBuffer(buf);
  return (type && ATTACHMENT_TYPES[type.ext]) ?? null;
}

/** Each parsed attachment's type, decided once after parsing (file-type is asynchronous), read by acceptedFiles. */
const sniffed = new WeakMap<Express.Multer.File, AttachmentMime | null>();

/**
 * Multipart parsing of the `attachments` field into memory, before the CSRF check (which needs the parsed `_csrf`
 * field). Size and count violations become req.uploadError for the form to show.
 */
function parseAttachments(limits: { maxBytes: number; maxFiles: number }): RequestHandler {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: limits.maxBytes, files: limits.maxFiles, fields: 30 } }).array(
    'attachments',
    limits.maxFiles,
  );
  return (req, res, next) =>
    upload(req, res, (err: unknown) => {
      if (!err) {
        const files = (req.files as Express.Multer.File[] | undefined) ?? [];
        return void Promise.all(files.map(async (f) => sniffed.set(f, await sniffType(f.buffer)))).then(() => next(), next);
      }
      if (err instanceof multer.MulterError && (err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FILE_COUNT' || err.code === 'LIMIT_UNEXPECTED_FILE')) {
        req.uploadError = err.code === 'LIMIT_FILE_SIZE' ? `每个附件不超过 ${limits.maxBytes / 1024 / 1024} MB` : `每次最多上传 ${limits.maxFiles} 个附件`;
        return next();
      }
      next(err);
    });
}

/** The same parsing after sign-in and role checks, so nobody without the right can make the server hold a file. */
export function memoryUpload(accessKey: string, limits: { maxBytes: number; maxFiles: number }): RequestHandler[] {
  const roles = ACCESS[accessKey];
  if (!roles) throw new Error(`upload route ${accessKey} has no entry in ACCESS`);
  return [requireSignedIn, requireRole(roles), parseAttachments(limits)];
}

/** For public forms (objections, repair requests): the caller puts a rate limit in front of it. */
export function attachmentParser(): RequestHandler {
  return parseAttachments({ maxBytes: ATTACHMENT_MAX_BYTES, maxFiles: ATTACHMENT_MAX_FILES });
}

/** Multipart parsing for the nomination form. */
export function attachmentUpload(): RequestHandler[] {
  return memoryUpload('POST /admin/nominations', { maxBytes: ATTACHMENT_MAX_BYTES, maxFiles: ATTACHMENT_MAX_FILES });
}

/** The name the user gave the file: multer hands it over as latin1, browsers send UTF-8. */
export const uploadedName = (f: { originalname: string }): string => Buffer.from(f.originalname, 'latin1').toString('utf8');

export interface AcceptedFile {
  originalname: string;
  buffer: Buffer;
  mime: string;
}

/** The non-empty files of an attachment upload (PDF, PNG, JPEG), typed by content, or the first problem to show on the form. */
export function acceptedFiles(req: Request): { files: AcceptedFile[]; error: string | null } {
  const raw = ((req.files as Express.Multer.File[] | undefined) ?? []).filter((f) => f.size > 0);
  const typed = raw.map((f) => ({ originalname: f.originalname, buffer: f.buffer, mime: sniffed.get(f) ?? null }));
  const bad = typed.find((f) => !f.mime);
  const error = req.uploadError ?? (bad ? `附件“${uploadedName(bad)}”不是 PDF、PNG 或 JPEG 文件（按文件内容判断）` : null);
  return { files: typed.flatMap((f) => (f.mime ? [{ ...f, mime: f.mime }] : [])), error };
}

// ---- documents (article attachments): the extension names the type, the content must agree ----

const isZip = async (b: Buffer) => (await containerOf(b)) === 'zip';
/** An OLE2 compound file whose directory names the stream (UTF-16LE), e.g. WordDocument or Workbook. */
const oleWith = async (b: Buffer, streams: string[]) => (await containerOf(b)) === 'ole' && streams.some((s) => b.includes(Buffer.from(s, 'utf16le')));

async function zipEntries(buf: Buffer): Promise<string[] | null> {
  try {
    const zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, decodeStrings: true, strictFileNames: false });
    const names: string[] = [];
    try {
      for await (const e of zip.eachEntry()) names.push(e.fileName);
    } finally {
      zip.close();
    }
    return names;
  } catch {
    return null;
  }
}

interface DocumentType {
  mime: string;
  label: string;
  matches(buf: Buffer): boolean | Promise<boolean>;
}

const OOXML = (part: string) => async (b: Buffer) => (await isZip(b)) && ((await zipEntries(b)) ?? []).includes(part);

export const DOCUMENT_TYPES: Readonly<Record<string, DocumentType>> = {
  '.pdf': { mime: 'application/pdf', label: 'PDF', matches: async (b) => (await sniffType(b)) === 'application/pdf' },
  '.doc': { mime: 'application/msword', label: 'Word 文档', matches: (b) => oleWith(b, ['WordDocument']) },
  '.docx': { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word 文档', matches: OOXML('word/document.xml') },
  '.xls': { mime: 'application/vnd.ms-excel', label: 'Excel 表格', matches: (b) => oleWith(b, ['Workbook', 'Book']) },
  '.xlsx': { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel 表格', matches: OOXML('xl/workbook.xml') },
  '.zip': { mime: 'application/zip', label: 'ZIP 压缩包', matches: async (b) => (await isZip(b)) && (await zipEntries(b)) !== null },
};

/** The MIME type of an uploaded document, or a Chinese reason why it is refused (type by extension, checked by content). */
export async function identifyDocument(name: string, buf: Buffer): Promise<{ mime: string } | { error: string }> {
  const ext = path.extname(name).toLowerCase();
  const type = DOCUMENT_TYPES[ext];
  if (!type) return { error: `附件“${name}”的类型不支持：只能上传 PDF、Word（.doc/.docx）、Excel（.xls/.xlsx）或 ZIP 文件` };
  if (buf.length === 0) return { error: `附件“${name}”是空文件` };
  if (!(await type.matches(buf))) return { error: `附件“${name}”的内容不是${type.label}（扩展名为 ${ext}，按文件内容判断不符）` };
  return { mime: type.mime };
}

export interface StoredFile {
  fileName: string;
  mime: string;
  bytes: number;
  sha256: string;
  storedAs: string;
}

/** Writes files under the upload directory with generated names (the user's name is only metadata). */
export async function storeFiles(dir: string, files: { originalname: string; buffer: Buffer; mime: string }[]): Promise<StoredFile[]> {
  const sub = new Date().toISOString().slice(0, 7);
  await mkdir(path.join(dir, sub), { recursive: true });
  const out: StoredFile[] = [];
  for (const f of files) {
    const storedAs = `${sub}/${randomUUID()}`;
    await writeFile(path.join(dir, storedAs), f.buffer, { mode: 0o600 });
    out.push({
      fileName: uploadedName(f).slice(0, 255),
      mime: f.mime,
      bytes: f.buffer.length,
      sha256: createHash('sha256').update(f.buffer).digest('hex'),
      storedAs,
    });
  }
  return out;
}

function storedPath(dir: string, storedAs: string): string {
  // storedAs is generated by storeFiles, never user input; still refuse anything that would leave the directory.
  const full = path.resolve(dir, storedAs);
  if (!full.startsWith(path.resolve(dir) + path.sep)) throw new Error('invalid attachment path');
  return full;
}

export function readStored(dir: string, storedAs: string): Promise<Buffer> {
  return readFile(storedPath(dir, storedAs));
}

export function removeStored(dir: string, storedAs: string): Promise<void> {
  return rm(storedPath(dir, storedAs), { force: true });
}

/** Sends a stored attachment as a download (never rendered inline: it is whatever a member of the public uploaded). */
export async function sendAttachment(res: Response, dir: string, a: { fileName: string; mime: string; storedAs: string } | null | undefined): Promise<void> {
  if (!a) throw new NotFoundError('附件不存在');
  res.attachment(a.fileName);
  res
    .type(a.mime)
    .set('Cache-Control', 'no-store')
    .send(await readStored(dir, a.storedAs));
}
