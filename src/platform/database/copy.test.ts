import { describe, expect, it } from 'vitest';
import { CopySlabs, copyLine } from './copy.js';

const text = (buffers: Buffer[]): string => Buffer.concat(buffers).toString('utf8');

describe('CopyChunk', () => {
  it('keeps every line whole and in order across slabs, Chinese text included', () => {
    const slabs = new CopySlabs();
    const chunk = slabs.chunk();
    const lines = Array.from({ length: 3000 }, (_, i) => copyLine([i, `新乡市第${i}号有限公司`, 'x'.repeat(i % 97), null]));
    for (const l of lines) chunk.add(l);
    const buffers = chunk.buffers();
    expect(buffers.length).toBeGreaterThan(1);
    expect(text(buffers)).toBe(lines.join(''));
    // No slab ends in the middle of a line.
    for (const b of buffers) expect(b.toString('utf8').endsWith('\n')).toBe(true);
  });

  it('sends a line longer than a slab as its own buffer, between the slabs around it', () => {
    const chunk = new CopySlabs().chunk();
    const long = `${'长'.repeat(40_000)}\n`;
    chunk.add('a\n');
    chunk.add(long);
    chunk.add('b\n');
    expect(text(chunk.buffers())).toBe(`a\n${long}b\n`);
  });

  it('hands its slabs to the next chunk once released, so a batch reuses the same memory', () => {
    const slabs = new CopySlabs();
    const first = slabs.chunk();
    first.add('第一块\n');
    const [slab] = first.buffers();
    first.release();
    expect(first.buffers()).toEqual([]);
    const second = slabs.chunk();
    second.add('第二块\n');
    const [again] = second.buffers();
    expect(again!.buffer).toBe(slab!.buffer);
    expect(text(second.buffers())).toBe('第二块\n');
  });
});
