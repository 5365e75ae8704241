import { describe, expect, it } from 'vitest';
import { chartBundle } from '../../src/display/charts.js';
import {
  confusionEntries,
  confusionMarginals,
  emotionConfusion,
  emotionConfusionFigure,
} from '../../src/display/obey.js';
import { progressBundle } from '../../src/display/progress.js';

const report = (mode: string, emotion: number, detected: number[]) => ({
  run: { model: 'scratch', mode, emotion },
  emotion_adherence: { predictions: detected.map((e) => ({ emotion: e })) },
});

describe('emotion confusion (requested x detected)', () => {
  const reports = [
    report('primed', 1, [1, 1, 2]),
    report('primed', 3, [4]),
    report('primed', 4, []),
    report('forced', 2, [2]),
    { run: { model: 'scratch', mode: 'primed', emotion: 1 }, emotion_adherence: null },
  ];

  it('counts [requested][detected] per model and mode from the per-run predictions', () => {
    const e = emotionConfusion(reports);
    expect(e.map((x) => [x.model, x.mode])).toEqual([
      ['scratch', 'primed'],
      ['scratch', 'forced'],
    ]);
    expect(e[0]!.labels).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
    expect(e[0]!.counts).toEqual([
      [2, 1, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 0, 0],
    ]);
  });

  it("prefers the extended results' reference.confusion when present and well formed", () => {
    const given = [
      {
        model: 'm',
        mode: 'x',
        labels: ['Q1', 'Q2', 'Q3', 'Q4'],
        counts: [
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
          [0, 0, 0, 1],
        ],
      },
    ];
    expect(confusionEntries({ reference: { confusion: given } }, reports)).toBe(given);
    expect(confusionEntries({ reference: { confusion: [{ model: 'm' }] } }, reports)).toEqual(
      emotionConfusion(reports),
    );
    expect(confusionEntries(undefined, reports)).toEqual(emotionConfusion(reports));
  });

  it('gives exact, arousal (Q1/Q2 vs Q3/Q4) and valence (Q1/Q4 vs Q2/Q3) agreement', () => {
    const m = confusionMarginals(emotionConfusion(reports)[0]!);
    // Q1->Q1 x2 (all agree), Q1->Q2 (arousal yes, valence no), Q3->Q4 (arousal yes, valence no).
    expect(m.exact).toEqual({ matches: 2, total: 4 });
    expect(m.arousal).toEqual({ matches: 4, total: 4 });
    expect(m.valence).toEqual({ matches: 2, total: 4 });
  });

  it('draws requested as rows (Q1 on top) and detected as columns, counts in the cells, more = darker, per mode', () => {
    const fig = emotionConfusionFigure(emotionConfusion(reports));
    expect(fig.data).toHaveLength(2);
    const t = fig.data[0] as {
      x: string[];
      y: string[];
      z: number[][];
      text: string[][];
      zmin: number;
      zmax: number;
      colorscale: Array<[number, string]>;
      xaxis: string;
    };
    expect(t.x).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
    expect(t.y).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
    expect((fig.layout?.['yaxis'] as { autorange: string }).autorange).toBe('reversed');
    expect(t.text[0]).toEqual(['2', '1', '0', '0']);
    // Colour is the share of the requested row: 2 of 3 Q1 requests were detected as Q1.
    expect(t.z[0]![0]).toBeCloseTo(2 / 3);
    expect([t.zmin, t.zmax]).toEqual([0, 1]);
    expect(t.colorscale[0]![1]).toBe('#f7fbff');
    expect((fig.data[1] as { xaxis: string }).xaxis).toBe('x2');
    // The agreement lines sit under each heatmap (its x-axis title).
    const notes = (fig.layout?.['xaxis'] as { title: { text: string } }).title.text;
    expect(notes).toContain('exact 2/4 = 50.0% [15.0%, 85.0%]');
    expect(notes).toContain('arousal 4/4 = 100.0% [');
  });

  it('shows each heatmap as a table without the extension, and escapes names from data', () => {
    const fig = emotionConfusionFigure([
      {
        model: '<a href=x>m</a>',
        mode: 'p',
        labels: ['Q1', 'Q2', 'Q3', 'Q4'],
        counts: [
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
          [0, 0, 0, 1],
        ],
      },
      {
        model: 'n',
        mode: 'q',
        labels: ['Q1', 'Q2', 'Q3', 'Q4'],
        counts: [
          [0, 1, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
          [0, 0, 0, 1],
        ],
      },
    ]);
    expect(JSON.stringify(fig)).not.toContain('<a href');
    const html = chartBundle(fig).data['text/html'] as string;
    expect(html.match(/<table class="emotune-heatmap">/g)).toHaveLength(2);
    expect(html).toContain('&lt;a href=x&gt;m&lt;/a&gt; · p');
    expect(html).not.toContain('<a href');
  });
});

describe('progress display HTML fallback', () => {
  it('type-checks every number and escapes every string it renders', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const b = progressBundle(
      {
        done: evil as unknown as number,
        failed: 1,
        running: '<b>2</b>' as unknown as number,
        total: 10,
        elapsedS: evil as unknown as number,
        message: evil,
      },
      evil,
    );
    const html = b.data['text/html'] as string;
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>2</b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('data-emotune-done="0"');
    expect(html).toContain('running <b>0</b>');
  });
});
