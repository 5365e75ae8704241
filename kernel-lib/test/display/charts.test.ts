import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../src/errors.js';
import {
  PLOTLY_MIME,
  adherenceByModeFigure,
  chartBundle,
  distanceDistributionFigure,
  keyHeatmapFigure,
} from '../../src/display/index.js';
import type { PlotlyFigure } from '../../src/display/index.js';

const rows = [
  { model: 'm', mode: 'primed', duration_adherence: 0.2, velocity_adherence: 0.1, duration_distance: 100 },
  { model: 'm', mode: 'primed', duration_adherence: 0.4, velocity_adherence: 0.3, duration_distance: 300 },
  { model: 'm', mode: 'forced', duration_adherence: 1.0, duration_adherence_ci: [0.9, 1.0], duration_distance: 0 },
];

describe('adherenceByModeFigure', () => {
  it('draws the chance level across the emotion and key bars, and the real-music ceiling across the emotion bars only', () => {
    const reference = {
      floor: { emotion_chance: 0.25, key_exact_chance: 1 / 24 },
      ceiling: {
        emotion: { overall: { estimate: 0.6566 } },
        key: { methods: [{ method: 'kk-cosine', accuracy: { estimate: 0.8325 } }] },
      },
    };
    const recs = [
      { model: 'm', mode: 'primed', duration_adherence: 0.4, emotion_adherence: 0.5, key_adherence: 0.3 },
      { model: 'm', mode: 'forced', duration_adherence: 1, emotion_adherence: 0.6, key_adherence: 0.2 },
    ];
    const f = adherenceByModeFigure(recs, { reference });
    const shapes = f.layout?.['shapes'] as Array<{ name: string; x0: number; x1: number; y0: number; y1: number }>;
    // emotion (chance and ceiling) and key (chance only: its finder accuracy is on another population), two
    // modes; none for duration (no reference value).
    expect(shapes).toHaveLength(6);
    const at = (name: string, y: number) => shapes.filter((s) => s.name === name && Math.abs(s.y0 - y) < 1e-9);
    expect(at('reference:chance', 25)).toHaveLength(2);
    expect(at('reference:ceiling', 65.66)).toHaveLength(2);
    expect(at('reference:chance', 100 / 24)).toHaveLength(2);
    expect(at('reference:ceiling', 83.25)).toHaveLength(0);
    // Each line spans its own bar: emotion is the second of three bars in a group 0.8 wide around the category.
    const emotionPrimed = at('reference:chance', 25).find((s) => s.x0 < 0.5)!;
    expect(emotionPrimed.x0).toBeCloseTo(-0.4 + 0.8 / 3);
    expect(emotionPrimed.x1).toBeCloseTo(-0.4 + (2 * 0.8) / 3);
    expect(f.layout).toMatchObject({ bargap: 0.2, bargroupgap: 0 });
    // Named in the legend and in the bar's hover; the static fallback draws them too.
    expect(f.data.map((t) => t['name'])).toEqual(
      expect.arrayContaining(['chance level (random answer)', 'real music (ceiling)']),
    );
    expect((f.data[1] as { customdata: string[] }).customdata[0]).toContain('chance 25.0%, real music 65.7%');
    const html = chartBundle(f).data['text/html'] as string;
    expect(html.match(/class="emotune-reference"/g)).toHaveLength(6);
    expect(html).toContain('real music (ceiling)');
  });

  it("draws each bar's own label-shuffled floor across it (dashed), says it in the hover and in every fallback", () => {
    const recs = [
      { model: 'm', mode: 'primed', duration_adherence: 0.12, duration_adherence_floor: 0.08, emotion_adherence: 0.5 },
      {
        model: 'm',
        mode: 'deterministic',
        duration_adherence: 0.15,
        duration_adherence_floor: 0.1,
        emotion_adherence: 0.6,
      },
      // A group of two rows has no single floor: none drawn.
      { model: 'n', mode: 'primed', duration_adherence: 0.1, duration_adherence_floor: 0.05 },
      { model: 'n', mode: 'primed', duration_adherence: 0.2, duration_adherence_floor: 0.06 },
    ];
    const f = adherenceByModeFigure(recs);
    const shapes = f.layout?.['shapes'] as Array<{ name: string; y0: number; x0: number; line: { dash: string } }>;
    expect(shapes.map((s) => [s.name, Math.round(s.y0 * 1e6) / 1e6])).toEqual([
      ['reference:floor', 8],
      ['reference:floor', 10],
    ]);
    expect(shapes[0]!.line.dash).toBe('dash');
    expect(f.data.map((t) => t['name'])).toContain('floor (same songs, requests shuffled)');
    expect((f.data[0] as { customdata: string[] }).customdata[0]).toContain('floor (requests shuffled) 8.0%');
    const html = chartBundle(f).data['text/html'] as string;
    expect(html.match(/class="emotune-reference"[^>]*stroke-dasharray="6 3"/g)).toHaveLength(2);
    expect(chartBundle(f).data['text/plain']).toContain('m / primed=12 (floor 8.0%)');
    // With chance and ceiling too, both legends list the marks in one order: chance, ceiling, floor.
    const both = adherenceByModeFigure(recs, {
      reference: { floor: { emotion_chance: 0.25 }, ceiling: { emotion: { overall: { estimate: 0.64 } } } },
    });
    const names = ['chance level (random answer)', 'real music (ceiling)', 'floor (same songs, requests shuffled)'];
    expect(both.data.map((t) => t['name']).filter((n) => names.includes(n as string))).toEqual(names);
    const svg = chartBundle(both).data['text/html'] as string;
    expect(names.every((n) => svg.includes(`>${n}</text>`))).toBe(true);
    expect(names.map((n) => svg.indexOf(`>${n}</text>`))).toEqual(
      [...names.map((n) => svg.indexOf(`>${n}</text>`))].sort((a, b) => a - b),
    );
  });

  it("says over the chart why a group has no bar, in the tables' words, naming the groups (and in its fallbacks)", () => {
    const f = adherenceByModeFigure([
      {
        model: 'scratch',
        mode: 'inference-primed',
        duration_adherence: 0.2,
        emotion_adherence: 0.5,
        key_adherence: 0.9,
      },
      { model: 'scratch', mode: 'inference-forced', emotion_adherence: 0.4, key_adherence: 0.9 },
      { model: 'pretrained', mode: 'inference-forced', emotion_adherence: 0.6 },
    ]);
    const notes = (f.layout?.['annotations'] as Array<{ text: string }>).map((a) => a.text.split('<br>'));
    expect(notes).toEqual([
      [
        'no bar (scratch / forced, pretrained / forced) = not measured: token adherence is left out in forced mode (the',
        '  token is set, so it would be 100% by construction).',
        'no bar (pretrained / forced) = not measured: key adherence needs a key condition (a key-aware model).',
      ],
    ]);
    expect(notes.flat().every((line) => line.length <= 110)).toBe(true);
    expect(chartBundle(f).data['text/plain']).toContain('no bar (pretrained / forced) = not measured: key adherence');
    expect(chartBundle(f).data['text/html']).toContain('class="emotune-chart-note"');
    // Every bar present: no note, and the chart keeps its usual size.
    const whole = adherenceByModeFigure([{ model: 'm', mode: 'x', emotion_adherence: 0.5 }]);
    expect(whole.layout?.['annotations']).toBeUndefined();
    expect(whole.layout).toMatchObject({ height: 520, margin: { t: 60 } });
  });

  it('draws no reference marks without a reference', () => {
    const f = adherenceByModeFigure([{ model: 'm', mode: 'x', emotion_adherence: 0.5 }]);
    expect(f.layout?.['shapes']).toBeUndefined();
    expect(f.data).toHaveLength(1);
  });

  it("averages each metric per mode in percent, with error bars only from the tables' own interval, inside [0, 100]%", () => {
    const f = adherenceByModeFigure(rows);
    expect(f.data.map((t) => t['name'])).toEqual(['duration (all steps)', 'velocity (all steps)']);
    const d = f.data[0] as {
      x: string[];
      y: number[];
      error_y: { array: number[]; arrayminus: number[] };
      customdata: string[];
    };
    expect(d.x).toEqual(['primed', 'forced']);
    expect(d.y[0]).toBeCloseTo(30);
    // Two rows without an interval: no bar from another method (the old normal approximation went below 0).
    expect(d.error_y.array[0]).toBe(0);
    expect(d.customdata[0]).toMatch(/no interval/);
    // A single row with its own interval uses it: [0.9, 1.0] around 1.0.
    expect(d.error_y.arrayminus[1]).toBeCloseTo(10);
    expect(d.error_y.array[1]).toBeCloseTo(0);
    expect(d.customdata[1]).toBe('100.0% (95% interval [90.0%, 100.0%])');
    expect((f.layout?.['yaxis'] as { range: number[] }).range).toEqual([0, 100]);
  });

  it('never draws an interval outside [0, 100]%, whatever the record says', () => {
    const f = adherenceByModeFigure([
      { model: 'm', mode: 'x', emotion_adherence: 0.05, emotion_adherence_ci: [-0.1, 1.2] },
    ]);
    const d = f.data[0] as { y: number[]; error_y: { array: number[]; arrayminus: number[] } };
    expect(d.y[0]! - d.error_y.arrayminus[0]!).toBeGreaterThanOrEqual(0);
    expect(d.y[0]! + d.error_y.array[0]!).toBeLessThanOrEqual(100);
    expect(f.data[0]!['name']).toBe('emotion');
  });

  it('prefixes the model when several models are present', () => {
    const f = adherenceByModeFigure([...rows, { model: 'n', mode: 'primed', duration_adherence: 0.5 }]);
    expect((f.data[0] as { x: string[] }).x).toEqual(['m / primed', 'm / forced', 'n / primed']);
    expect((f.layout?.['xaxis'] as { title: { text: string } }).title.text).toBe('model / mode');
  });

  it('labels the axis "model /<br>mode" without the shared "inference-" prefix, keeping the full name for the hover', () => {
    const f = adherenceByModeFigure([
      { model: 'scratch', mode: 'inference-deterministic', duration_adherence: 0.5 },
      { model: 'pretrained', mode: 'inference-primed', duration_adherence: 0.4 },
    ]);
    const x = f.layout?.['xaxis'] as { tickvals: string[]; ticktext: string[] };
    expect(x.tickvals).toEqual(['scratch / inference-deterministic', 'pretrained / inference-primed']);
    expect(x.ticktext).toEqual(['scratch /<br>deterministic', 'pretrained /<br>primed']);
  });

  it('passes model and mode names to plotly as plain text (no links or markup from data)', () => {
    const f = adherenceByModeFigure([
      { model: '<a href="https://evil.example">x</a>', mode: '<b>m</b>', duration_adherence: 0.5 },
      { model: 'n', mode: 'p', duration_adherence: 0.5 },
    ]);
    const x = (f.data[0] as { x: string[] }).x;
    expect(x[0]).toBe('&lt;a href="https://evil.example"&gt;x&lt;/a&gt; / &lt;b&gt;m&lt;/b&gt;');
    expect(JSON.stringify(f)).not.toMatch(/<a |<b>m/);
    // The static fallback shows the same names as text, escaped once for HTML.
    const html = chartBundle(f).data['text/html'] as string;
    expect(html).toContain('&lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;');
    expect(html).not.toContain('<a href');
    expect(html).not.toContain('&amp;lt;');
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
    const t = f.data[0] as {
      x: string[];
      y: string[];
      z: number[][];
      text: string[][];
      colorscale: Array<[number, string]>;
    };
    expect(t.y).toEqual(['C:maj', 'A:min']);
    expect(t.x).toEqual(['C:maj', 'A:min']);
    expect(t.z).toEqual([
      [2, 0],
      [1, 3],
    ]);
    // Counts written in the cells; more is darker.
    expect(t.text).toEqual([
      ['2', ''],
      ['1', '3'],
    ]);
    expect(t.colorscale[0]![1]).toBe('#f7fbff');
    expect(t.colorscale.at(-1)![1]).toBe('#08306b');
  });

  it('uses one key order on both axes: the requested keys first in both, so the diagonal is the obeyed cells', () => {
    const f = keyHeatmapFigure([
      { key: 'E:min', key_distribution: { 'G:maj': 2, 'E:min': 1 } },
      { key: 'A:maj', key_distribution: { 'A:maj': 3, 'C#:min': 1 } },
    ]);
    const t = f.data[0] as { x: string[]; y: string[]; z: number[][] };
    expect(t.y).toEqual(['E:min', 'A:maj']);
    expect(t.x.slice(0, 2)).toEqual(t.y);
    expect(t.x.slice(2)).toEqual(['C#:min', 'G:maj']);
    expect(t.z.map((r, i) => r[i])).toEqual([1, 3]);
  });

  it('escapes key names from data', () => {
    const f = keyHeatmapFigure([{ key: '<img src=x>', detected: '<a href=y>z</a>' }]);
    const t = f.data[0] as { x: string[]; y: string[] };
    expect(t.y).toEqual(['&lt;img src=x&gt;']);
    expect(t.x).toContain('&lt;a href=y&gt;z&lt;/a&gt;');
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
    expect(b.data['text/plain']).toContain('duration (all steps): primed=30.00, forced=100');
  });

  it('falls back to a table for heatmaps and a summary for box plots', () => {
    expect(chartBundle(keyHeatmapFigure([{ key: 'C:maj', detected: 'C:maj' }])).data['text/html']).toContain(
      'emotune-heatmap',
    );
    const box = chartBundle(distanceDistributionFigure(rows)).data['text/html'] as string;
    expect(box).toContain('emotune-chart-summary');
    // primed: n=2, min 100, q1 150, median 200, q3 250, max 300, mean 200.
    const cells = [...(box.match(/<th>primed<\/th>(.*?)<\/tr>/)?.[1] ?? '').matchAll(/>([^<]*)<\/td>/g)].map(
      (m) => m[1],
    );
    expect(cells).toEqual(['2', '100', '150', '200', '250', '300', '200']);
  });

  it('escapes trace names and categories in the fallback', () => {
    const fig = {
      data: [{ type: 'bar', name: '<script>alert(1)</script>', x: ['<img src=x onerror=alert(1)>'], y: [1] }],
      layout: { title: '<svg onload=x>' },
    };
    const html = chartBundle(fig).data['text/html'] as string;
    expect(html).not.toMatch(/<script|<img|<svg onload/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('rejects something that is not a figure', () => {
    expect(() => chartBundle({} as never)).toThrow(/figure\.data/);
  });
});
