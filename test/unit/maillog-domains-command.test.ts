import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDomains } from '../../src/cli/domains-command.js';
import { DOMAINS_COMMAND, domainsCommand, type DomainsArgs } from '../../src/cli/domains-options.js';
import { deliveryMessage as sent, logWriter, tlsMessage as tls } from '../helpers/maillog.js';
import { parseCommand } from '../helpers/parse-command.js';

/** Parses a command line the way main.ts registers the command. */
const parse = (argv: string[]): Promise<DomainsArgs> => parseCommand(DOMAINS_COMMAND, domainsCommand, argv);

async function run(argv: string[], stdin?: Readable): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runDomains(await parse(argv), { out: (t) => (out += t), err: (t) => (err += t), stdin });
  return { code, out, err };
}

const GOOGLE = 'gmail-smtp-in.l.google.com[142.250.27.26]:25';
const GOOGLE_ALT = 'alt1.gmail-smtp-in.l.google.com[142.250.153.27]:25';

/** Yesterday's log, rotated and gzipped: traditional timestamps. */
function olderLog(): string {
  const log = logWriter('syslog');
  return [
    log('postfix/smtp', 201, tls(GOOGLE, 'Verified')),
    log('postfix/smtp', 201, sent('A1', 'a@gmail.com', GOOGLE)),
    log('postfix/smtp', 202, 'Host offered STARTTLS: [mx.legacy.example]'),
    log('postfix/smtp', 202, sent('A2', 'a@legacy.example', 'mx.legacy.example[192.0.2.40]:25')),
    '',
  ].join('\n');
}

/** Today's log: RFC 3339 timestamps, another instance, IDN and mixed-case recipients. */
function currentLog(): string {
  const log = logWriter('rfc3339');
  return [
    log('postfix-out/smtp', 301, tls(GOOGLE_ALT, 'Trusted')),
    log('postfix-out/smtp', 301, sent('B1', 'b@GMail.com', GOOGLE_ALT)),
    log('postfix-out/smtp', 301, sent('B1', 'c@gmail.com', GOOGLE_ALT)),
    log('postfix-out/smtp', 302, tls('mx.xn--bcher-kva.example[192.0.2.50]:25', 'Untrusted')),
    log('postfix-out/smtp', 302, sent('B2', 'leser@bücher.example', 'mx.xn--bcher-kva.example[192.0.2.50]:25')),
    log('postfix-out/smtp', 303, sent('B3', 'x@slow.example', 'mx.slow.example[192.0.2.60]:25', 'deferred')),
    log('postfix/local', 304, 'B4: to=<root@mail.example>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)'),
    '',
  ].join('\n');
}

describe('mxtls domains', () => {
  let dir: string;
  let older: string;
  let current: string;
  let noTls: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mxtls-domains-'));
    older = join(dir, 'mail.log.1.gz');
    current = join(dir, 'mail.log');
    noTls = join(dir, 'no-tls.log');
    await writeFile(older, gzipSync(olderLog()));
    await writeFile(current, currentLog());
    const log = logWriter('syslog');
    await writeFile(
      noTls,
      [
        log('postfix/smtp', 1, sent('C1', 'a@gmail.com', GOOGLE)),
        log('postfix/smtp', 2, 'Host offered STARTTLS: [mx.legacy.example]'),
        log('postfix/smtp', 2, sent('C2', 'a@legacy.example', 'mx.legacy.example[192.0.2.40]:25')),
      ].join('\n'),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists one domain per line, most used first, ready for `mxtls scan -f -`', async () => {
    expect(await run([older, current])).toEqual({ code: 0, out: 'gmail.com\nlegacy.example\nxn--bcher-kva.example\n', err: '' });
  });

  it('--counts: a table with messages, plaintext deliveries and relays', async () => {
    const { code, out } = await run([older, current, '--counts']);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'domain                 messages  plaintext  relays',
        'gmail.com                     3          0  alt1.gmail-smtp-in.l.google.com, gmail-smtp-in.l.google.com',
        'legacy.example                1          1  mx.legacy.example',
        'xn--bcher-kva.example         1          0  mx.xn--bcher-kva.example',
        '',
      ].join('\n'),
    );
  });

  it('--format json: the rows, with deferred and bounced counts', async () => {
    const { code, out } = await run([older, current, '--format', 'json', '--min-messages', '0']);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { tlsLogged: boolean; domains: Array<Record<string, unknown>> };
    expect(doc.tlsLogged).toBe(true);
    expect(doc.domains.map((r) => r.domain)).toEqual(['gmail.com', 'legacy.example', 'xn--bcher-kva.example', 'slow.example']);
    expect(doc.domains[3]).toEqual({
      domain: 'slow.example',
      messages: 0,
      deferred: 1,
      bounced: 0,
      plaintext: 0,
      starttlsOffered: 0,
      relays: ['mx.slow.example'],
      tls: {},
      ciphers: [],
      tlsFailures: {},
    });
  });

  it('--min-messages and --plaintext-only select rows', async () => {
    expect((await run([older, current, '--min-messages', '2'])).out).toBe('gmail.com\n');
    expect((await run([older, current, '--plaintext-only'])).out).toBe('legacy.example\n');
  });

  it('reads a gzipped log from stdin ("-"), alone or between files', async () => {
    expect((await run(['-'], Readable.from([gzipSync(currentLog())]))).out).toBe('gmail.com\nxn--bcher-kva.example\n');
    expect((await run([older, '-', '--counts'], Readable.from([gzipSync(currentLog())]))).out).toMatch(/^gmail\.com +3 +0 /m);
  });

  it('without TLS lines, --plaintext-only lists what the log proves, warns, and exits 3', async () => {
    const { code, out, err } = await run([noTls, '--plaintext-only']);
    expect(out).toBe('legacy.example\n');
    expect(err).toMatch(/no "TLS connection established" lines \(smtp_tls_loglevel = 0\?\)/);
    expect(code).toBe(3);
  });

  it('exits 2 with the file name when a log cannot be read, printing no partial list', async () => {
    const { code, out, err } = await run([current, join(dir, 'missing.log')]);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toMatch(/^mxtls: .*missing\.log: ENOENT/);
  });

  it.each([
    [['mail.log', '--min-messages', '-1'], /--min-messages must be a whole number/],
    [['mail.log', '--min-messages', '1.5'], /--min-messages must be a whole number/],
    [['mail.log', '--format', 'csv'], /Invalid values/],
    [['mail.log', '--plaintext'], /Unknown argument: plaintext/],
    [[], /give one or more mail logs/],
  ])('rejects %j', async (argv, error) => {
    await expect(parse(argv)).rejects.toThrow(error);
  });
});
