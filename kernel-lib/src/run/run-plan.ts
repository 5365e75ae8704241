import { mkdir, rm, access } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { Word2Event } from '../formats/types.js';
import type { PlannedRun, RunPlan } from '../plan/types.js';
import { runId } from '../plan/folder-name.js';
import { displayCommand } from '../generate/command.js';
import { pythonRepr } from '../formats/python-style.js';
import { checkRunOutputs } from './check-outputs.js';
import { localBackendFor } from './in-process/select.js';
import { metadataPath, readRunsMetadata, writeRunsMetadata } from './metadata.js';
import { prepareRun, stableSuffix, StampClock } from './prepare.js';
import type { PreparedRun, ProgressEvent, RunBackend, RunRecord } from './types.js';
import { lockExperiment } from './lock.js';
import { EXP_DIR_VAR, killByEnv } from './strays.js';
import { writeErrorMessage } from './io-errors.js';
import { EmotuneError, describeValue } from '../errors.js';
import { isInside } from '../path-inside.js';
import { MAX_CONCURRENCY } from '../config/schema.js';

export interface RunPlanOptions {
  config: LoadedConfig;
  plan: RunPlan;
  /** Vocabularies per model: outputs naming unknown token types are recorded as invalid. */
  word2eventByModel?: Record<string, Word2Event>;
  /** Defaults to this machine: worker threads for the embedded generator, else a process per run. */
  backend?: RunBackend;
  /** Overrides `config.concurrency`. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Re-run only the runs whose last record failed (failed, timeout, cancelled, invalid outputs). */
  rerunFailed?: boolean;
  /** Ignore earlier records and run everything again (default: skip runs already done with valid outputs). */
  fresh?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** The reference notebook's printed lines (run headers, commands, statuses). */
  onLine?: (line: string) => void;
}

export interface RunPlanResult {
  /** Plan order; earlier records of runs outside the plan come last, never dropped. */
  records: RunRecord[];
  metadataFile: string;
  ran: number;
  skipped: number;
  /** Runs whose earlier outputs were not reused because the generator's command, arguments or folder changed. */
  changed: number;
  cancelled: boolean;
}

function recordKey(
  r: Pick<RunRecord, 'model' | 'mode' | 'emotion' | 'key' | 'subset' | 'conditions'> & { id?: string },
): string {
  return (
    r.id ??
    runId({
      model: r.model,
      mode: r.mode,
      emotion: r.emotion,
      key: r.key ?? null,
      subset: r.subset ?? [],
      conditions: r.conditions ?? {},
    })
  );
}

