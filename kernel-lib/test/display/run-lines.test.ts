import { describe, expect, it } from 'vitest';
import { runLines, type RunLineRecord } from '../../src/display/run-lines.js';

const run = (index: number, extra: Partial<RunLineRecord> = {}): RunLineRecord => ({
  model: 'scratch',
  mode: 'inference-primed',
  emotion: 1,
  key: 'A:maj',
  conditions: { duration: 'Note_Duration_1080' },
  id: `id${index}`,
  index,
  status: 'ok',
  returncode: 0,
  duration_s: 0.688,
  ...extra,
});

describe('runLines', () => {
  it('gives one short line per run: place, id, conditions in words, outcome and time, never the command', () => {
    const [line] = runLines([run(1)]);
    expect(line).toBe(
      '[1/1] id1 scratch / inference-primed, Q1, key A:maj, duration 1080 ticks (2.25 beats): ✓ ok, 0.7 s',
    );
  });

  it('shows the first runs in plan order, every failed run beyond them, and how many are left out', () => {
    const records = Array.from({ length: 20 }, (_, i) => run(20 - i));
    records[2] = run(18, { status: 'timeout', returncode: -1 });
    const lines = runLines(records, { limit: 3 });
    expect(lines.slice(0, 3).map((l) => l.split(' ')[0])).toEqual(['[1/20]', '[2/20]', '[3/20]']);
    expect(lines[3]).toMatch(/^\[18\/20\] .*✗ timeout, 0\.7 s$/);
    expect(lines[4]).toBe('... and 16 more runs, all ✓ ok (all_runs_metadata.json)');
  });
});
