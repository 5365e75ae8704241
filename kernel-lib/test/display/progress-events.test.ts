import { describe, expect, it } from 'vitest';
import { progressStateFrom, type RunProgressState } from '../../src/display/progress-events.js';
import { progressBundle } from '../../src/display/progress.js';
import type { ProgressEvent, RunRecord } from '../../src/run/types.js';

const record = (index: number, status: RunRecord['status']) =>
  ({ index, status, reason: status === 'ok' ? undefined : 'exit code 1' }) as RunRecord;

describe('the notebook progress display fed by runner events', () => {
  it('counts successes and failures, running runs, ETA and throughput of this session only', () => {
    const events: ProgressEvent[] = [
      { type: 'plan', total: 10, skipped: 4, toRun: 6 },
      { type: 'record', record: record(5, 'ok'), done: 5, failed: 0, running: 2, total: 10, elapsedS: 30, etaS: 150 },
      {
        type: 'record',
        record: record(6, 'failed'),
        done: 6,
        failed: 1,
        running: 1,
        total: 10,
        elapsedS: 60,
        etaS: 120,
      },
    ];
    let state: RunProgressState = { done: 0, failed: 0, running: 0, total: 0 };
    for (const e of events) state = progressStateFrom(e, state);
    expect(state).toMatchObject({ done: 5, failed: 1, running: 1, total: 10, etaS: 120 });
    // 2 runs finished in 60 s in this session; the 4 reused runs do not count.
    expect(state.throughputPerMin).toBeCloseTo(2);
    const text = progressBundle(state, 'Runs').data['text/plain'] as string;
    expect(text).toContain('Runs: 6/10 (60%) — done 5, failed 1, running 1; elapsed 1m00s, ETA 2m00s, 2.0 runs/min');
    expect(text).toContain('[6] failed: exit code 1');
  });
});
