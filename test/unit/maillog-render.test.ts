import { describe, expect, it } from 'vitest';
import type { DomainRow } from '../../src/maillog/aggregate.js';
import { renderDomainJson, renderDomainList, renderDomainTable } from '../../src/maillog/render.js';

const base = { deferred: 0, bounced: 0, starttlsOffered: 0, tls: {}, ciphers: [], tlsFailures: {} };
const rows: DomainRow[] = [
  {
    ...base,
    domain: 'gmail.com',
    messages: 1204,
    plaintext: null,
    relays: ['alt1.gmail-smtp-in.l.google.com', 'alt2.gmail-smtp-in.l.google.com', 'alt3.gmail-smtp-in.l.google.com', 'alt4.gmail-smtp-in.l.google.com', 'gmail-smtp-in.l.google.com'],
  },
  { ...base, domain: 'example.org', messages: 7, plaintext: null, relays: ['mx.example.org'] },
];

describe('maillog renderers', () => {
  it('the list is the domains alone', () => {
    expect(renderDomainList(rows)).toBe('gmail.com\nexample.org\n');
    expect(renderDomainList([])).toBe('');
  });

  it('the table right-aligns counts, shows unknown plaintext as "?", and shortens long relay lists', () => {
    expect(renderDomainTable(rows)).toBe(
      [
        'domain       messages  plaintext  relays',
        'gmail.com        1204          ?  alt1.gmail-smtp-in.l.google.com, alt2.gmail-smtp-in.l.google.com, alt3.gmail-smtp-in.l.google.com +2',
        'example.org         7          ?  mx.example.org',
        '',
      ].join('\n'),
    );
  });

  it('JSON keeps every field, null plaintext included', () => {
    expect(JSON.parse(renderDomainJson(false, rows))).toEqual({ tlsLogged: false, domains: rows });
  });
});
