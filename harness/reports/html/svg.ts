/**
 * Vega-Lite specs rendered to SVG text in Node: compiled by vega-lite, drawn by vega's headless view
 * (`renderer: 'none'`, no canvas, no browser), so the report needs no script to be read.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Fonts every system has, so a chart reads the same wherever the file is opened. */
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';

const CONFIG: TopLevelSpec['config'] = {
  font: FONT,
  // No accessible name per bar and point: it would triple the file; the axes and legends keep theirs.
  mark: { aria: false },
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
};

/**
 * The chart as an `<svg>` element. Vega numbers clip paths and gradients from 1 in every chart, so
 * the ids are prefixed with `idPrefix` to keep them unique among the charts of one page.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const datasets = new Map<string, unknown[]>();
  const named = withNamedData({ ...spec, config: { ...CONFIG, ...spec.config } }, datasets) as TopLevelSpec;
  const view = new View(parse(compile(named).spec), { renderer: 'none' });
  try {
    for (const [name, values] of datasets) view.data(name, values);
    const svg = await view.toSVG();
    return compactItems(svg)
      .replace(/\bid="([^"]+)"/g, `id="${idPrefix}-$1"`)
      .replace(/url\(#([^)]+)\)/g, `url(#${idPrefix}-$1)`)
      .replace(/href="#([^"]+)"/g, `href="#${idPrefix}-$1"`);
  } finally {
    view.finalize();
  }
}

/**
 * Geometry to a hundredth of a pixel (vega writes 15 digits), and each mark's items without the
 * aria-hidden their hidden group already has: both only make the file larger.
 */
function compactItems(svg: string): string {
  return svg.replace(/<(path|text|line|rect) aria-hidden="true"/g, '<$1').replace(/ (d|transform)="([^"]*)"/g, (_match, name: string, value: string) => ` ${name}="${value.replace(/-?\d+\.\d{3,}/g, (n) => String(Math.round(Number(n) * 100) / 100))}"`);
}

/**
 * The spec with each inline `data: { values }` replaced by a named source, its values kept aside to be
 * handed to the view: compiling and parsing then do not copy thousands of rows.
 */
function withNamedData(node: unknown, datasets: Map<string, unknown[]>): unknown {
  if (Array.isArray(node)) return node.map((item) => withNamedData(item, datasets));
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const values = key === 'data' && value !== null && typeof value === 'object' ? (value as { values?: unknown }).values : undefined;
    if (Array.isArray(values)) {
      const name = `inline_${datasets.size}`;
      datasets.set(name, values);
      copy[key] = { name };
    } else copy[key] = withNamedData(value, datasets);
  }
  return copy;
}
