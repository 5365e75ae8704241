import { describe, expect, it } from 'vitest';
import {
  modeSummaryRecords,
  pairedComparisonRecords,
  referenceAdherenceLines,
  tokenFloorLines,
  tokenFloorRecords,
} from '../../src/display/extended-tables.js';
import { NUMBER_FORMATS, formatP } from '../../src/display/format.js';
import { tablePayload, tableText } from '../../src/display/table.js';
import { pairedComparison } from '../../src/stats/paired.js';
import type { ModeComparison } from '../../src/aggregate/extended-results.js';

const cells = (vals: number[]) => Object.fromEntries(vals.map((v, i) => [`c${i}`, v]));

describe('pairedComparisonRecords', () => {
  // primed beats deterministic in all 12 cells by 0.2 (adherence); distances are lower for primed.
  const higher = pairedComparison(
    cells(Array.from({ length: 12 }, (_, i) => 0.5 + i * 0.01)),
    cells(Array.from({ length: 12 }, (_, i) => 0.3 + i * 0.01)),
  );
  const lower = pairedComparison(
    cells(Array.from({ length: 12 }, (_, i) => 100 + i)),
    cells(Array.from({ length: 12 }, (_, i) => 300 + i)),
  );
  const paired: ModeComparison[] = [
    {
      model: 'scratch',
      a: 'primed',
      b: 'deterministic',
      metric: 'duration_note_adherence',
      comparison: higher,
      n_songs: 24,
      n_distinct: 24,
    },
    {
      model: 'scratch',
      a: 'primed',
      b: 'deterministic',
      metric: 'duration_note_distance',
      comparison: lower,
      n_songs: 24,
      n_distinct: 24,
    },
    {
      model: 'scratch',
      a: 'primed',
      b: 'deterministic',
      metric: 'quality_pitch_range',
      comparison: lower,
      n_songs: 24,
      n_distinct: 24,
    },
  ];

  it('names the better mode given the metric direction, in percentage points, with the p of the reported test', () => {
    const [adh, dist, q] = pairedComparisonRecords({ paired });
    expect(adh).toMatchObject({
      metric: 'duration (note steps)',
      comparison: 'primed vs deterministic',
      better: 'primed better',
      p: 'p < 0.001',
      test: 'Wilcoxon signed-rank, Holm-adjusted',
    });
    expect(adh!['difference_pp'] as number).toBeCloseTo(20, 6);
    const [lo, hi] = adh!['difference_pp_ci'] as [number, number];
    expect(lo).toBeCloseTo(20, 6);
    expect(hi).toBeCloseTo(20, 6);
    // Lower is better for distances: a lower distance for primed makes primed better.
    expect(dist).toMatchObject({ better: 'primed better' });
    expect(dist!['difference_pp']).toBeNull();
    expect(dist!['difference']).toBeCloseTo(-200);
    // No better direction for a quality metric: just which is higher.
    expect(q!['better']).toBe('deterministic higher');
  });

  it('uses the corrected p-value and its verdict when the results carry them', () => {
    const corrected = { ...higher, p_adjusted: 0.2, verdict: 'no clear difference' } as ModeComparison['comparison'];
    const [r] = pairedComparisonRecords({ paired: [{ ...paired[0]!, comparison: corrected }] });
    expect(r).toMatchObject({
      better: 'no clear difference',
      p: 'p = 0.20',
      test: 'Wilcoxon signed-rank, Holm-adjusted',
    });
  });

  it('shows differences of ratios in signed percentage points and of other metrics in their unit, q as q', () => {
    const text = tableText(tablePayload(pairedComparisonRecords({ paired })));
    expect(text).toMatch(/difference \(pp\)/);
    expect(text).toContain('+20.0 [+20.0, +20.0]');
    expect(text).toContain('-200.000');
    expect(text).not.toMatch(/q = p|p = 0\.000/);
  });

  it('never prints p = 0.000', () => {
    expect(formatP(0)).toBe('p < 0.001');
    expect(formatP(0.0123)).toBe('p = 0.012');
    expect(formatP(0.5)).toBe('p = 0.50');
  });
});

