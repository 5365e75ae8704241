import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../formats/atomic-write.js';
import { resolveCommand } from '../../package-paths.js';
import type { BackendHooks, PreparedRun, RunBackend, RunRecord } from '../types.js';
import { SlurmClient } from './commands.js';
import { isFinalState, type TaskState } from './queue-state.js';
import { BACKEND_NAME, cancelledRecord, recordFromResult, recordFromSlurmState } from './records.js';
import { buildSbatchScript, chunkNames, LOG_DIR, MANIFEST_NAME, RESULT_DIR } from './script.js';
import { taskLogPaths } from './task.js';
import type { SlurmBackendOptions, SlurmManifest, SlurmTaskResult, SlurmTaskSpec } from './types.js';

const DEFAULT_POLL_S = 5;
const DEFAULT_TIME_MARGIN_S = 120;
const DEFAULT_RESULT_GRACE_S = 30;
/** After scancel, how long to wait for running tasks to write their (cancelled) results. */
const CANCEL_WAIT_S = 90;

/** Where the per-submission folders live: `<exp>/.slurm/`. */
export function slurmDir(expDir: string): string {
  return join(expDir, '.slurm');
}

function submissionName(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

async function readTail(file: string, chars: number): Promise<string> {
  try {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      const len = Math.min(size, chars * 4);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, size - len);
      return buf.toString('utf8').slice(-chars);
    } finally {
      await fh.close();
    }
  } catch {
    return '';
  }
}

