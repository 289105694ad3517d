import { describe, expect, it } from 'vitest';
import { LABEL_COLOR, LABEL_HALO_COLOR, LABEL_HALO_PX, latencySpec, timelineSpec } from './charts.ts';
import { recordedSpans } from './testing.ts';
import { timelineData } from './timeline.ts';

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

interface Layer {
  mark: { type: string; color?: string; stroke?: string; strokeWidth?: number };
  data: { values: { label?: string }[] };
}

describe('the longest hold\'s label', () => {
  const data = timelineData(recordedSpans(), 0);
  const axis = { domainS: [0, 17] as [number, number], windows: [] };
  const layers = (timelineSpec(data, axis) as unknown as { layer: Layer[] }).layer;
  const texts = layers.filter((l) => l.mark.type === 'text' && l.data.values.some((v) => v.label?.startsWith('longest hold')));

  it('is drawn over a white halo, so the dark bar it crosses never hides it', () => {
    expect(texts).toHaveLength(2);
    const [halo, label] = texts;
    expect(halo!.mark).toMatchObject({ color: LABEL_HALO_COLOR, stroke: LABEL_HALO_COLOR });
    expect(halo!.mark.strokeWidth).toBeGreaterThanOrEqual(3);
    expect(label!.mark.color).toBe(LABEL_COLOR);
    expect(LABEL_HALO_PX).toBe(halo!.mark.strokeWidth);
  });

  it('reads against its halo at WCAG AA contrast for text (4.5:1)', () => {
    expect(contrast(LABEL_COLOR, LABEL_HALO_COLOR)).toBeGreaterThanOrEqual(4.5);
  });
});

interface ColorScale {
  encoding?: { color?: { scale?: { domain: string[]; range: string[] } } };
}

function colorsOf(spec: unknown): Map<string, string> {
  const layer = (spec as { layer: ColorScale[] }).layer.find((l) => l.encoding?.color?.scale)!;
  const { domain, range } = layer.encoding!.color!.scale!;
  return new Map(domain.map((d, i) => [d, range[i]!]));
}

describe('stream colours', () => {
  it('are the same in the timeline and the latency chart, whichever streams held the lock', () => {
    const hold = (startMs: number, stream: string) => ({
      startMs, endMs: startMs + 5, acquiredAfterMs: startMs, releasedAfterMs: startMs + 5, pid: 1, startedBy: 'acquire' as const, endedBy: 'release' as const,
      holder: 'target' as const, command: 'gunicorn', worker: true, attribution: { kind: 'exact' as const, stream },
    });
    // `a-reads` never held the lock: `imports` is still the third stream in both charts.
    const data = timelineData({ target: [], workflowWriters: [], observed: { pids: { target: 1, workflowWriters: 2, observer: 3 }, intervalUs: 250, windowStartMs: 0, windowEndMs: 100, writeSpans: [hold(10, 'imports'), hold(20, 'catalog')] } }, 0);
    const axis = { domainS: [0, 1] as [number, number], windows: [] };
    const point = (stream: string) => ({ stream, sentMs: 0, latencyMs: 1, failed: false, requests: 1 });
    const timeline = colorsOf(timelineSpec(data, axis, ['imports', 'catalog', 'a-reads']));
    const latency = colorsOf(latencySpec({ points: ['a-reads', 'catalog', 'imports'].map(point), requests: 3, binned: false }, axis));
    expect(timeline.get('imports')).toBe(latency.get('imports'));
    expect(timeline.get('catalog')).toBe(latency.get('catalog'));
    expect(new Set(latency.values()).size).toBe(3);
  });
});