describe('modeSummaryRecords', () => {
  const fig = (estimate: number, n: number) => ({
    estimate,
    lower: estimate - 0.1,
    upper: estimate + 0.1,
    confidence: 0.95,
    n,
    method: 'cluster-bootstrap',
    n_songs: n,
  });
  const mode = (figures: Record<string, ReturnType<typeof fig>>) => ({
    model: 'scratch',
    mode: 'inference-primed',
    cells: 24,
    files: 240,
    n_songs: 240,
    n_distinct: 240,
    figures,
  });

  it('names the figures that rest on fewer songs than the mode, a token’s figures together', () => {
    const [rec] = modeSummaryRecords({
      modes: [
        mode({
          emotion_adherence: fig(0.5, 240),
          duration_adherence: fig(0.1, 120),
          duration_note_adherence: fig(0.2, 120),
          duration_note_distance: fig(300, 120),
          velocity_adherence: fig(0.03, 120),
          quality_groove_consistency: fig(0.9, 239),
        }),
      ],
    } as never);
    expect(rec!['figures_on_fewer_songs']).toBe(
      'duration figures: 120, velocity figures: 120, quality_groove_consistency: 239',
    );
    expect(rec!['n_songs']).toBe(240);
  });

  it("puts each figure's label-shuffled floor beside it: token floors from the mode, emotion and key from the reference", () => {
    const floor = (mean: number) => ({ mean, lower: mean - 0.01, upper: mean + 0.01, p: 0.001, p_adjusted: 0.01 });
    const [rec] = modeSummaryRecords({
      modes: [
        {
          ...mode({
            duration_adherence: fig(0.12, 120),
            emotion_adherence: fig(0.5, 240),
            key_adherence: fig(0.9, 240),
          }),
          floors: { duration_adherence: floor(0.08) },
        },
      ],
      reference: {
        adherence: [
          {
            model: 'scratch',
            mode: 'inference-primed',
            shuffled: { emotion: floor(0.27) },
            key: { shuffled_seed: floor(0.05), shuffled_best: null },
          },
        ],
      },
    } as never);
    expect(rec).toMatchObject({
      duration_adherence_floor: 0.08,
      emotion_adherence_floor: 0.27,
      key_adherence_floor: 0.05,
    });
    expect(rec).not.toHaveProperty('key_adherence_best_floor');
    // The floor follows its figure, so the table shows them side by side.
    const keys = Object.keys(rec!);
    expect(keys.indexOf('duration_adherence_floor')).toBe(keys.indexOf('duration_adherence_ci') + 1);
    const table = tablePayload([rec!]);
    const col = table.columns.find((c) => c.key === 'duration_adherence_floor')!;
    expect(col).toMatchObject({ kind: 'number', format: NUMBER_FORMATS.percent });
    expect(col.heat).toBeFalsy();
    expect(col.description).toMatch(/shuffled/);
    expect(table.columns.find((c) => c.key === 'emotion_adherence_floor')!.description).toMatch(
      /requested quadrants permuted/,
    );
  });

  it('lists each token figure against its floor: distance above it, Holm-adjusted p, and the reading at .05', () => {
    const floor = (observed: number, mean: number, p: number) => ({
      observed,
      mean,
      lower: mean - 0.01,
      upper: mean + 0.01,
      p,
      p_adjusted: p * 4,
      permutations: 1000,
      seed: 1,
      songs: 120,
      cells: 12,
    });
    const recs = tokenFloorRecords({
      modes: [
        {
          ...mode({ duration_adherence: fig(0.12, 120), velocity_note_adherence: fig(0.05, 120) }),
          floors: { duration_adherence: floor(0.12, 0.08, 0.001), velocity_note_adherence: floor(0.05, 0.049, 0.2) },
        },
      ],
    } as never);
    expect(recs).toHaveLength(2);
    expect(recs[0]).toMatchObject({
      figure: 'duration (all steps)',
      adherence: 0.12,
      adherence_floor: 0.08,
      p: 'p = 0.004',
      reading: 'above its floor',
      n_songs: 120,
    });
    expect(recs[0]!['above_floor_pp']).toBeCloseTo(4, 12);
    expect(recs[1]).toMatchObject({
      figure: 'velocity (note steps)',
      p: 'p = 0.80',
      reading: 'not shown above its floor',
    });
    // Under the CLI's table: the all-steps figure per token, one line per mode, the unsupported one said so.
    expect(
      tokenFloorLines({
        modes: [
          {
            ...mode({}),
            floors: { duration_adherence: floor(0.12, 0.08, 0.001), velocity_adherence: floor(0.05, 0.049, 0.2) },
          },
        ],
      } as never),
    ).toEqual([
      expect.stringMatching(/^Token adherence against its floor .*Holm-adjusted\):$/),
      '  scratch inference-primed: duration 12.0% vs floor 8.0% (p = 0.004); velocity 5.0% vs floor 4.9% (p = 0.80; not shown above its floor)',
      '',
    ]);
    expect(tokenFloorLines({ modes: [mode({})] } as never)).toEqual([]);
    const [underpowered] = tokenFloorRecords({
      modes: [{ ...mode({}), floors: { duration_adherence: { ...floor(0.2, 0.1, 0.1), min_p_adjusted: 0.5 } } }],
    } as never);
    expect(underpowered!['reading']).toBe('too few songs per cell to show it, smallest possible p = 0.50');
    const cols = tablePayload(recs).columns;
    expect(cols.find((c) => c.key === 'adherence_floor')).toMatchObject({ format: NUMBER_FORMATS.percent });
    expect(cols.find((c) => c.key === 'above_floor_pp')).toMatchObject({ format: NUMBER_FORMATS.points });
  });

  it('adds nothing when every figure rests on all the songs', () => {
    const [rec] = modeSummaryRecords({ modes: [mode({ emotion_adherence: fig(0.5, 240) })] } as never);
    expect(rec).not.toHaveProperty('figures_on_fewer_songs');
  });
});

