import { describe, expect, it } from 'vitest';
import { modeSummaryRecords, pairedComparisonRecords } from '../../src/display/extended-tables.js';
import { formatP } from '../../src/display/format.js';
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

  it('adds nothing when every figure rests on all the songs', () => {
    const [rec] = modeSummaryRecords({ modes: [mode({ emotion_adherence: fig(0.5, 240) })] } as never);
    expect(rec).not.toHaveProperty('figures_on_fewer_songs');
  });
});
