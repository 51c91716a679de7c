import type { Argv } from 'yargs';

/** The options that shape a policy line, shared by `scan` and `policy` so both mean the same. */
export function policyOptions<T>(y: Argv<T>) {
  return y
    .option('partial', { choices: ['cap', 'observed'] as const, default: 'cap' as const, describe: 'unobserved MX hosts cap the line at may (cap), or are ignored (observed)' })
    .option('mixed', { choices: ['weakest', 'strongest'] as const, default: 'weakest' as const, describe: 'level of the weakest MX host, or of the strongest most-preferred one' })
    .option('omit-may', { type: 'boolean', default: false, describe: 'policy formats: comment out "may" lines (they repeat smtp_tls_security_level = may)' })
    .option('postfix', {
      type: 'string',
      describe: 'Postfix version the policy file is written for, e.g. 3.7.11 or 3.10.5 (default: the local postconf mail_version, else output Postfix 2.11-3.9 accepts)',
    });
}
