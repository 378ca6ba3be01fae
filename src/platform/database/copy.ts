// COPY text format: backslash escapes, \N for NULL. Only these four characters need escaping.
export function copyField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const s = typeof value === 'boolean' ? (value ? 't' : 'f') : String(value);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

export function copyLine(fields: ReadonlyArray<string | number | boolean | null | undefined>): string {
  // Concatenation rather than map + join: no array per line, which counts at millions of lines (seed:scale).
  let line = fields.length === 0 ? '' : copyField(fields[0]);
  for (let i = 1; i < fields.length; i++) line += '\t' + copyField(fields[i]);
  return line + '\n';
}

/** A text[] value as a PostgreSQL array literal (then escaped again by copyField like any text). */
export function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((i) => `"${i.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

const SLAB_BYTES = 64 * 1024;

/**
 * Reusable 64 KiB buffers for COPY text. A batch's COPY text is garbage as soon as PostgreSQL has it, but it lives
 * for a whole chunk: as fresh buffers it was promoted to V8's old generation, and its memory then waited for a full
 * collection, with several earlier chunks' text still held during a large import
 * (docs/performance.md#imports-and-bulk-writing).
 */
export class CopySlabs {
  private readonly free: Buffer[] = [];

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(SLAB_BYTES);
  }

  give(buffers: readonly Buffer[]): void {
    for (const b of buffers) if (b.length === SLAB_BYTES) this.free.push(b);
  }

  chunk(): CopyChunk {
    return new CopyChunk(this);
  }
}

/** COPY text written line by line into slabs, sent as views of them, then handed back. */
export class CopyChunk {
  private readonly parts: Buffer[] = [];
  private readonly lengths: number[] = [];
  /** The last part, when it is a slab with room left. */
  private slab: Buffer | null = null;

  constructor(private readonly slabs: CopySlabs) {}

  add(line: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8: a line that fits by that bound is never cut short.
    const worst = line.length * 3;
    const last = this.lengths.length - 1;
    if (this.slab && this.slab.length - this.lengths[last]! >= worst) {
      this.lengths[last]! += this.slab.write(line, this.lengths[last]!);
      return;
    }
    if (worst > SLAB_BYTES) {
      const own = Buffer.from(line);
      this.parts.push(own);
      this.lengths.push(own.length);
      this.slab = null;
      return;
    }
    this.slab = this.slabs.take();
    this.parts.push(this.slab);
    this.lengths.push(this.slab.write(line, 0));
  }

  /** The text as views of the slabs, in order. */
  buffers(): Buffer[] {
    return this.parts.map((p, i) => p.subarray(0, this.lengths[i]));
  }

  /**
   * Hands the slabs back for the next chunk. Only once PostgreSQL has acknowledged the COPY: until then a socket
   * buffer may still point into them (pg-copy-streams finishes at ReadyForQuery, after the server has read it all).
   */
  release(): void {
    this.slabs.give(this.parts);
    this.parts.length = 0;
    this.lengths.length = 0;
    this.slab = null;
  }
}
