// --metrics and --expiry-warn, declared once for every command that writes metrics (scan,
// policy), so they mean the same everywhere. Small: main.ts loads it for the help text.

export const METRICS_OPTION = {
  type: 'string',
  describe: 'also write run metrics in the Prometheus text format to FILE, atomically (for node_exporter\'s textfile collector: name it *.prom)',
} as const;

export const EXPIRY_WARN_OPTION = {
  type: 'number',
  default: 14,
  describe: 'with --diff or --metrics: count certificates expiring within DAYS',
} as const;
