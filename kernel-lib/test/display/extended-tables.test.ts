import { describe, expect, it } from 'vitest';
import { pairedComparisonRecords } from '../../src/display/extended-tables.js';
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
