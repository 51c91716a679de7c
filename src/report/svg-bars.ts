// A horizontal bar chart as inline SVG: the report must work as a mail attachment, so no chart
// library fetched from a CDN and no canvas drawn by script. One bar per row, its label on the
// left and its count on the right; the SVG scales to the page width through its viewBox.
import { html, type SafeHtml } from './html.js';

export interface Bar {
  label: string;
  value: number;
  /** A CSS class of the report's stylesheet (bar colours live there, not in the SVG). */
  tone: string;
}

export interface BarChartOptions {
  /** Read by screen readers in place of the drawing. */
  title: string;
  /** The value of a full-width bar (default: the largest value); adoption charts use the total. */
  max?: number;
}

const ROW = 28;
const BAR = 18;
const LABEL_WIDTH = 130;
const BAR_WIDTH = 210;
const COUNT_WIDTH = 70;
const WIDTH = LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH;

/** An SVG element; an empty chart is a line of text, not an empty frame. */
export function barChart(bars: readonly Bar[], options: BarChartOptions): SafeHtml {
  if (bars.length === 0) return html`<p class="empty">nothing to chart</p>`;
  const max = Math.max(options.max ?? 0, ...bars.map((b) => b.value), 1);
  const height = bars.length * ROW;
  const rows = bars.map((bar, i) => {
    const y = i * ROW;
    const width = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / max) * BAR_WIDTH));
    const share = options.max ? ` (${Math.round((bar.value / options.max) * 100)}%)` : '';
    return html`<g class="${bar.tone}">
<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2}" text-anchor="end" dominant-baseline="middle">${bar.label}</text>
<rect x="${LABEL_WIDTH}" y="${y + (ROW - BAR) / 2}" width="${width}" height="${BAR}" rx="3"></rect>
<text x="${LABEL_WIDTH + width + 6}" y="${y + ROW / 2}" dominant-baseline="middle" class="count">${bar.value}${share}</text></g>`;
  });
  return html`<svg class="chart" role="img" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" preserveAspectRatio="xMinYMin meet"><title>${options.title}</title>${rows}</svg>`;
}
