// An MX provider is the registered domain of its MX host names (issue 16): mx1.mail.example.net
// and mx2.mail.example.net are one provider, example.net, whatever their addresses. The
// registered domain needs the Public Suffix List (mx.example.co.uk belongs to example.co.uk,
// not co.uk); tldts carries the list compiled into a trie and answers in well under a
// microsecond. Its module costs 45-60 ms to load (the trie is parsed), so it is not imported
// with the CLI: a run starts loading it (loadProviders) when it starts, while its first DNS
// lookups are out, and the first probe waits for it.
type GetDomain = (hostname: string) => string | null;

let loading: Promise<GetDomain> | undefined;

/** Starts loading the Public Suffix List; every later providerOf waits for the same load. */
export function loadProviders(): Promise<GetDomain> {
  loading ??= import('tldts').then((m) => (h: string) => m.getDomain(h));
  return loading;
}

/**
 * The provider key of an MX host: its registered domain under the ICANN section of the list.
 * Private suffixes (compute-1.amazonaws.com...) are left out on purpose: the hosts under them
 * run on one operator's network, and counting them together errs towards fewer connections.
 * An IP literal (an explicit next hop) or a name with no registered domain is its own provider.
 */
export async function providerOf(hostname: string): Promise<string> {
  const getDomain = await loadProviders();
  return getDomain(hostname) ?? hostname;
}
