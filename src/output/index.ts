// One entry point for the CLI: pick a format, then feed it domains as they finish. Streaming
// formats return their text per domain, so output appears (and can be written to a file)
// while a long batch runs; table and JSON need every domain first and emit at the end.

import type { DomainResult, PolicyRecommendation } from '../types.js';
import { renderDetail } from './detail.js';
import type { OutputItem } from './item.js';
import { renderJson, type JsonMeta } from './json.js';
import type { MapWriter } from './map-file.js';
import { createNdjsonWriter, type Detail } from './ndjson.js';
import { createPerSiteWriter } from './per-site.js';
import { createPolicyWriter, type PolicyFileMeta } from './policy-file.js';
import { renderSummaryTable } from './table.js';

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'policy', 'per-site'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export type OutputMeta = PolicyFileMeta &
  JsonMeta & {
    /** ANSI colour in the table formats. */
    color?: boolean;
    /** The moment certificate "days left" is counted from (tests fix it). */
    now?: Date;
    /** ndjson: records once per file and compact lines (default), or whole lines. */
    detail?: Detail;
  };

export interface Renderer {
  begin(): string;
  /** Text to emit now that this domain is done ('' when the format waits for the end). */
  domain(result: DomainResult, rec: PolicyRecommendation): string;
  end(): string;
}

function streaming(writer: MapWriter): Renderer {
  return { begin: writer.header, domain: writer.entry, end: writer.footer };
}

function buffered(finish: (items: readonly OutputItem[]) => string): Renderer {
  const items: OutputItem[] = [];
  return {
    begin: () => '',
    domain: (result, rec) => {
      items.push({ result, rec });
      return '';
    },
    end: () => finish(items),
  };
}

export function createRenderer(format: OutputFormat, meta: OutputMeta): Renderer {
  const color = meta.color ?? false;
  switch (format) {
    case 'ndjson':
      return { begin: () => '', domain: createNdjsonWriter(meta.detail), end: () => '' };
    case 'policy':
      return streaming(createPolicyWriter(meta));
    case 'per-site':
      return streaming(createPerSiteWriter(meta));
    case 'json':
      return buffered((items) => renderJson(meta, items));
    case 'table':
      return buffered((items) => {
        const only = items.length === 1 ? items[0] : undefined;
        return only ? renderDetail(only.result, only.rec, { color, now: meta.now }) : renderSummaryTable(items, { color });
      });
  }
}

export { renderDetail } from './detail.js';
export { createAtomicWriter, writeFileAtomic, type AtomicWriter } from './atomic-file.js';
export { renderJson, jsonReport, type DomainReport, type JsonReport } from './json.js';
export { ndjsonLine, createNdjsonWriter, DETAILS, type Detail } from './ndjson.js';
export { createPerSiteWriter, renderPerSiteFile, perSiteValueFor } from './per-site.js';
export { renderPolicyFile, createPolicyWriter } from './policy-file.js';
export { sanitizeText } from './sanitize.js';
export { isValidPolicyKey } from '../policy/postfix-syntax.js';
export { renderSummaryTable } from './table.js';
export type { OutputItem } from './item.js';
