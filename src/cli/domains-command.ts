import type { Readable } from 'node:stream';
import { summarizeMailLogs, type DomainRow, type MailLogSummary } from '../maillog/aggregate.js';
import { renderDomainJson, renderDomainList, renderDomainTable } from '../maillog/render.js';
import { EXIT } from './exit-codes.js';
import { logPaths, type DomainsArgs } from './domains-options.js';

/** Where the command writes and reads; tests pass their own. */
export interface DomainsIO {
  out(text: string): void;
  err(text: string): void;
  stdin?: Readable;
}

export const processIO: DomainsIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Sent without TLS, as far as the log can tell: without TLS lines, only "Host offered STARTTLS" proves it. */
function knownPlaintext(row: DomainRow): number {
  return row.plaintext ?? row.starttlsOffered;
}

/** The domains command: mail logs → recipient domains delivered to over SMTP → exit code. */
export async function runDomains(args: DomainsArgs, io: DomainsIO = processIO): Promise<number> {
  let summary: MailLogSummary;
  try {
    summary = await summarizeMailLogs(logPaths(args), io.stdin);
  } catch (err) {
    io.err(`mxtls: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.usage;
  }

  const { tlsLogged, domains } = summary;
  const rows = domains.filter((r) => r.messages >= args['min-messages'] && (!args['plaintext-only'] || knownPlaintext(r) > 0));
  const plaintextUnknown = !tlsLogged && domains.length > 0;
  if (plaintextUnknown && (args['plaintext-only'] || args.counts || args.format === 'json')) {
    io.err('mxtls: the log has no "TLS connection established" lines (smtp_tls_loglevel = 0?): plaintext deliveries cannot be told apart\n');
  }

  if (args.format === 'json') io.out(renderDomainJson(tlsLogged, rows));
  else io.out(args.counts ? renderDomainTable(rows) : renderDomainList(rows));
  // A plaintext list drawn from a log without TLS lines can be missing domains.
  return args['plaintext-only'] && plaintextUnknown ? EXIT.incomplete : EXIT.ok;
}