function absOutDir(expDir: string, outDir: string): string {
  return isAbsolute(outDir) ? outDir : resolve(expDir, outDir);
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/**
 * Execute a plan: skip runs already done (valid outputs), run the rest through the backend, and rewrite
 * `all_runs_metadata.json` atomically after every finished run, so an interruption keeps every record.
 * @example
 * ```ts
 * const progress = et.createRunProgressDisplay({ title: "Generation runs" });
 * const interrupt = et.abortOnInterrupt(); // the kernel's interrupt button stops the runs
 * // Write `config: config`, not `{ config }`: tslab rewrites top-level names, which breaks shorthand properties.
 * const run = await et.runPlan({ config: config, plan: plan, word2eventByModel: vocabs, signal: interrupt.signal, onProgress: progress.onProgress })
 *   .finally(() => interrupt.dispose());
 * console.log(et.runSummaryLines(run.records, run.metadataFile).join("\n"));
 * ```
 */
export async function runPlan(opts: RunPlanOptions): Promise<RunPlanResult> {
  const c = opts.concurrency;
  if (c !== undefined && !(Number.isSafeInteger(c) && c >= 1 && c <= MAX_CONCURRENCY)) {
    throw new EmotuneError('concurrency out of range', {
      field: '--concurrency',
      expected: `a whole number from 1 to ${MAX_CONCURRENCY} (as in the config)`,
      found: describeValue(c),
      code: 'run.concurrency',
    });
  }
  const lock = await lockExperiment(opts.config.paths.exp);
  try {
    // Holding the lock, any generator still marked with this folder belongs to a run that died (SIGKILL, crash).
    killByEnv(EXP_DIR_VAR, resolve(opts.config.paths.exp));
    return await runPlanLocked(opts);
  } finally {
    await lock.release();
  }
}

/** Earlier records of the plan's runs (by run id), and those of runs outside the plan, kept as they are. */
async function readPrevious(
  metaFile: string,
  plan: RunPlan,
  fresh: boolean | undefined,
): Promise<{ previous: Map<string, RunRecord>; orphans: RunRecord[] }> {
  const previous = new Map<string, RunRecord>();
  const orphans: RunRecord[] = [];
  const planIds = new Set(plan.runs.map((r) => r.id));
  if (
    !fresh &&
    (await access(metaFile).then(
      () => true,
      () => false,
    ))
  ) {
    for (const rec of await readRunsMetadata(metaFile)) {
      const id = recordKey(rec);
      if (planIds.has(id)) previous.set(id, { ...rec, id });
      else orphans.push(rec);
    }
  }
  return { previous, orphans };
}

/** Which runs are done (kept with their earlier record) and which run now; `changed` counts stale identities. */
async function selectRuns(
  opts: RunPlanOptions,
  previous: Map<string, RunRecord>,
): Promise<{ keep: Map<string, RunRecord>; toRun: PlannedRun[]; changed: number }> {
  const { config, plan } = opts;
  const keep = new Map<string, RunRecord>();
  const toRun: PlannedRun[] = [];
  let changed = 0;
  for (const run of plan.runs) {
    const prev = previous.get(run.id);
    let prevOk = prev !== undefined && prev.returncode === 0 && (prev.status === undefined || prev.status === 'ok');
    if (prev && prevOk && prev.identity !== prepareRun(config, run, 'identity').identity) {
      // Same grid cell, but another checkpoint, command, argument or folder (or a record from before identities):
      // its outputs answer a different question, so the run is not done.
      changed++;
      prevOk = false;
    }
    if (prev && prevOk) {
      const check = await checkRunOutputs(
        absOutDir(config.paths.exp, prev.out_dir),
        config.common_args.num_songs,
        opts.word2eventByModel?.[run.model],
      );
      if (check.ok) {
        keep.set(run.id, prev);
        continue;
      }
    }
    if (opts.rerunFailed && (prev === undefined || prevOk)) {
      // --rerun-failed touches failures only; a run never attempted stays for a plain re-run.
      if (prev) keep.set(run.id, prev);
      if (!prev || prevOk) continue;
    }
    toRun.push(run);
  }
  return { keep, toRun, changed };
}

/** Commands, folders and stamps of the runs to do; a resumable (hash-named) folder is cleared first. */
async function prepareRuns(config: LoadedConfig, toRun: PlannedRun[]): Promise<PreparedRun[]> {
  const stamps = new StampClock();
  const prepared: PreparedRun[] = toRun.map((run) =>
    prepareRun(config, run, config.folder_names === 'hash' ? stableSuffix(run) : stamps.next()),
  );
  // A resumable folder is reused: clear what an earlier, incomplete attempt left there.
  if (config.folder_names === 'hash') {
    for (const p of prepared)
      if (isInside(config.paths.exp, p.out_dir)) await rm(p.out_dir, { recursive: true, force: true });
  }
  return prepared;
}

/** The seed's lines before a run: a model banner when the model changes, the run's header and its command. */
function runHeaderLines(run: PreparedRun, total: number, newModel: boolean): string[] {
  const banner = newModel ? ['='.repeat(70), `MODEL: ${run.model.toUpperCase()}`, '='.repeat(70)] : [];
  const keyInfo = run.key ? ` | key:${run.key}` : '';
  return [
    ...banner,
    `[${run.index}/${total}] ${pad(run.model, 12)} | ${pad(run.mode, 26)} | emo${run.emotion}${keyInfo} | ${pythonRepr(run.conditions)}`,
    'Command:',
    ` ${displayCommand(run.argv)}`,
  ];
}

/** The seed's status mark for a finished run. */
function statusText(record: RunRecord): string {
  return record.status === 'ok'
    ? '✓'
    : record.status === 'timeout'
      ? '✗ TIMEOUT'
      : record.status === 'cancelled'
        ? '✗ CANCELLED'
        : record.status === 'invalid'
          ? `✗ (invalid output: ${record.reason})`
          : `✗ (code ${record.returncode})`;
}

/**
 * Rewrites the metadata file after each record, one write at a time. A failed write (disk full) is remembered,
 * the runs go on ending cleanly, and the failure is reported at the end.
 */
function metadataWriter(expDir: string, metaFile: string, records: () => RunRecord[]) {
  let writing: Promise<unknown> = Promise.resolve();
  let failure: string | undefined;
  return {
    persist: () =>
      (writing = writing
        .then(() => writeRunsMetadata(expDir, records()))
        .catch((e: unknown) => {
          failure ??= writeErrorMessage(e, metaFile);
        })),
    failure: () => failure,
  };
}

/** Throws the first write failure (metadata or a run's log) as one error: the results are not all on disk. */
function throwOnWriteFailure(writeFailure: string | undefined, records: Iterable<RunRecord>): void {
  const logFailure = [...records].find((r) => r.reason?.startsWith('disk full while writing'))?.reason;
  const message = writeFailure ?? logFailure;
  if (message !== undefined) {
    throw new EmotuneError(message, {
      code: message.startsWith('disk full') ? 'io.disk-full' : 'io.write',
      expected: 'free space in the experiment folder, then re-run (finished runs are kept where they could be written)',
    });
  }
}

async function runPlanLocked(opts: RunPlanOptions): Promise<RunPlanResult> {
  const { config, plan } = opts;
  const expDir = config.paths.exp;
  const say = opts.onLine ?? (() => {});
  const signal = opts.signal ?? new AbortController().signal;
  await mkdir(expDir, { recursive: true });
  const metaFile = metadataPath(expDir);

  const { previous, orphans } = await readPrevious(metaFile, plan, opts.fresh);
  const { keep, toRun, changed } = await selectRuns(opts, previous);
  const prepared = await prepareRuns(config, toRun);

  const fresh = new Map<string, RunRecord>();
  const total = plan.runs.length;
  let done = keep.size;
  let failed = 0;
  let running = 0;
  const started = Date.now();
  opts.onProgress?.({ type: 'plan', total, skipped: keep.size, toRun: prepared.length });
  if (keep.size > 0) say(`Skipping ${keep.size} run(s) already complete with valid outputs`);
  if (changed > 0)
    say(
      `Running ${changed} run(s) again: the generator's command, arguments or working directory changed since they ran`,
    );

  const ordered = (): RunRecord[] => [
    ...plan.runs.flatMap((r) => {
      const rec = fresh.get(r.id) ?? keep.get(r.id);
      return rec ? [rec] : [];
    }),
    ...orphans,
  ];
  const metadata = metadataWriter(expDir, metaFile, ordered);

  const backend = opts.backend ?? localBackendFor(config);
  const concurrency = opts.concurrency ?? config.concurrency;
  let ranCount = 0;
  let lastModel = '';
  await backend.execute(prepared, {
    concurrency,
    signal,
    onStart(run) {
      running++;
      for (const line of runHeaderLines(run, total, run.model !== lastModel)) say(line);
      lastModel = run.model;
      opts.onProgress?.({ type: 'start', run, running });
    },
    async onRecord(record) {
      running = Math.max(0, running - 1);
      if (record.returncode === 0 && record.status === 'ok') {
        const check = await checkRunOutputs(
          record.out_dir,
          config.common_args.num_songs,
          opts.word2eventByModel?.[record.model],
        );
        if (!check.ok) {
          record.status = 'invalid';
          record.reason = check.reason;
        }
      }
      fresh.set(record.id, record);
      if (record.status !== 'cancelled') ranCount++;
      done++;
      if (record.status !== 'ok') failed++;
      say(`  Status: ${statusText(record)}${concurrency > 1 ? ` [${record.index}]` : ''}`);
      const elapsedS = (Date.now() - started) / 1000;
      const finishedHere = done - keep.size;
      const left = total - done;
      const etaS = finishedHere > 0 ? (elapsedS / finishedHere) * left : null;
      opts.onProgress?.({ type: 'record', record, done, failed, running, total, elapsedS, etaS });
      await metadata.persist();
    },
  });
  await metadata.persist();
  throwOnWriteFailure(metadata.failure(), fresh.values());
  const cancelledCount = [...fresh.values()].filter((r) => r.status === 'cancelled').length;
  opts.onProgress?.({
    type: 'end',
    done,
    failed,
    cancelled: cancelledCount,
    total,
    elapsedS: (Date.now() - started) / 1000,
  });
  return {
    records: ordered(),
    metadataFile: metaFile,
    ran: ranCount,
    skipped: keep.size,
    changed,
    cancelled: signal.aborted,
  };
}
