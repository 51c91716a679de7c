// The Prometheus text exposition format (0.0.4), the one node_exporter's textfile collector
// reads: https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
// Per family one HELP line, one TYPE line, then its samples, each family exactly once (a second
// TYPE line for a name is a parse error). No timestamps: the textfile collector rejects them.

/** One sample of a family: its labels (values are any text) and its value. */
export interface Sample {
  labels?: Readonly<Record<string, string>>;
  value: number;
}

/** Every mxtls metric is a gauge: a run's figures are set, not incremented over its life. */
export interface Family {
  name: string;
  help: string;
  samples: readonly Sample[];
}

// The format's grammar for names: a name that breaks it is a bug of ours, never data.
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** "label_value can be any sequence of UTF-8 characters, but the backslash (\), double-quote
 *  ("), and line feed (\n) characters have to be escaped as \\, \", and \n". A lone surrogate
 *  becomes U+FFFD when the text is encoded as UTF-8, as the format requires. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`));
}

/** HELP text escapes only the backslash and the line feed. */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (ch) => (ch === '\n' ? '\\n' : '\\\\'));
}

/** Go's ParseFloat spellings, which Prometheus reads: NaN, +Inf, -Inf. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  for (const [name] of entries) if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`invalid label name ${JSON.stringify(name)}`);
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/** The families as one exposition text, in the order given. */
export function renderExposition(families: readonly Family[]): string {
  const seen = new Set<string>();
  return families
    .map(({ name, help, samples }) => {
      if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
      if (seen.has(name)) throw new Error(`metric ${name} given twice`);
      seen.add(name);
      const lines = [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} gauge`];
      for (const s of samples) lines.push(`${name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
      return `${lines.join('\n')}\n`;
    })
    .join('');
}
