import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../src/errors.js';
import { PLOTLY_MIME, adherenceByModeFigure, chartBundle, distanceDistributionFigure, keyHeatmapFigure } from '../../src/display/index.js';
import type { PlotlyFigure } from '../../src/display/index.js';

const rows = [
  { model: 'm', mode: 'primed', duration_adherence: 0.2, velocity_adherence: 0.1, duration_distance: 100 },
  { model: 'm', mode: 'primed', duration_adherence: 0.4, velocity_adherence: 0.3, duration_distance: 300 },
  { model: 'm', mode: 'forced', duration_adherence: 1.0, duration_adherence_ci: [0.9, 1.0], duration_distance: 0 },
];

describe('adherenceByModeFigure', () => {
  it('averages each metric per mode, in percent, with a 95% normal interval over rows', () => {
    const f = adherenceByModeFigure(rows);
    expect(f.data.map((t) => t['name'])).toEqual(['duration', 'velocity']);
    const d = f.data[0] as { x: string[]; y: number[]; error_y: { array: number[]; arrayminus: number[] } };
    expect(d.x).toEqual(['primed', 'forced']);
    expect(d.y[0]).toBeCloseTo(30);
    // sd of (0.2, 0.4) = 0.1414; 1.96·sd/√2 = 0.196 → 19.6 %.
    expect(d.error_y.array[0]).toBeCloseTo(19.6, 1);
    // A single row with its own interval uses it: [0.9, 1.0] around 1.0.
    expect(d.error_y.arrayminus[1]).toBeCloseTo(10);
    expect(d.error_y.array[1]).toBeCloseTo(0);
  });

  it('prefixes the model when several models are present', () => {
    const f = adherenceByModeFigure([...rows, { model: 'n', mode: 'primed', duration_adherence: 0.5 }]);
    expect((f.data[0] as { x: string[] }).x).toEqual(['m / primed', 'm / forced', 'n / primed']);
  });
});

describe('distanceDistributionFigure', () => {
  it('makes one box trace per mode with the distance values', () => {
    const f = distanceDistributionFigure(rows);
    expect(f.data.map((t) => [t['type'], t['name'], t['y']])).toEqual([
      ['box', 'primed', [100, 300]],
      ['box', 'forced', [0]],
    ]);
  });
});

describe('keyHeatmapFigure', () => {
  it('counts requested against detected keys from distributions and single detections, in key order', () => {
    const f = keyHeatmapFigure([
      { key: 'A:min', key_distribution: { 'A:min': 3, 'C:maj': 1 } },
      { key: 'C:maj', detected: 'C:maj' },
      { key: 'C:maj', detected: 'C:maj' },
      { key: null, detected: 'D:maj' },
    ]);
    const t = f.data[0] as { x: string[]; y: string[]; z: number[][] };
    expect(t.y).toEqual(['C:maj', 'A:min']);
    expect(t.x).toEqual(['C:maj', 'A:min']);
    expect(t.z).toEqual([
      [2, 0],
      [1, 3],
    ]);
  });

  it('rejects a detected value that is neither a key nor counts', () => {
    expect(() => keyHeatmapFigure([{ key: 'C:maj', detected: 5 }])).toThrow(EmotuneError);
  });
});

describe('chartBundle', () => {
  it('falls back to an SVG bar chart with one bar per value for bar figures', () => {
    const b = chartBundle(adherenceByModeFigure(rows));
    expect((b.data[PLOTLY_MIME] as PlotlyFigure).data).toHaveLength(2);
    const html = b.data['text/html'] as string;
    // duration: 2 bars, velocity: 1 bar (forced has no velocity).
    expect(html.match(/class="emotune-bar"/g)).toHaveLength(3);
    expect(b.data['text/plain']).toContain('duration: primed=30.00, forced=100');
  });

  it('falls back to a table for heatmaps and a summary for box plots', () => {
    expect(chartBundle(keyHeatmapFigure([{ key: 'C:maj', detected: 'C:maj' }])).data['text/html']).toContain('emotune-heatmap');
    const box = chartBundle(distanceDistributionFigure(rows)).data['text/html'] as string;
    expect(box).toContain('emotune-chart-summary');
    // primed: n=2, min 100, q1 150, median 200, q3 250, max 300, mean 200.
    const cells = [...(box.match(/<th>primed<\/th>(.*?)<\/tr>/)?.[1] ?? '').matchAll(/>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(['2', '100', '150', '200', '250', '300', '200']);
  });

  it('escapes trace names and categories in the fallback', () => {
    const fig = { data: [{ type: 'bar', name: '<script>alert(1)</script>', x: ['<img src=x onerror=alert(1)>'], y: [1] }], layout: { title: '<svg onload=x>' } };
    const html = chartBundle(fig).data['text/html'] as string;
    expect(html).not.toMatch(/<script|<img|<svg onload/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('rejects something that is not a figure', () => {
    expect(() => chartBundle({} as never)).toThrow(/figure\.data/);
  });
});
