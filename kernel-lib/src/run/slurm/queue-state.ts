/** Slurm job states after which a task will not run again. */
const FINAL_STATES = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'REVOKED',
  'SPECIAL_EXIT',
]);

export function isFinalState(state: string): boolean {
  // sacct writes e.g. `CANCELLED by 0`; keep the first word.
  return FINAL_STATES.has(state.split(/\s+/)[0]!);
}

export interface TaskState {
  state: string;
  /** Exit code and terminating signal, when Slurm reports them (scontrol/sacct `code:signal`). */
  exit_code?: number;
  exit_signal?: number;
}

/**
 * `squeue -h -r -j <id> -t all -o '%K|%T'`: one line per array task (`<task id>|<state>`).
 * Lines whose task id is a range (tasks not yet split off, e.g. `2-7%2`) cover several tasks.
 */
export function parseSqueue(text: string): Map<number, TaskState> {
  const out = new Map<number, TaskState>();
  for (const line of text.split('\n')) {
    const [ids, state] = line.trim().split('|');
    if (!ids || !state) continue;
    for (const id of expandTaskIds(ids)) out.set(id, { state });
  }
  return out;
}

/** `0-3%2`, `1,4-5`, `7` -> task ids. */
export function expandTaskIds(spec: string): number[] {
  const ids: number[] = [];
  for (const part of spec.replace(/%\d+$/, '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b; i++) ids.push(i);
  }
  return ids;
}

function parseExit(v: string | undefined): Pick<TaskState, 'exit_code' | 'exit_signal'> {
  const m = v ? /^(\d+):(\d+)$/.exec(v) : null;
  return m ? { exit_code: Number(m[1]), exit_signal: Number(m[2]) } : {};
}

/** `scontrol -o show job <id>`: one `key=value ...` line per task (used when sacct has no database). */
export function parseScontrol(text: string, arrayJobId: string): Map<number, TaskState> {
  const out = new Map<number, TaskState>();
  for (const line of text.split('\n')) {
    const fields = new Map<string, string>();
    for (const m of line.matchAll(/(\S+?)=(\S*)/g)) if (!fields.has(m[1]!)) fields.set(m[1]!, m[2]!);
    if (fields.get('ArrayJobId') !== arrayJobId) continue;
    const state = fields.get('JobState');
    const ids = fields.get('ArrayTaskId');
    if (!state || !ids) continue;
    for (const id of expandTaskIds(ids)) out.set(id, { state, ...parseExit(fields.get('ExitCode')) });
  }
  return out;
}

/** `sacct -n -P -X -j <id> -o JobID,State,ExitCode`: `<id>_<task>|STATE|code:signal` lines. */
export function parseSacct(text: string, arrayJobId: string): Map<number, TaskState> {
  const out = new Map<number, TaskState>();
  for (const line of text.split('\n')) {
    const [jobId, state, exit] = line.trim().split('|');
    if (!jobId || !state) continue;
    const m = /^(\d+)_(.+)$/.exec(jobId);
    if (!m || m[1] !== arrayJobId) continue;
    for (const id of expandTaskIds(m[2]!.replace(/^\[|\]$/g, '')))
      out.set(id, { state: state.split(/\s+/)[0]!, ...parseExit(exit) });
  }
  return out;
}
