import { describe, expect, it } from 'vitest';
import { TABLE_MIME, comparisonBundle, comparisonRecords } from '../../src/display/index.js';
import type { TablePayloadV1 } from '../../src/display/index.js';
import type { ResultRow } from '../../src/aggregate/rows.js';

const row = (model: string, mode: string, extra: Record<string, number>): ResultRow => ({
  model,
  mode,
  emotion: 1,
  key: null,
  subset: ['duration'],
  ...extra,
});
const rows: ResultRow[] = [
  row('scratch', 'primed', {
    duration_adherence: 0.1,
    duration_distance: 600,
    emotion_adherence: 0.5,
    key_adherence: 0.4,
    key_correlation: 0.7,
  }),
  row('scratch', 'primed', {
    duration_adherence: 0.3,
    duration_distance: 800,
    emotion_adherence: 0.25,
    key_adherence: 0.6,
    key_correlation: 0.8,
  }),
  row('pretrained', 'forced', { emotion_adherence: 1, key_adherence: 0.5, key_correlation: 0.5 }),
];

describe('comparisonRecords', () => {
  it('averages per model, mode and token like the reference notebook, with key correlation apart from distances', () => {
    const r = comparisonRecords(rows, { tokensOfInterest: ['duration'] });
    expect(r.map((x) => [x['model'], x['mode'], x['token']])).toEqual([
      ['scratch', 'primed', 'duration'],
      ['scratch', 'primed', 'emotion'],
      ['scratch', 'primed', 'key'],
      ['pretrained', 'forced', 'emotion'],
    ]);
    expect(r[0]).toMatchObject({ adherence: 0.2, distance: 700, correlation: null, rows: 2 });
    expect(r[1]).toMatchObject({ adherence: 0.375, distance: null });
    expect(r[2]?.['adherence']).toBeCloseTo(0.5);
    expect(r[2]?.['correlation']).toBeCloseTo(0.75);
    expect(r[2]?.['distance']).toBeNull();
  });

  it('skips the key line for models that are not key-aware', () => {
    const r = comparisonRecords(rows, { keyAwareModels: [] });
    expect(r.some((x) => x['token'] === 'key')).toBe(false);
  });
});

describe('comparisonBundle', () => {
  it('shows adherence as heat-coloured percent and filters by model, mode and token', () => {
    const p = comparisonBundle(rows).data[TABLE_MIME] as TablePayloadV1;
    expect(p.columns.map((c) => c.key)).toEqual([
      'model',
      'mode',
      'token',
      'adherence',
      'distance',
      'correlation',
      'rows',
    ]);
    expect(p.columns[3]).toMatchObject({ heat: true, format: { percent: true } });
    expect(p.columns[5]).toMatchObject({ better: 'up', format: { digits: 2 } });
    expect(p.filters).toEqual(['model', 'mode', 'token']);
    expect(p.rows).toHaveLength(4);
  });
});
