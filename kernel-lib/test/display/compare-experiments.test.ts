import { describe, expect, it } from 'vitest';
import {
  differenceInterval,
  differenceP,
  experimentComparisonColumns,
  experimentComparisonFigure,
  experimentComparisonRecords,
} from '../../src/display/compare-experiments.js';
import { tablePayload, tableText } from '../../src/display/table.js';
import { plainCondition } from '../../src/display/runs.js';
import type { ExtendedResults } from '../../src/aggregate/extended-results.js';

const fig = (estimate: number, lower: number, upper: number) => ({
  estimate,
  lower,
  upper,
  confidence: 0.95,
  n: 100,
  method: 'wilson' as const,
});
const exp = (primed: number, dist: number): Pick<ExtendedResults, 'modes'> => ({
  modes: [
    {
      model: 'scratch',
      mode: 'primed',
      cells: 8,
      files: { tokens: 8, midi: 8 },
      n_songs: 8,
      n_distinct: 8,
      figures: {
        duration_note_adherence: fig(primed, primed - 0.05, primed + 0.05),
        emotion_adherence: fig(0.5, 0.3, 0.7),
        duration_note_distance: fig(dist, dist - 10, dist + 10),
      },
    },
    {
      model: 'scratch',
      mode: 'forced',
      cells: 8,
      files: { tokens: 8, midi: 8 },
      n_songs: 8,
      n_distinct: 8,
      figures: { duration_note_adherence: fig(1, 0.97, 1) },
    },
  ],
});

describe('compareExperiments', () => {
  it('pairs each model/mode/metric and gives B − A with the MOVER interval of the two intervals', () => {
    const recs = experimentComparisonRecords(exp(0.3, 200), exp(0.5, 150), {
      labels: ['old', 'new'],
      metrics: ['duration_note_adherence', 'emotion_adherence', 'duration_note_distance'],
    });
    const adh = recs.find((r) => r['mode'] === 'primed' && r['metric'] === 'duration (note steps)')!;
    expect(adh['old']).toBeCloseTo(0.3);
    expect(adh['new']).toBeCloseTo(0.5);
    expect(adh['difference_pp']).toBeCloseTo(20);
    const [lo, hi] = adh['difference_pp_ci'] as [number, number];
    expect(lo).toBeCloseTo(20 - Math.hypot(5, 5));
    expect(hi).toBeCloseTo(20 + Math.hypot(5, 5));
    expect(adh['change']).toBe('new better');
    expect(recs.find((r) => r['metric'] === 'emotion')!['change']).toBe('no clear change');
    // Lower is better for distances: 200 -> 150 is an improvement.
    expect(recs.find((r) => r['metric'] === 'duration distance (note steps)')!['change']).toBe('new better');
    expect(differenceInterval(fig(0.5, 0.4, 0.6), fig(0.5, 0.4, 0.6))[0]).toBeLessThan(0);
  });

  it('shows both experiments in percent and the difference in signed percentage points', () => {
    const recs = experimentComparisonRecords(exp(0.3, 200), exp(0.5, 150), { labels: ['old', 'new'] });
    const payload = tablePayload(recs, { columns: experimentComparisonColumns(recs, ['old', 'new']) });
    const text = tableText(payload);
    expect(text).toContain('30.0% [25.0%, 35.0%]');
    expect(text).toMatch(/difference \(pp\)/);
    expect(text).toContain('+20.0 [+12.9, +27.1]');
  });

  it('plots each difference with its interval around a zero line', () => {
    const recs = experimentComparisonRecords(exp(0.3, 200), exp(0.5, 150));
    const f = experimentComparisonFigure(recs);
    const t = f.data[0] as { x: number[]; error_x: { array: number[]; arrayminus: number[] } };
    expect(t.x).toHaveLength(recs.length);
    expect(t.error_x.array.every((v) => v >= 0)).toBe(true);
  });

  it('calls a change only when its p survives Holm over every comparison shown, not when one 95% interval misses 0', () => {
    // 30 metrics that did not change, and one that moved by just over its own interval.
    const many = (shift: number): Pick<ExtendedResults, 'modes'> => ({
      modes: [
        {
          ...exp(0.3, 200).modes[0]!,
          figures: Object.fromEntries([
            ...Array.from({ length: 30 }, (_, i) => [`t${i}_adherence`, fig(0.5, 0.45, 0.55)]),
            ['moved_adherence', fig(0.5 + shift, 0.45 + shift, 0.55 + shift)],
          ]),
        },
      ],
    });
    const recs = experimentComparisonRecords(many(0), many(0.075));
    const moved = recs.find((r) => r['metric'] === 'moved (all steps)')!;
    const [lo, hi] = moved['difference_pp_ci'] as [number, number];
    expect(lo).toBeGreaterThan(0); // its own unadjusted interval excludes 0 (p about .04)...
    expect(differenceP(0.075, [lo / 100, hi / 100])).toBeLessThan(0.05);
    expect(moved['change']).toBe('no clear change'); // ...but not after Holm over 31 comparisons
    expect(moved['p']).toMatch(/^p = /);
    // A large change survives.
    expect(
      experimentComparisonRecords(many(0), many(0.3)).find((r) => r['metric'] === 'moved (all steps)')!['change'],
    ).toBe('B better');
    // The p read from a symmetric interval: d = 0.2 with half-width 0.1 is z = 3.92.
    expect(differenceP(0.2, [0.1, 0.3])).toBeCloseTo(8.9e-5, 5);
    expect(differenceP(0, [0, 0])).toBe(1);
  });

  it('says conditions in words', () => {
    expect(plainCondition('Note_Duration_960')).toBe('duration 960 ticks (2 beats)');
    expect(plainCondition('Note_Velocity_100')).toBe('velocity 100');
  });
});
