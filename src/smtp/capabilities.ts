// EHLO capabilities as tokens (RFC 5321 §4.1.1.1). Keywords are compared as whole tokens, never
// searched for in the raw text: "250-XSTARTTLSX" or "250-AUTH STARTTLS" does not offer STARTTLS.
import type { SmtpReply } from '../types.js';

// ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
const EHLO_KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** The keywords of an EHLO reply, upper case, in order, without duplicates. The first line is
 *  the server's name and greeting, not a capability; lines without a valid keyword are skipped. */
export function ehloKeywords(reply: SmtpReply): string[] {
  const keywords: string[] = [];
  for (const line of reply.lines.slice(1)) {
    const token = line.split(' ', 1)[0] ?? '';
    if (!EHLO_KEYWORD.test(token)) continue;
    const keyword = token.toUpperCase();
    if (!keywords.includes(keyword)) keywords.push(keyword);
  }
  return keywords;
}

/** Whether `keyword` is one of the tokens (case-insensitive). */
export function hasKeyword(keywords: readonly string[], keyword: string): boolean {
  return keywords.includes(keyword.toUpperCase());
}