describe('referenceAdherenceLines (under the CLI table)', () => {
  const f = (estimate: number, lower = estimate - 0.05, upper = estimate + 0.05) => ({ estimate, lower, upper });
  const shuffled = (mean: number, p: number, min_p_adjusted = 0.001) => ({ mean, p, p_adjusted: p, min_p_adjusted });
  const reference = (builtin: boolean) => ({
    source: { dataset: 'EMOPIA 1.0', split: 'val', clips: 198, songs: 63, builtin_classifier: builtin },
    ceiling: { emotion: { overall: f(0.641, 0.559, 0.739) } },
    adherence: [
      {
        model: 'scratch',
        mode: 'inference-primed',
        emotion: f(0.52),
        shuffled: { emotion: shuffled(0.25, 0.012) },
        key: { seed: f(0.95), shuffled_seed: shuffled(0.32, 0.3, 0.2) },
      },
      { model: 'pretrained', mode: 'inference-forced', emotion: f(0.3), shuffled: { emotion: null }, key: null },
    ],
  });

  it('puts each emotion and key figure beside the real-music ceiling and its floor, saying when it is not above it', () => {
    expect(referenceAdherenceLines({ reference: reference(true) } as never)).toEqual([
      expect.stringMatching(
        /^Emotion and key adherence \(songs as the unit\) beside real music \(ceiling: the built-in classifier on EMOPIA 1\.0 val, 198 clips from 63 songs\) and beside ignoring the request/,
      ),
      '  scratch inference-primed: emotion 52.0% [47.0%, 57.0%] vs ceiling 64.1% [55.9%, 73.9%], floor 25.0% (p = 0.012); key 95.0% [90.0%, 100.0%] vs floor 32.0% (p = 0.30; too few songs per cell to show it, smallest possible p = 0.20)',
      '  pretrained inference-forced: emotion 30.0% [25.0%, 35.0%] vs ceiling 64.1% [55.9%, 73.9%], no floor (one quadrant requested)',
      '',
    ]);
  });

  it('says when the ceiling is not the classifier the analysis used, and prints nothing without a reference block', () => {
    expect(referenceAdherenceLines({ reference: reference(false) } as never)[0]).toContain(
      '63 songs, not the classifier this analysis used)',
    );
    expect(referenceAdherenceLines({ reference: null })).toEqual([]);
    expect(referenceAdherenceLines({})).toEqual([]);
  });
});
