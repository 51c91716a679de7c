import { describe, expect, it } from 'vitest';
import { Transcript } from '../../src/smtp/transcript.js';

describe('Transcript', () => {
  it('records direction and text in order', () => {
    const t = new Transcript();
    t.client('EHLO me');
    t.server('250 ok');
    t.note('something');
    expect(t.lines()).toEqual([
      { dir: 'C', text: 'EHLO me' },
      { dir: 'S', text: '250 ok' },
      { dir: '*', text: 'something' },
    ]);
  });

  it('escapes control characters', () => {
    const t = new Transcript();
    t.note('a\r\nb\tc\x1b[0m\x7f\u0085');
    expect(t.lines()[0]?.text).toBe('a\\r\\nb\\tc\\x1b[0m\\x7f\\x85');
  });

  it('cuts long lines to the character cap', () => {
    const t = new Transcript({ maxLines: 10, maxChars: 8 });
    t.server('0123456789');
    t.server('01234567');
    expect(t.lines().map((l) => l.text)).toEqual(['0123456…', '01234567']);
  });

  it('never holds more than maxLines, and says how many were omitted', () => {
    const t = new Transcript({ maxLines: 3, maxChars: 100 });
    for (let i = 0; i < 10; i++) t.server(`line ${i}`);
    expect(t.lines()).toEqual([
      { dir: 'S', text: 'line 0' },
      { dir: 'S', text: 'line 1' },
      { dir: '*', text: '8 more transcript lines omitted' },
    ]);
  });

  it('defaults to 200 lines of 512 characters', () => {
    const t = new Transcript();
    for (let i = 0; i < 300; i++) t.server('x'.repeat(600));
    const lines = t.lines();
    expect(lines).toHaveLength(200);
    expect(lines[0]?.text).toHaveLength(512);
  });
});
