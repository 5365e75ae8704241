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
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
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
  const { dir, tasks } = await writeSubmission(opts, runs);
  const { chunks, chunkSize } = await submitChunks(client, opts, hooks, runs, dir);
  await new SubmissionWatch(client, opts, hooks, runs, tasks, dir, chunks, chunkSize).untilAllRecorded();
}

/** Step 1: the submission folder (logs, results) and its manifest, one task per run. */
async function writeSubmission(
  opts: SlurmBackendOptions,
  runs: PreparedRun[],
): Promise<{ dir: string; tasks: SlurmTaskSpec[] }> {
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
  const manifest: SlurmManifest = {
    format: 'emotune-slurm-manifest',
    version: 1,
    created_at: new Date().toISOString(),
    tasks,
  };
  await writeJsonAtomic(join(dir, MANIFEST_NAME), manifest);
  return { dir, tasks };
}

/**
 * Step 2: sbatch the job arrays. Slurm refuses array indices >= MaxArraySize (1001 by default): larger grids go
 * out as several arrays, each waiting for the one before (afterany), so the %N throttle still bounds the whole
 * submission. A failed submission cancels what was already submitted.
 */
async function submitChunks(
  client: SlurmClient,
  opts: SlurmBackendOptions,
  hooks: BackendHooks,
  runs: PreparedRun[],
  dir: string,
): Promise<{ chunks: Chunk[]; chunkSize: number }> {
  const chunkSize = Math.max(1, opts.max_array_size ?? (await client.maxArraySize()));
  const nChunks = Math.ceil(runs.length / chunkSize);
  const longest = Math.max(...runs.map((r) => r.timeout_s));
  const chunks: Chunk[] = [];
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
    await client.cancel(chunks.map((c) => c.jobId)).catch(() => undefined); // no half-submitted grid left behind
    throw e;
  }
  const jobIds = chunks.map((c) => c.jobId);
  await writeJsonAtomic(join(dir, 'job.json'), {
    job_id: jobIds[0],
    job_ids: jobIds,
    submitted_at: new Date().toISOString(),
    tasks: runs.length,
    chunk_size: chunkSize,
  });
  return { chunks, chunkSize };
}

/**
 * Step 3: follow the submitted arrays until every run has a record. Each round takes the result files tasks
 * wrote (the authoritative record), then reconciles the queue: reports starts, and records tasks that ended or
 * left the queue without a result (after a grace period for lagging shared file systems), or that will never
 * start after a cancellation. On any exit with runs pending, the arrays are cancelled.
 */
class SubmissionWatch {
  private readonly pending: Set<number>;
  private readonly startedAt = new Map<number, Date>();
  private readonly goneSince = new Map<number, number>();
  private cancelledAt: number | undefined;
  private readonly pollMs: number;
  private readonly graceMs: number;

  constructor(
    private readonly client: SlurmClient,
    opts: SlurmBackendOptions,
    private readonly hooks: BackendHooks,
    private readonly runs: PreparedRun[],
    private readonly tasks: SlurmTaskSpec[],
    private readonly dir: string,
    private readonly chunks: Chunk[],
    private readonly chunkSize: number,
  ) {
    this.pending = new Set(runs.map((_, i) => i));
    this.pollMs = (opts.poll_s ?? DEFAULT_POLL_S) * 1000;
    this.graceMs = (opts.result_grace_s ?? DEFAULT_RESULT_GRACE_S) * 1000;
  }

  private get jobIds(): string[] {
    return this.chunks.map((c) => c.jobId);
  }

  private chunkOf(i: number): Chunk {
    return this.chunks[Math.floor(i / this.chunkSize)]!;
  }

  private logPath(i: number): string {
    const ch = this.chunkOf(i);
    return join(this.dir, LOG_DIR, `${ch.log_prefix}${i - ch.offset}.err`);
  }

  /** Task states of every chunk, by manifest index. */
  private async collect(get: (jobId: string) => Promise<Map<number, TaskState>>): Promise<Map<number, TaskState>> {
    const all = new Map<number, TaskState>();
    for (const ch of this.chunks)
      for (const [a, st] of await get(ch.jobId)) if (a < ch.size) all.set(ch.offset + a, st);
    return all;
  }

  private markStarted(i: number, at = new Date()): void {
    if (this.startedAt.has(i)) return;
    this.startedAt.set(i, at);
    this.hooks.onStart(this.runs[i]!);
  }

  private async finish(i: number, rec: RunRecord): Promise<void> {
    this.pending.delete(i);
    await this.hooks.onRecord(rec);
  }

