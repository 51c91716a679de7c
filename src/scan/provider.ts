// An MX provider is the registered domain of its MX host names (issue 16): mx1.mail.example.net
// and mx2.mail.example.net are one provider, example.net, whatever their addresses. The
// registered domain needs the Public Suffix List (mx.example.co.uk belongs to example.co.uk,
// not co.uk); tldts carries the list compiled into a trie and answers in well under a
// microsecond. Its module costs ~45 ms to load, so it is imported on the first probe, not
// with the CLI.
type GetDomain = (hostname: string) => string | null;

let loading: Promise<GetDomain> | undefined;

/**
 * The provider key of an MX host: its registered domain under the ICANN section of the list.
 * Private suffixes (compute-1.amazonaws.com...) are left out on purpose: the hosts under them
 * run on one operator's network, and counting them together errs towards fewer connections.
 * An IP literal (an explicit next hop) or a name with no registered domain is its own provider.
 */
export async function providerOf(hostname: string): Promise<string> {
  loading ??= import('tldts').then((m) => (h: string) => m.getDomain(h));
  const getDomain = await loading;
  return getDomain(hostname) ?? hostname;
}
