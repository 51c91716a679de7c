import { describe, expect, it } from 'vitest';
import { ReplyReader, type ReplyEvent, type ReplyLimits } from '../../src/smtp/reply-reader.js';

function feedAll(chunks: Buffer[], limits: Partial<ReplyLimits> = {}): { events: ReplyEvent[]; reader: ReplyReader } {
  const reader = new ReplyReader(limits);
  const events = chunks.flatMap((c) => reader.feed(c));
  return { events, reader };
}

/** Every way of cutting `wire` in two, plus one byte at a time. */
function splits(wire: Buffer): Buffer[][] {
  const out: Buffer[][] = [[wire]];
  for (let i = 1; i < wire.length; i++) out.push([wire.subarray(0, i), wire.subarray(i)]);
  out.push([...wire].map((b) => Buffer.from([b])));
  return out;
}

const replies = (events: ReplyEvent[]) => events.map((e) => (e.type === 'reply' ? e.reply : e));

describe('ReplyReader', () => {
  const cases: Array<{ name: string; wire: string; expected: unknown[] }> = [
    { name: 'single line', wire: '220 mx.example ESMTP\r\n', expected: [{ code: 220, lines: ['mx.example ESMTP'] }] },
    {
      name: 'multi-line EHLO',
      wire: '250-mx.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n',
      expected: [{ code: 250, lines: ['mx.example', 'PIPELINING', 'STARTTLS'] }],
    },
    { name: 'bare LF', wire: '250-a\n250 b\n', expected: [{ code: 250, lines: ['a', 'b'] }] },
    { name: 'code only', wire: '250\r\n', expected: [{ code: 250, lines: [''] }] },
    { name: 'empty continuation text', wire: '250-\r\n250 \r\n', expected: [{ code: 250, lines: ['', ''] }] },
    {
      name: 'several replies in one chunk',
      wire: '220 hi\r\n250 ok\r\n221 bye\r\n',
      expected: [
        { code: 220, lines: ['hi'] },
        { code: 250, lines: ['ok'] },
        { code: 221, lines: ['bye'] },
      ],
    },
    { name: 'tab kept, controls replaced', wire: '220 a\tb\x1b[31m\x00\r\n', expected: [{ code: 220, lines: ['a\tb\uFFFD[31m\uFFFD'] }] },
    { name: 'stray CR inside text replaced', wire: '220 a\rb\r\n', expected: [{ code: 220, lines: ['a\uFFFDb'] }] },
    {
      name: 'mismatched codes',
      wire: '250-a\r\n251 b\r\n',
      expected: [{ type: 'error', kind: 'protocol-error', message: 'reply code changed from 250 to 251 within one reply' }],
    },
    { name: 'malformed line', wire: '2x0 nope\r\n', expected: [{ type: 'error', kind: 'protocol-error', message: expect.stringMatching(/malformed/) }] },
    { name: 'bad separator', wire: '250_x\r\n', expected: [{ type: 'error', kind: 'protocol-error', message: expect.stringMatching(/malformed/) }] },
    { name: '1yz is not an SMTP reply', wire: '150 x\r\n', expected: [{ type: 'error', kind: 'protocol-error', message: expect.any(String) }] },
    { name: 'empty line', wire: '\r\n', expected: [{ type: 'error', kind: 'protocol-error', message: expect.any(String) }] },
    {
      name: 'reply then error, nothing after the error',
      wire: '220 ok\r\nHTTP/1.1 400\r\n250 later\r\n',
      expected: [{ code: 220, lines: ['ok'] }, { type: 'error', kind: 'protocol-error', message: expect.any(String) }],
    },
  ];

  for (const c of cases) {
    it(`${c.name}, split at every byte`, () => {
      for (const chunks of splits(Buffer.from(c.wire, 'latin1'))) {
        expect(replies(feedAll(chunks).events)).toEqual(c.expected);
      }
    });
  }

  it('decodes UTF-8 and replaces invalid bytes', () => {
    const { events } = feedAll([Buffer.concat([Buffer.from('220 caf\u00e9 '), Buffer.from([0xff, 0x0d, 0x0a])])]);
    expect(replies(events)).toEqual([{ code: 220, lines: ['caf\u00e9 \uFFFD'] }]);
  });

  it('reports each reply with its size on the wire', () => {
    const { events } = feedAll([Buffer.from('250-a\r\n250 b\n220 c\r\n')]);
    expect(events.map((e) => (e.type === 'reply' ? e.bytes : -1))).toEqual([13, 7]);
  });

  describe('line length cap', () => {
    const limits = { maxLineLength: 10 };
    it('accepts a line exactly at the cap, with CRLF or bare LF', () => {
      for (const wire of ['250 678901\r\n', '250 678901\n']) {
        for (const chunks of splits(Buffer.from(wire))) {
          expect(replies(feedAll(chunks, limits).events)).toEqual([{ code: 250, lines: ['678901'] }]);
        }
      }
    });
    it('rejects a line one byte over the cap', () => {
      for (const chunks of splits(Buffer.from('250 6789012\r\n'))) {
        expect(replies(feedAll(chunks, limits).events)).toEqual([
          { type: 'error', kind: 'reply-too-long', message: 'reply line longer than 10 bytes' },
        ]);
      }
    });
    it('fails as soon as an unterminated line passes the cap, without buffering it', () => {
      const reader = new ReplyReader(limits);
      expect(reader.feed(Buffer.from('250 678901\r'))).toEqual([]);
      expect(reader.bufferedBytes).toBe(11);
      expect(reader.feed(Buffer.from('x'))).toEqual([{ type: 'error', kind: 'reply-too-long', message: expect.any(String) }]);
      expect(reader.bufferedBytes).toBeLessThanOrEqual(11);
      // A stream of megabytes afterwards is ignored, not buffered.
      expect(reader.feed(Buffer.alloc(1 << 20, 0x41))).toEqual([]);
      expect(reader.bufferedBytes).toBeLessThanOrEqual(11);
    });
    it('uses 4096 bytes by default', () => {
      const ok = `250 ${'a'.repeat(4092)}\r\n`;
      expect(replies(feedAll([Buffer.from(ok)]).events)).toEqual([{ code: 250, lines: ['a'.repeat(4092)] }]);
      const long = `250 ${'a'.repeat(4093)}\r\n`;
      expect(replies(feedAll([Buffer.from(long)]).events)).toEqual([{ type: 'error', kind: 'reply-too-long', message: expect.any(String) }]);
    });
  });

  describe('lines per reply cap', () => {
    const many = (n: number) => `${'250-x\r\n'.repeat(n - 1)}250 end\r\n`;
    it('accepts exactly the maximum', () => {
      const { events } = feedAll([Buffer.from(many(3))], { maxLinesPerReply: 3 });
      expect(replies(events)).toEqual([{ code: 250, lines: ['x', 'x', 'end'] }]);
    });
    it('rejects one line more', () => {
      const { events } = feedAll([Buffer.from(many(4))], { maxLinesPerReply: 3 });
      expect(replies(events)).toEqual([{ type: 'error', kind: 'reply-too-long', message: 'reply has more than 3 lines' }]);
    });
    it('uses 100 lines by default', () => {
      expect(replies(feedAll([Buffer.from(many(100))]).events)).toHaveLength(1);
      expect(replies(feedAll([Buffer.from(many(101))]).events)).toEqual([{ type: 'error', kind: 'reply-too-long', message: expect.any(String) }]);
    });
  });

  it('counts buffered bytes of a partial line and of an unfinished multi-line reply', () => {
    const reader = new ReplyReader();
    expect(reader.bufferedBytes).toBe(0);
    reader.feed(Buffer.from('220 go\r\n250-inj\r\n25'));
    expect(reader.bufferedBytes).toBe(9 + 2);
    expect(reader.feed(Buffer.from('0 x\r\n'))).toEqual([{ type: 'reply', reply: { code: 250, lines: ['inj', 'x'] }, bytes: 16 }]);
    expect(reader.bufferedBytes).toBe(0);
  });
});
