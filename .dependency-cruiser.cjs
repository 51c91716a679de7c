// The layers of src/, lowest first. A module may import from its own layer or a lower one,
// never from a higher one, and no import cycle is allowed (ARCHITECTURE.md, "Layout": "a module
// imports only from modules below it in the flow"). Checked by test/unit/architecture-layers.test.ts.
const LAYERS = [
  // Result types, closed vocabularies, small helpers: everything uses them, they use nothing of ours.
  { name: 'base', path: '^src/(types|key-exchange|net-errors|version)\\.ts$|^src/util/' },
  // The spelling of DNS names, host names and Postfix next hops: pure, needed from dns to policy.
  { name: 'name', path: '^src/name/' },
  // Certificate facts, the TLS handshake, the SMTP session: one connection, no declarations.
  { name: 'transport', path: '^src/(tls|smtp)/' },
  // Each declaration's record syntax and matching (DANE reads certificates, so above tls).
  { name: 'declarations', path: '^src/(dane|mta-sts|tls-rpt)/' },
  // The DNS client decodes TLSA RDATA with DANE's record syntax, so it sits above the declarations.
  { name: 'dns', path: '^src/dns/' },
  // One address -> AddressProbe, over smtp and tls.
  { name: 'probe', path: '^src/probe/' },
  // One domain -> DomainResult: dns, probes, declarations.
  { name: 'scan', path: '^src/scan/' },
  // Reading files: domain lists into the scan's entries, saved results for the diff and replay.
  { name: 'input', path: '^src/input/' },
  // DomainResult -> Recommendation (pure) and Postfix syntax.
  { name: 'policy', path: '^src/policy/' },
  // Renderers and their building blocks (sanitise, style, JSON, atomic files).
  { name: 'output', path: '^src/output/' },
  // Comparing runs; renders changes with output's building blocks.
  { name: 'diff', path: '^src/diff/' },
  // Consumers of results: the run and the observers and tools beside it.
  { name: 'consumers', path: '^src/(run|metrics|report|install|maillog)/' },
  // yargs commands: options -> run -> exit code.
  { name: 'cli', path: '^src/cli/' },
  // The public library entry.
  { name: 'entry', path: '^src/index\\.ts$' },
];

/** One rule per layer: nothing in it may import from any layer above it. */
const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-upward-from-${layer.name}`,
  comment: `${layer.name} may import only from its own layer or below`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: LAYERS.slice(i + 1).map((l) => `(?:${l.path})`).join('|') },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'an import cycle has no layer order',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-unlayered',
      comment: 'every module of src/ belongs to a layer: add a new folder to LAYERS',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.map((l) => `(?:${l.path})`).join('|') },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