async function readResult(file: string, run: PreparedRun): Promise<SlurmTaskResult | undefined> {
  try {
    const r = JSON.parse(await readFile(file, 'utf8')) as SlurmTaskResult;
    // A result from another submission or another run is never taken for this one.
    return r.format === 'emotune-slurm-result' && r.id === run.id && r.index === run.index ? r : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Whether Slurm ended task `i` for its time limit (the task saw only a SIGTERM). */
async function slurmTimedOut(client: SlurmClient, jobId: string, i: number): Promise<boolean> {
  // The final state lands a moment after the task's SIGTERM handler wrote its result.
  for (let attempt = 0; attempt < 10; attempt++) {
    const st = (await client.finalStates(jobId)).get(i);
    if (st && isFinalState(st.state)) return st.state === 'TIMEOUT' || st.state === 'DEADLINE';
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * The Slurm backend: the runs become one sbatch job array (task N = run N of a JSON manifest), submitted
 * with `sbatch --parsable`, followed with `squeue` (and `sacct`/`scontrol` for final states), collected
 * from the tasks' result files into records built like the local backend's, and stopped with `scancel`
 * when `hooks.signal` aborts.
 */
export function createSlurmBackend(options: SlurmBackendOptions): RunBackend {
  return {
    name: BACKEND_NAME,
    execute: (runs, hooks) => executeOnSlurm(options, runs, hooks),
  };
}

/** One sbatch array of a submission: manifest entries offset..offset+size-1. */
interface Chunk {
  offset: number;
  size: number;
  log_prefix: string;
  jobId: string;
}

async function executeOnSlurm(opts: SlurmBackendOptions, runs: PreparedRun[], hooks: BackendHooks): Promise<void> {
  if (runs.length === 0) return;
  if (hooks.signal.aborted) {
    const now = new Date();
    for (const run of runs) await hooks.onRecord(cancelledRecord(run, now));
    return;
  }
  const client = new SlurmClient(opts.env ?? process.env);
  const dir = join(slurmDir(opts.exp_dir), submissionName());
  await mkdir(join(dir, LOG_DIR), { recursive: true });
  await mkdir(join(dir, RESULT_DIR), { recursive: true });

  const tasks: SlurmTaskSpec[] = runs.map((run, i) => ({
    index: run.index,
    id: run.id,
    argv: run.argv,
    cwd: run.cwd,
    out_dir: run.out_dir,
    timeout_s: run.timeout_s,
    result: join(dir, RESULT_DIR, `${i}.json`),
    ...taskLogPaths(run.out_dir),
  }));
  const manifest: SlurmManifest = { format: 'emotune-slurm-manifest', version: 1, created_at: new Date().toISOString(), tasks };
  await writeJsonAtomic(join(dir, MANIFEST_NAME), manifest);

  // Slurm refuses array indices >= MaxArraySize (1001 by default): larger grids go out as several arrays,
  // each waiting for the one before (afterany), so the %N throttle still bounds the whole submission.
  const chunkSize = Math.max(1, opts.max_array_size ?? (await client.maxArraySize()));
  const nChunks = Math.ceil(runs.length / chunkSize);
  const longest = Math.max(...runs.map((r) => r.timeout_s));
  const chunks: Chunk[] = [];
  const jobIds = () => chunks.map((c) => c.jobId);
  try {
    for (let c = 0; c < nChunks; c++) {
      const offset = c * chunkSize;
      const size = Math.min(chunkSize, runs.length - offset);
      const names = chunkNames(c, nChunks);
      const script = buildSbatchScript({
        slurm: opts,
        tasks: size,
        offset,
        log_prefix: names.log_prefix,
        throttle: opts.max_parallel ?? hooks.concurrency,
        time_limit_s: longest + (opts.time_margin_s ?? DEFAULT_TIME_MARGIN_S),
        task_command: opts.task_command ?? resolveCommand(['emotune']),
      });
      const scriptPath = join(dir, names.script);
      await writeFile(scriptPath, script, { mode: 0o755 });
      const prev = chunks[c - 1];
      const jobId = await client.submit(scriptPath, dir, prev ? [`--dependency=afterany:${prev.jobId}`] : []);
      chunks.push({ offset, size, log_prefix: names.log_prefix, jobId });
    }
  } catch (e) {
    await client.cancel(jobIds()).catch(() => undefined); // no half-submitted grid left behind
    throw e;
  }
  await writeJsonAtomic(join(dir, 'job.json'), { job_id: chunks[0]!.jobId, job_ids: jobIds(), submitted_at: new Date().toISOString(), tasks: runs.length, chunk_size: chunkSize });

  const chunkOf = (i: number) => chunks[Math.floor(i / chunkSize)]!;
  const logPath = (i: number) => join(dir, LOG_DIR, `${chunkOf(i).log_prefix}${i - chunkOf(i).offset}.err`);
  /** Task states of every chunk, by manifest index. */
  const collect = async (get: (jobId: string) => Promise<Map<number, TaskState>>) => {
    const all = new Map<number, TaskState>();
    for (const ch of chunks) for (const [a, st] of await get(ch.jobId)) if (a < ch.size) all.set(ch.offset + a, st);
    return all;
  };

  const pollMs = (opts.poll_s ?? DEFAULT_POLL_S) * 1000;
  const graceMs = (opts.result_grace_s ?? DEFAULT_RESULT_GRACE_S) * 1000;
  const pending = new Set(runs.map((_, i) => i));
  const startedAt = new Map<number, Date>();
  const goneSince = new Map<number, number>();
  let cancelledAt: number | undefined;
  const wake = new AbortController(); // interrupts the poll sleep when cancellation arrives
  const onAbort = () => wake.abort();
  hooks.signal.addEventListener('abort', onAbort, { once: true });

  const markStarted = (i: number, at = new Date()) => {
    if (startedAt.has(i)) return;
    startedAt.set(i, at);
    hooks.onStart(runs[i]!);
  };
  const finish = async (i: number, rec: RunRecord) => {
    pending.delete(i);
    await hooks.onRecord(rec);
  };
  const resultNames = async () => new Set(await readdir(join(dir, RESULT_DIR)).catch(() => [] as string[]));

  try {
    while (pending.size > 0) {
      if (hooks.signal.aborted && cancelledAt === undefined) {
        await client.cancel(jobIds());
        cancelledAt = Date.now();
      }
      // 1. Results written by finished tasks (the authoritative record: exit code, tails, times).
      const names = await resultNames();
      for (const i of [...pending]) {
        if (!names.has(`${i}.json`)) continue;
        const r = await readResult(tasks[i]!.result, runs[i]!);
        if (!r) continue;
        markStarted(i, new Date(r.started_at));
        const ch = chunkOf(i);
        if (r.cancelled && cancelledAt === undefined && (await slurmTimedOut(client, ch.jobId, i - ch.offset))) {
          // Stopped by Slurm's --time (slow setup lines), not by the user: a time-out, as the seed records it.
          await finish(i, recordFromResult(runs[i]!, { ...r, cancelled: false, timed_out: true }));
          continue;
        }
        await finish(i, recordFromResult(runs[i]!, r));
      }
      if (pending.size === 0) break;

      // 2. Live states: report starts; find tasks that ended (or left the queue) without a result.
      const queue = await collect((id) => client.queue(id));
      const now = Date.now();
      let finals: Map<number, TaskState> | undefined;
      let late: Set<string> | undefined;
      for (const i of [...pending]) {
        const st = queue.get(i);
        if (st && (st.state === 'RUNNING' || st.state === 'COMPLETING')) markStarted(i);
        if (st && !isFinalState(st.state)) {
          goneSince.delete(i);
          // After scancel, a task still listed as pending will never start.
          if (cancelledAt !== undefined && st.state === 'PENDING' && now - cancelledAt > pollMs * 2) {
            await finish(i, cancelledRecord(runs[i]!, new Date()));
          }
          continue;
        }
        if (!goneSince.has(i)) goneSince.set(i, now);
        // A result that landed since step 1 is read on the next round.
        late ??= await resultNames();
        if (late.has(`${i}.json`)) continue;
        const wasRunning = startedAt.has(i);
        if (cancelledAt !== undefined && !wasRunning) {
          await finish(i, cancelledRecord(runs[i]!, new Date()));
          continue;
        }
        // Give a finished task's result file time to appear (shared file systems lag).
        const waited = now - goneSince.get(i)!;
        const cancelWaitOver = cancelledAt !== undefined && now - cancelledAt > CANCEL_WAIT_S * 1000;
        if (waited < graceMs && !cancelWaitOver) continue;
        finals ??= await collect((id) => client.finalStates(id));
        const fin = finals.get(i) ?? st;
        if (fin && !isFinalState(fin.state) && !cancelWaitOver) {
          goneSince.delete(i); // squeue missed it (a transient failure): the task is still alive
          continue;
        }
        if (cancelledAt !== undefined || fin?.state.startsWith('CANCELLED')) {
          await finish(i, cancelledRecord(runs[i]!, new Date(), startedAt.get(i)));
        } else {
          await finish(i, recordFromSlurmState(runs[i]!, fin, await readTail(logPath(i), 2000), logPath(i), new Date(), startedAt.get(i)));
        }
      }
      if (pending.size === 0) break;
      await sleep(cancelledAt !== undefined ? Math.min(pollMs, 1000) : pollMs, hooks.signal.aborted ? new AbortController().signal : wake.signal);
    }
  } finally {
    hooks.signal.removeEventListener('abort', onAbort);
    // Whatever happened here (an error in a hook, a failed poll), leave no tasks running on the cluster.
    if (pending.size > 0 && cancelledAt === undefined) await client.cancel(jobIds()).catch(() => undefined);
  }
}
