/**
 * Server-rendered SVG bar charts: no JavaScript, no library. Each chart is an image with a
 * title and a description (role="img", aria-labelledby); the table beside it is the real
 * data, so the bars carry no text of their own. Bar lengths are computed in bigint from the
 * minor units (never a float of money), then drawn in whole viewBox units.
 */
import { html, type SafeHtml } from '#web/index.ts';

export type Bar = Readonly<{ label: string; amountMinor: bigint }>;

const width = 600;
const barHeight = 18;
const gap = 4;
const columnsHeight = 160;

function scaled(amountMinor: bigint, maxMinor: bigint, extent: number): number {
  if (maxMinor <= 0n || amountMinor <= 0n) return 0;
  return Number((amountMinor * BigInt(extent)) / maxMinor);
}

const maxOf = (bars: readonly Bar[]): bigint =>
  bars.reduce((max, bar) => (bar.amountMinor > max ? bar.amountMinor : max), 0n);

/** Horizontal bars, one per row (agencies, channels), longest = full width. */
export function barChart(id: string, title: string, description: string,
  bars: readonly Bar[]): SafeHtml {
  const max = maxOf(bars);
  const height = Math.max(1, bars.length) * (barHeight + gap);
  return html`<svg class="chart" id="${id}" xmlns="http://www.w3.org/2000/svg" role="img"
 aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${String(width)} ${String(height)}"
 width="100%" preserveAspectRatio="xMinYMin meet"><title id="${id}-title">${title}</title>
<desc id="${id}-desc">${description}</desc>${bars.map((bar, index) => html`<rect x="0" y="${
  String(index * (barHeight + gap))}" width="${String(scaled(bar.amountMinor, max, width))}"
 height="${String(barHeight)}" fill="#1d70b8"><title>${bar.label}</title></rect>`)}</svg>`;
}

/** Vertical columns, one per day of the period (days without money stay empty). */
export function columnChart(id: string, title: string, description: string,
  bars: readonly Bar[]): SafeHtml {
  const max = maxOf(bars);
  const slot = width / Math.max(1, bars.length);
  const columnWidth = Math.max(1, Math.floor(slot * 0.8));
  return html`<svg class="chart" id="${id}" xmlns="http://www.w3.org/2000/svg" role="img"
 aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${String(width)} ${
  String(columnsHeight)}" width="100%" preserveAspectRatio="xMinYMin meet"><title id="${
  id}-title">${title}</title><desc id="${id}-desc">${description}</desc>
<line x1="0" y1="${String(columnsHeight)}" x2="${String(width)}" y2="${String(columnsHeight)}"
 stroke="#505a5f"/>${bars.map((bar, index) => {
    const extent = scaled(bar.amountMinor, max, columnsHeight);
    return html`<rect x="${String(Math.floor(index * slot))}" y="${
      String(columnsHeight - extent)}" width="${String(columnWidth)}" height="${
      String(extent)}" fill="#1d70b8"><title>${bar.label}</title></rect>`;
  })}</svg>`;
}
