import type { PreparedRun, RunRecord } from './types.js';
import type { ProcessOutcome } from './process.js';

/** Python slices strings by code point: `s[-2000:]`. */
export function tailChars(s: string, n: number): string {
  if (s.length <= n) return s;
  const cps = Array.from(s.slice(-2 * n));
  return cps.slice(-n).join('');
}

export const TAIL_CHARS = 2000;

/** The reference notebook's record for one run, plus status, reason and timing. */
export function recordFromOutcome(run: PreparedRun, o: ProcessOutcome, backend: string): RunRecord {
  const base = {
    model: run.model,
    mode: run.mode,
    emotion: run.emotion,
    key: run.key,
    subset: [...run.subset],
    conditions: { ...run.conditions },
    out_dir: run.out_dir,
    id: run.id,
    index: run.index,
    started_at: o.startedAt.toISOString(),
    ended_at: o.endedAt.toISOString(),
    duration_s: (o.endedAt.getTime() - o.startedAt.getTime()) / 1000,
    backend,
    ...(run.identity !== undefined ? { identity: run.identity } : {}),
  };
  if (o.timedOut) {
    // As the reference notebook: returncode -1, empty stdout, stderr "TIMEOUT".
    return {
      ...base,
      returncode: -1,
      stdout: '',
      stderr: 'TIMEOUT',
      status: 'timeout',
      reason: `no exit within ${run.timeout_s} s; process tree killed`,
    };
  }
  if (o.cancelled) {
    return {
      ...base,
      returncode: -2,
      stdout: tailChars(o.stdout, TAIL_CHARS),
      stderr: 'CANCELLED',
      status: 'cancelled',
      reason: 'cancelled by the user; process tree killed',
    };
  }
  if (o.spawnError !== undefined) {
    return {
      ...base,
      returncode: -3,
      stdout: '',
      stderr: tailChars(o.spawnError, TAIL_CHARS),
      status: 'failed',
      reason: `generator could not start (${o.spawnError})`,
    };
  }
  if (o.logError !== undefined) {
    // The output could not be kept (disk full): the run cannot be trusted, and the message says why.
    return {
      ...base,
      returncode: o.returncode ?? -3,
      stdout: tailChars(o.stdout, TAIL_CHARS),
      stderr: tailChars(o.stderr, TAIL_CHARS),
      status: 'failed',
      reason: o.logError,
    };
  }
  const rc = o.returncode ?? -3;
  return {
    ...base,
    returncode: rc,
    stdout: tailChars(o.stdout, TAIL_CHARS),
    stderr: tailChars(o.stderr, TAIL_CHARS),
    status: rc === 0 ? 'ok' : 'failed',
    reason: rc === 0 ? undefined : o.signal ? `killed by ${o.signal}` : `exit code ${rc}`,
  };
}
