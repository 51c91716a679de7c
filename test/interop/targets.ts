// The real servers the interop tests probe: one recipient domain each, whose single MX
// `mx.<domain>` is a real MTA (Postfix, or Exim with GnuTLS) on 127.0.0.6x:25 (the default SMTP port, so mxtls and Postfix's
// smtp client need no port option). `expect` is what the case is built to show; both probes
// are held to it, so a fixture that silently built something else fails too.
import type { CertKind } from '../../fixtures/scenarios.js';
import type { FingerTrust } from '../../fixtures/mta/posttls-finger.js';
import type { PolicyLevel } from '../../src/types.js';

export interface InteropTarget {
  /** Names the listener too: `<name>.<server>.test`. */
  name: string;
  server: 'postfix' | 'exim';
  domain: string;
  mx: string;
  host: string;
  what: string;
  cert?: { kind: CertKind; names: string[]; keyType?: 'rsa' | 'ecdsa' };
  /** Postfix smtpd parameters for this listener only. */
  overrides: Record<string, string>;
  /** An MTA-STS policy in enforce mode with these mx patterns (and a TLS-RPT record). */
  mtaSts?: string[];
  expect: { starttls: boolean; trust?: FingerTrust; protocol?: string; level: PolicyLevel };
}

export const SMTP_PORT = 25;
/** glibc (Postfix's resolver) only asks port 53. */
export const DNS_HOST = '127.0.0.153';
/** The MTA-STS policy host (any free port: mxtls --https-port). */
export const POLICY_HOST = '127.0.0.154';

function target(server: InteropTarget['server'], name: string, host: string, what: string, rest: Pick<InteropTarget, 'expect'> & Partial<InteropTarget>): InteropTarget {
  const domain = `${name}.${server}.test`;
  return { server, name, domain, mx: `mx.${domain}`, host, what, overrides: {}, ...rest };
}

/** Two labels below stsdeep.postfix.test: what `*.stsdeep.postfix.test` does not cover. */
export const DEEP_MX = 'mx.a.stsdeep.postfix.test';

const labCert = (name: string, keyType?: 'ecdsa') => ({ kind: 'lab' as const, names: [`mx.${name}.postfix.test`], ...(keyType ? { keyType } : {}) });

export const POSTFIX_TARGETS: InteropTarget[] = [
  target('postfix', 'valid', '127.0.0.61', 'valid chain from the lab CA', { cert: labCert('valid'), expect: { starttls: true, trust: 'Verified', level: 'verify' } }),
  target('postfix', 'selfsigned', '127.0.0.62', 'self-signed certificate', {
    cert: { kind: 'self-signed', names: ['mx.selfsigned.postfix.test'] },
    expect: { starttls: true, trust: 'Untrusted', level: 'encrypt' },
  }),
  target('postfix', 'expired', '127.0.0.63', 'expired certificate from the lab CA', {
    cert: { kind: 'expired', names: ['mx.expired.postfix.test'] },
    expect: { starttls: true, trust: 'Untrusted', level: 'encrypt' },
  }),
  target('postfix', 'mismatch', '127.0.0.64', 'trusted certificate for another name', {
    cert: { kind: 'lab', names: ['mail.other.test'] },
    expect: { starttls: true, trust: 'Trusted', level: 'encrypt' },
  }),
  target('postfix', 'nostarttls', '127.0.0.65', 'no STARTTLS (smtpd_tls_security_level=none)', {
    overrides: { smtpd_tls_security_level: 'none' },
    expect: { starttls: false, level: 'may' },
  }),
  target('postfix', 'tls12', '127.0.0.66', 'TLS 1.2 at most (smtpd_tls_protocols)', {
    cert: labCert('tls12'),
    overrides: { smtpd_tls_protocols: '<=TLSv1.2' },
    expect: { starttls: true, trust: 'Verified', protocol: 'TLSv1.2', level: 'verify' },
  }),
  target('postfix', 'ecdsa', '127.0.0.67', 'ECDSA P-256 leaf', { cert: labCert('ecdsa', 'ecdsa'), expect: { starttls: true, trust: 'Verified', level: 'verify' } }),
  target('postfix', 'nointermediate', '127.0.0.68', 'leaf served without its intermediate', {
    cert: { kind: 'no-intermediate', names: ['mx.nointermediate.postfix.test'] },
    expect: { starttls: true, trust: 'Untrusted', level: 'encrypt' },
  }),
  target('postfix', 'sts', '127.0.0.71', 'MTA-STS enforce, mx: *.sts.postfix.test', {
    cert: labCert('sts'),
    mtaSts: ['*.sts.postfix.test'],
    expect: { starttls: true, trust: 'Verified', level: 'secure' },
  }),
  // The certificate also names mx.a.stsdeep.postfix.test: moved there (two labels below the
  // pattern's domain), the MX still passes Postfix's match=.stsdeep.postfix.test, but not
  // RFC 8461's *.stsdeep.postfix.test (test/interop/postfix310.test.ts).
  target('postfix', 'stsdeep', '127.0.0.72', 'MTA-STS enforce, mx: *.stsdeep.postfix.test', {
    cert: { kind: 'lab', names: ['mx.stsdeep.postfix.test', DEEP_MX] },
    mtaSts: ['*.stsdeep.postfix.test'],
    expect: { starttls: true, trust: 'Verified', level: 'secure' },
  }),
];

/** Exim, Debian's build: GnuTLS, where Postfix and Node both use OpenSSL. */
export const EXIM_TARGET: InteropTarget = target('exim', 'valid', '127.0.0.69', 'Exim 4 with GnuTLS, valid chain', {
  cert: { kind: 'lab', names: ['mx.valid.exim.test'] },
  expect: { starttls: true, trust: 'Verified', level: 'verify' },
});
