import { describe, expect, it } from 'vitest';
import { formatComparisonTable } from '../../src/aggregate/comparison-table.js';
import type { ResultRow } from '../../src/aggregate/rows.js';

const row = (model: string, mode: string, fields: Record<string, number>, key: string | null = null): ResultRow => ({
  model,
  mode,
  emotion: 1,
  key,
  subset: ['duration'],
  ...fields,
});
const HEAD = (m: string) => [
  '─'.repeat(90),
  `Model: ${m}`,
  '─'.repeat(90),
  'Mode                       | Token      | Adherence %  | Avg Distance',
  '-'.repeat(90),
];
const opts = {
  models: ['scratch', 'pretrained'],
  modes: ['inference-deterministic', 'inference-primed', 'inference-forced'],
  tokensOfInterest: ['duration', 'velocity'],
};

describe("formatComparisonTable (the reference notebook's table)", () => {
  it('averages rows per (model, mode), prints tokens in config order, emotion N/A and key correlation with an arrow', () => {
    const rows = [
      row(
        'scratch',
        'inference-primed',
        {
          velocity_adherence: 0.5,
          velocity_distance: 10,
          duration_adherence: 0.125,
          duration_distance: 0.125,
          emotion_adherence: 1,
          key_adherence: 0,
          key_correlation: 0.74445,
        },
        'A:maj',
      ),
      row(
        'scratch',
        'inference-primed',
        { duration_adherence: 0.125, duration_distance: 0.125, emotion_adherence: 0 },
        'C:maj',
      ),
    ];
    const text = formatComparisonTable(rows, opts);
    expect(text.split('\n')).toEqual([
      '='.repeat(90),
      'ADHERENCE COMPARISON BY MODE (Average across emotions and conditions)',
      '='.repeat(90),
      '',
      ...HEAD('SCRATCH'),
      'inference-primed           | duration   |       12.50% |         0.12', // 0.125 rounds half to even
      '                           | velocity   |       50.00% |        10.00',
      '                           | emotion    |       50.00% |          N/A',
      '                           | key        |        0.00% |     0.7444 ↑',
      '',
      ...HEAD('PRETRAINED'),
      '='.repeat(90),
      '',
      '',
    ]);
  });

  it('skips the key row for the model named pretrained, as the reference notebook does', () => {
    const rows = [
      row('pretrained', 'inference-forced', { emotion_adherence: 0.5, key_adherence: 1, key_correlation: 0.9 }),
    ];
    const text = formatComparisonTable(rows, opts);
    expect(text).toContain('inference-forced           | emotion    |       50.00% |          N/A\n\n');
    expect(text).not.toContain('| key ');
  });

  it('skips the key row for models that are not key-aware when keyAwareModels is given', () => {
    const rows = [row('mine', 'inference-forced', { key_adherence: 1, key_correlation: 0.9 })];
    const o = { ...opts, models: ['mine'] };
    expect(formatComparisonTable(rows, o)).toContain('| key        |      100.00% |     0.9000 ↑');
    // a mode whose only token is skipped prints no blank line
    expect(formatComparisonTable(rows, { ...o, keyAwareModels: [] })).toBe(
      [
        '='.repeat(90),
        'ADHERENCE COMPARISON BY MODE (Average across emotions and conditions)',
        '='.repeat(90),
        '',
        ...HEAD('MINE'),
        '='.repeat(90),
        '',
        '',
      ].join('\n'),
    );
  });

  it('follows the configured mode order and ignores tokens that are not of interest', () => {
    const rows = [
      row('scratch', 'inference-forced', { emotion_adherence: 1 }),
      row('scratch', 'inference-deterministic', { pitch_adherence: 1, duration_adherence: 1 }),
    ];
    const lines = formatComparisonTable(rows, opts).split('\n');
    expect(lines.findIndex((l) => l.startsWith('inference-deterministic'))).toBeLessThan(
      lines.findIndex((l) => l.startsWith('inference-forced')),
    );
    expect(lines.some((l) => l.includes('pitch'))).toBe(false);
    expect(lines).toContain('inference-deterministic    | duration   |      100.00% |          N/A');
  });
});
