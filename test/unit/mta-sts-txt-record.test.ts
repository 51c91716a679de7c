import { describe, expect, it } from 'vitest';
import { evaluateStsTxt, isStsRecord, parseStsRecord } from '../../src/mta-sts/txt-record.js';

describe('parseStsRecord (RFC 8461 §3.1)', () => {
  it.each([
    ['v=STSv1; id=20160831085700Z;', '20160831085700Z'],
    ['v=STSv1; id=abc', 'abc'],
    ['v=STSv1;id=abc', 'abc'],
    ['v=STSv1 ;\tid=abc ; ', 'abc'],
    ['v=STSv1; id=' + 'a'.repeat(32), 'a'.repeat(32)],
    ['v=STSv1; ext=x/y:z; id=A1', 'A1'],
    ['v=STSv1; id=first; id=second', 'first'],
  ])('accepts %j (id %s)', (text, id) => {
    const parsed = parseStsRecord(text);
    expect(parsed).toMatchObject({ ok: true, record: { id } });
  });

  it('keeps extensions apart from the id', () => {
    expect(parseStsRecord('v=STSv1; foo.bar=baz; id=1')).toEqual({
      ok: true,
      record: { id: '1', extensions: [{ name: 'foo.bar', value: 'baz' }] },
    });
  });

  it.each([
    ['v=STSv1', /no id/],
    ['v=STSv1;', /no id/],
    ['v=STSv1; ext=1', /no id/],
    ['v=STSv1; id=', /id must be/],
    ['v=STSv1; id=' + 'a'.repeat(33), /id must be/],
    ['v=STSv1; id=abc-def', /id must be/],
    ['v=STSv1; id=abc.def', /id must be/],
    ['v=STSv1; id = abc', /malformed field/],
    ['v=STSv1 id=abc', /expected ";"/],
    ['v=STSv1; id=abc;; x=1', /malformed field/],
    ['v=STSv1; -x=1; id=a', /malformed field name/],
    ['v=STSv1; x=a=b; id=a', /malformed value/],
    ['v=stsv1; id=abc', /does not start/],
    [' v=STSv1; id=abc', /does not start/],
  ])('rejects %j', (text, reason) => {
    const parsed = parseStsRecord(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('isStsRecord', () => {
  it.each([
    ['v=STSv1; id=a', true],
    ['v=STSv1', true],
    ['v=STSv1 ;id=a', true],
    ['v=STSv10; id=a', false],
    ['v=STSv1x', false],
    ['V=STSv1; id=a', false],
    ['v=spf1 -all', false],
  ])('%j → %s', (text, expected) => expect(isStsRecord(text)).toBe(expected));
});

describe('evaluateStsTxt (the RRset)', () => {
  it('concatenates the strings of one record', () => {
    expect(evaluateStsTxt([['v=STSv1; ', 'id=abc', '123']])).toMatchObject({ status: 'ok', record: { id: 'abc123' }, text: 'v=STSv1; id=abc123' });
  });

  it('ignores records that are not STSv1', () => {
    expect(evaluateStsTxt([['v=spf1 -all'], ['v=STSv1; id=x1'], ['google-site-verification=abc']])).toMatchObject({ status: 'ok', record: { id: 'x1' } });
  });

  it('is none without an STSv1 record', () => {
    expect(evaluateStsTxt([])).toMatchObject({ status: 'none' });
    expect(evaluateStsTxt([['v=spf1 -all'], ['v=STSv10; id=1']])).toMatchObject({ status: 'none' });
  });

  it('is invalid with two STSv1 records, even identical ones', () => {
    expect(evaluateStsTxt([['v=STSv1; id=a'], ['v=STSv1; id=b']])).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/2 v=STSv1/) });
    expect(evaluateStsTxt([['v=STSv1; id=a'], ['v=STSv1; id=a']])).toMatchObject({ status: 'invalid' });
  });

  it('is invalid when the one record is malformed', () => {
    expect(evaluateStsTxt([['v=STSv1; id=not valid']])).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/TXT record/) });
  });
});