  private async resultNames(): Promise<Set<string>> {
    return new Set(await readdir(join(this.dir, RESULT_DIR)).catch(() => [] as string[]));
  }

  async untilAllRecorded(): Promise<void> {
    const wake = new AbortController(); // interrupts the poll sleep when cancellation arrives
    const onAbort = () => wake.abort();
    this.hooks.signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (this.pending.size > 0) {
        if (this.hooks.signal.aborted && this.cancelledAt === undefined) {
          await this.client.cancel(this.jobIds);
          this.cancelledAt = Date.now();
        }
        await this.takeResults();
        if (this.pending.size === 0) break;
        await this.reconcileQueue();
        if (this.pending.size === 0) break;
        const ms = this.cancelledAt !== undefined ? Math.min(this.pollMs, 1000) : this.pollMs;
        await sleep(ms, this.hooks.signal.aborted ? new AbortController().signal : wake.signal);
      }
    } finally {
      this.hooks.signal.removeEventListener('abort', onAbort);
      // Whatever happened here (an error in a hook, a failed poll), leave no tasks running on the cluster.
      if (this.pending.size > 0 && this.cancelledAt === undefined)
        await this.client.cancel(this.jobIds).catch(() => undefined);
    }
  }

  /** Results written by finished tasks (exit code, tails, times). */
  private async takeResults(): Promise<void> {
    const names = await this.resultNames();
    for (const i of [...this.pending]) {
      if (!names.has(`${i}.json`)) continue;
      const r = await readResult(this.tasks[i]!.result, this.runs[i]!);
      if (!r) continue;
      this.markStarted(i, new Date(r.started_at));
      const ch = this.chunkOf(i);
      if (
        r.cancelled &&
        this.cancelledAt === undefined &&
        (await slurmTimedOut(this.client, ch.jobId, i - ch.offset))
      ) {
        // Stopped by Slurm's --time (slow setup lines), not by the user: a time-out, as the reference notebook records
        // it.
        await this.finish(i, recordFromResult(this.runs[i]!, { ...r, cancelled: false, timed_out: true }));
        continue;
      }
      await this.finish(i, recordFromResult(this.runs[i]!, r));
    }
  }

  /** Live states: report starts; record tasks that ended (or left the queue) without a result. */
  private async reconcileQueue(): Promise<void> {
    const { cancelledAt, pollMs } = this;
    const queue = await this.collect((id) => this.client.queue(id));
    const now = Date.now();
    let finals: Map<number, TaskState> | undefined;
    let late: Set<string> | undefined;
    for (const i of [...this.pending]) {
      const st = queue.get(i);
      if (st && (st.state === 'RUNNING' || st.state === 'COMPLETING')) this.markStarted(i);
      if (st && !isFinalState(st.state)) {
        this.goneSince.delete(i);
        // After scancel, a task still listed as pending will never start.
        if (cancelledAt !== undefined && st.state === 'PENDING' && now - cancelledAt > pollMs * 2) {
          await this.finish(i, cancelledRecord(this.runs[i]!, new Date()));
        }
        continue;
      }
      if (!this.goneSince.has(i)) this.goneSince.set(i, now);
      // A result that landed since takeResults is read on the next round.
      late ??= await this.resultNames();
      if (late.has(`${i}.json`)) continue;
      const wasRunning = this.startedAt.has(i);
      if (cancelledAt !== undefined && !wasRunning) {
        await this.finish(i, cancelledRecord(this.runs[i]!, new Date()));
        continue;
      }
      // Give a finished task's result file time to appear (shared file systems lag).
      const waited = now - this.goneSince.get(i)!;
      const cancelWaitOver = cancelledAt !== undefined && now - cancelledAt > CANCEL_WAIT_S * 1000;
      if (waited < this.graceMs && !cancelWaitOver) continue;
      finals ??= await this.collect((id) => this.client.finalStates(id));
      const fin = finals.get(i) ?? st;
      if (fin && !isFinalState(fin.state) && !cancelWaitOver) {
        this.goneSince.delete(i); // squeue missed it (a transient failure): the task is still alive
        continue;
      }
      if (cancelledAt !== undefined || fin?.state.startsWith('CANCELLED')) {
        await this.finish(i, cancelledRecord(this.runs[i]!, new Date(), this.startedAt.get(i)));
      } else {
        const log = this.logPath(i);
        await this.finish(
          i,
          recordFromSlurmState(this.runs[i]!, fin, await readTail(log, 2000), log, new Date(), this.startedAt.get(i)),
        );
      }
    }
  }
}
