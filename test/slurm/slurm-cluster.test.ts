// Real job arrays through a real single-node Slurm cluster (.ci/setup-slurm.sh starts one).
// Without sbatch the suite is skipped with a loud message, except in CI (CI=true), where it fails.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../kernel-lib/src/config/load.js';
import type { Word2Event } from '../../kernel-lib/src/formats/types.js';
import { buildPlan } from '../../kernel-lib/src/plan/build-plan.js';
import { createLocalBackend, runPlan, STDERR_LOG, STDOUT_LOG } from '../../kernel-lib/src/run/index.js';
import { createSlurmBackend, type SlurmBackendOptions } from '../../kernel-lib/src/run/slurm/index.js';
import type { BackendHooks, PreparedRun, RunBackend, RunRecord } from '../../kernel-lib/src/run/types.js';
import { waitFor } from '../support/wait.js';
import {
  alive,
  clusterStatus,
  fakeGenerator,
  fakeRun,
  leftoverProcesses,
  sourceTaskCommand,
  squeueLines,
} from './helpers.js';

const cluster = clusterStatus();
const inCI = process.env.CI === 'true';
if (!cluster.ok && !inCI) {
  console.warn(
    `\n${'!'.repeat(100)}\n!!! SKIPPING the Slurm backend cluster tests: ${cluster.why}\n${'!'.repeat(100)}\n`,
  );
}

interface Execution {
  records: RunRecord[];
  starts: string[];
  events: string[];
}

async function execute(
  backend: RunBackend,
  runs: PreparedRun[],
  concurrency: number,
  onStart?: (run: PreparedRun, ac: AbortController) => void,
): Promise<Execution> {
  const ac = new AbortController();
  const out: Execution = { records: [], starts: [], events: [] };
  const hooks: BackendHooks = {
    concurrency,
    signal: ac.signal,
    onStart(run) {
      out.starts.push(run.id);
      out.events.push(`start ${run.id}`);
      onStart?.(run, ac);
    },
    onRecord(record) {
      out.records.push(record);
      out.events.push(`record ${record.id}`);
    },
  };
  await backend.execute(runs, hooks);
  return out;
}

function slurmOptions(exp: string, over: Partial<SlurmBackendOptions> = {}): SlurmBackendOptions {
  return {
    exp_dir: exp,
    poll_s: 0.3,
    result_grace_s: 2,
    time_margin_s: 60,
    task_command: sourceTaskCommand(),
    ...over,
  };
}

/** The one submission folder under <exp>/.slurm. */
function submission(exp: string): { dir: string; jobId: string; script: string } {
  const names = readdirSync(join(exp, '.slurm'));
  expect(names).toHaveLength(1);
  const dir = join(exp, '.slurm', names[0]!);
  const job = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as { job_id: string };
  return { dir, jobId: job.job_id, script: readFileSync(join(dir, 'job.sbatch'), 'utf8') };
}

/** Drop what legitimately differs between backends and folders: times, backend name, the folder root. */
function comparable(r: RunRecord, root: string): Record<string, unknown> {
  const { started_at, ended_at, duration_s, backend, ...rest } = r;
  expect(Number.isNaN(Date.parse(started_at))).toBe(false);
  expect(Date.parse(ended_at)).toBeGreaterThanOrEqual(Date.parse(started_at));
  expect(duration_s).toBeCloseTo((Date.parse(ended_at) - Date.parse(started_at)) / 1000, 2);
  expect(typeof backend).toBe('string');
  return JSON.parse(JSON.stringify(rest).split(root).join('<root>')) as Record<string, unknown>;
}

describe.skipIf(!cluster.ok && !inCI)('Slurm backend on a real cluster', () => {
  let base: string;
  beforeAll(async () => {
    if (!cluster.ok) throw new Error(`CI=true but the Slurm cluster is not usable: ${cluster.why}`);
    base = await mkdtemp(join(tmpdir(), 'emotune-slurm-test-'));
  });
  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('runs a job array (one task per run, %N throttle) and records each run exactly as the local backend does', async () => {
    const hostile = {
      duration: 'Note_Duration_1080; rm -rf ~',
      pitch: '$(touch pwned)`touch pwned2`',
      velocity: '../../escape',
    };
    const make = (root: string) => [
      fakeRun(root, ['--behaviour', 'ok'], { index: 1, id: 'run-ok' }),
      fakeRun(root, ['--behaviour', 'fail', '--code', '3'], { index: 2, id: 'run-fail' }),
      fakeRun(root, ['--behaviour', 'sleep', '--seconds', '1'], { index: 3, id: 'run-sleep' }),
      fakeRun(root, ['--behaviour', 'ok'], { index: 4, id: 'run-hostile', conditions: hostile }),
      fakeRun(root, ['--behaviour', 'sleep', '--seconds', '1'], { index: 5, id: 'run-sleep2' }),
    ];
    const localRoot = join(base, 'local');
    const slurmRoot = join(base, 'slurm');
    const local = await execute(createLocalBackend(), make(localRoot), 2);
    const slurmRuns = make(slurmRoot);
    const slurm = await execute(createSlurmBackend(slurmOptions(slurmRoot, { max_parallel: 2 })), slurmRuns, 4);

    // One record per run, each after its start event.
    expect(slurm.records.map((r) => r.id).sort()).toEqual(slurmRuns.map((r) => r.id).sort());
    expect(slurm.starts.sort()).toEqual(slurmRuns.map((r) => r.id).sort());
    for (const r of slurm.records)
      expect(slurm.events.indexOf(`start ${r.id}`)).toBeLessThan(slurm.events.indexOf(`record ${r.id}`));
    expect(new Set(slurm.records.map((r) => r.backend))).toEqual(new Set(['slurm']));

    // Identical in form and content to the local backend's records (apart from times and the folder root).
    const byId = (e: Execution, root: string) => Object.fromEntries(e.records.map((r) => [r.id, comparable(r, root)]));
    expect(byId(slurm, slurmRoot)).toEqual(byId(local, localRoot));
    const rec = Object.fromEntries(slurm.records.map((r) => [r.id, r]));
    expect(rec['run-ok']).toMatchObject({ status: 'ok', returncode: 0 });
    expect(rec['run-ok']!.stdout.length).toBe(2000);
    expect(rec['run-ok']!.stderr).toBe('Tonart: A-Dur ♯ — fertig\n');
    expect(rec['run-fail']).toMatchObject({ status: 'failed', returncode: 3 });
    expect(rec['run-fail']!.stderr).toContain('CUDA out of memory');

    // Hostile labels reached the generator verbatim, as one argument, and no shell ran them.
    expect(rec['run-hostile']!.stdout).toContain(
      JSON.stringify(['--mode', 'inference-primed', '--conditions', JSON.stringify(hostile), '--behaviour', 'ok']),
    );
    expect(existsSync(join(slurmRoot, 'pwned'))).toBe(false);
    expect(existsSync(join(slurmRoot, 'pwned2'))).toBe(false);

    // The array script: throttle from max_parallel, time limit from the run time-out, per-task logs.
    const sub = submission(slurmRoot);
    expect(sub.script).toContain('#SBATCH --array=0-4%2');
    expect(sub.script).toContain('#SBATCH --time=0-00:02:00'); // 60 s time-out + 60 s margin
    expect(sub.script).not.toContain('rm -rf');
    for (let i = 0; i < 5; i++) {
      expect(existsSync(join(sub.dir, 'logs', `${i}.out`))).toBe(true);
      expect(existsSync(join(sub.dir, 'logs', `${i}.err`))).toBe(true);
    }
    // Full logs in each run folder, as the local backend writes them.
    expect(readFileSync(join(rec['run-ok']!.out_dir, STDOUT_LOG), 'utf8')).toContain('x'.repeat(3000));
    expect(readFileSync(join(rec['run-fail']!.out_dir, STDERR_LOG), 'utf8')).toContain('Traceback');

    // The %2 throttle held: never more than two generators at once.
    const spans = slurmRuns.map(
      (r) => JSON.parse(readFileSync(join(r.out_dir, 'times.json'), 'utf8')) as { started: number; ended: number },
    );
    const overlapAt = (t: number) => spans.filter((s) => s.started <= t && t < s.ended).length;
    expect(Math.max(...spans.map((s) => overlapAt(s.started)))).toBeLessThanOrEqual(2);
  }, 180_000);

  it('splits a grid larger than the array size limit into chained arrays, each task running its own run', async () => {
    const root = join(base, 'chunks');
    const runs = [1, 2, 3, 4, 5].map((i) =>
      fakeRun(root, ['--behaviour', 'ok', '--print_env', 'SLURM_ARRAY_TASK_ID'], {
        index: i,
        id: `run-k${i}`,
        conditions: { duration: `Note_Duration_${i}0` },
      }),
    );
    const res = await execute(createSlurmBackend(slurmOptions(root, { max_parallel: 2, max_array_size: 2 })), runs, 2);
    expect(res.records.map((r) => r.id).sort()).toEqual(runs.map((r) => r.id));
    for (const rec of res.records) {
      const run = runs.find((r) => r.id === rec.id)!;
      expect(rec).toMatchObject({ status: 'ok', returncode: 0 });
      // The generator that wrote this record got this run's own arguments, from array task (index-1) mod 2.
      expect(rec.stdout).toContain(JSON.stringify(run.args.slice(0, run.args.indexOf('--out_dir'))));
      expect(rec.stdout).toContain(`env SLURM_ARRAY_TASK_ID=${(run.index - 1) % 2}\n`);
    }
    const dir = join(root, '.slurm', readdirSync(join(root, '.slurm'))[0]!);
    const job = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as { job_ids: string[] };
    expect(job.job_ids).toHaveLength(3);
    expect(readFileSync(join(dir, 'job-2.sbatch'), 'utf8')).toContain('#SBATCH --array=0-0%1\n');
    expect(readFileSync(join(dir, 'job-1.sbatch'), 'utf8')).toContain('"$((SLURM_ARRAY_TASK_ID + 2))"');
    expect(existsSync(join(dir, 'logs', 'c1_1.err'))).toBe(true);
  }, 180_000);

  it('records a run that hangs past its time-out as the reference notebook does and kills its whole process tree', async () => {
    const root = join(base, 'timeout');
    const run = fakeRun(root, ['--behaviour', 'hang'], { index: 1, id: 'run-hang', timeout_s: 3 });
    const res = await execute(createSlurmBackend(slurmOptions(root)), [run], 1);
    expect(res.records).toHaveLength(1);
    expect(res.records[0]).toMatchObject({
      status: 'timeout',
      returncode: -1,
      stdout: '',
      stderr: 'TIMEOUT',
      backend: 'slurm',
    });
    const pids = JSON.parse(readFileSync(join(run.out_dir, 'pids.json'), 'utf8')) as {
      generator: number;
      child: number;
    };
    expect(alive(pids.generator)).toBe(false);
    expect(alive(pids.child)).toBe(false);
    expect(await leftoverProcesses(root)).toEqual([]);
  }, 120_000);

  it("records a task stopped by Slurm's own time limit as a time-out (not as a user cancellation)", async () => {
    const root = join(base, 'slurm-limit');
    // The run's own time-out is 5 minutes, but the array's --time is Slurm's minimum, one minute.
    const run = fakeRun(root, ['--behaviour', 'hang'], { index: 1, id: 'run-limit', timeout_s: 300 });
    const res = await execute(createSlurmBackend(slurmOptions(root, { time_margin_s: -290 })), [run], 1);
    expect(submission(root).script).toContain('#SBATCH --time=0-00:01:00\n');
    expect(res.records).toHaveLength(1);
    expect(res.records[0]).toMatchObject({ status: 'timeout', returncode: -1, stderr: 'TIMEOUT', backend: 'slurm' });
    const pids = JSON.parse(readFileSync(join(run.out_dir, 'pids.json'), 'utf8')) as {
      generator: number;
      child: number;
    };
    expect(alive(pids.generator)).toBe(false);
    expect(alive(pids.child)).toBe(false);
  }, 240_000);

  it('cancels with scancel: running and pending runs are recorded as cancelled and nothing is left behind', async () => {
    const root = join(base, 'cancel');
    const runs = [1, 2, 3, 4].map((i) =>
      fakeRun(root, ['--behaviour', 'sleep', '--seconds', '120'], { index: i, id: `run-c${i}` }),
    );
    let abortTimer: NodeJS.Timeout | undefined;
    const res = await execute(createSlurmBackend(slurmOptions(root, { max_parallel: 2 })), runs, 2, (_run, ac) => {
      // Once both throttled slots run, give the generators a moment to start, then cancel.
      abortTimer ??= setTimeout(() => ac.abort(), 1500);
    });
    expect(res.records.map((r) => r.id).sort()).toEqual(runs.map((r) => r.id));
    for (const r of res.records) expect(r).toMatchObject({ status: 'cancelled', returncode: -2, backend: 'slurm' });
    // Some ran when scancel came, the rest were still pending: both are cancelled, with different reasons.
    expect(
      res.records.some((r) => /while running|cancelled by the user; process tree killed/.test(r.reason ?? '')),
    ).toBe(true);
    expect(res.records.some((r) => /before it started/.test(r.reason ?? ''))).toBe(true);
    const sub = submission(root);
    // Slurm lists a task as COMPLETING for a moment after its result is written and its processes have ended.
    await waitFor(() => squeueLines(sub.jobId).filter((l) => /RUNNING|PENDING|COMPLETING/.test(l)).length === 0, {
      timeoutMs: 30_000,
      what: 'the cancelled tasks to leave squeue',
    });
    expect(await leftoverProcesses(root)).toEqual([]);
  }, 120_000);

  it('runs the config setup lines before the generator and reports a failing setup from the task log', async () => {
    const root = join(base, 'setup');
    const activated = fakeRun(root, ['--behaviour', 'ok', '--print_env', 'EMOTUNE_TEST_ACTIVATED'], {
      index: 1,
      id: 'run-env',
    });
    const ok = await execute(
      createSlurmBackend(slurmOptions(join(root, 'a'), { setup: ['export EMOTUNE_TEST_ACTIVATED="venv ok"'] })),
      [activated],
      1,
    );
    expect(ok.records[0]).toMatchObject({ status: 'ok', returncode: 0 });
    expect(ok.records[0]!.stdout).toContain('env EMOTUNE_TEST_ACTIVATED=venv ok');

    const broken = fakeRun(root, ['--behaviour', 'ok'], { index: 2, id: 'run-broken-setup' });
    const bad = await execute(
      createSlurmBackend(slurmOptions(join(root, 'b'), { setup: ['echo "activation failed: no venv" >&2', 'exit 7'] })),
      [broken],
      1,
    );
    expect(bad.records).toHaveLength(1);
    expect(bad.records[0]).toMatchObject({ status: 'failed', returncode: 7, backend: 'slurm' });
    expect(bad.records[0]!.reason).toMatch(/Slurm task ended FAILED \(ExitCode 7:0\) without a result/);
    expect(bad.records[0]!.stderr).toContain('activation failed: no venv');
  }, 120_000);
});

describe.skipIf(!cluster.ok && !inCI)('Slurm backend under runPlan (resume, --rerun-failed)', () => {
  let dir: string;
  beforeAll(async () => {
    if (!cluster.ok) throw new Error(`CI=true but the Slurm cluster is not usable: ${cluster.why}`);
    dir = await mkdtemp(join(tmpdir(), 'emotune-slurm-resume-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const vocab = join(
    fileURLToPath(new URL('../../kernel-lib/embedded/vocab/word2event_scratch.json', import.meta.url)),
  );
  // The failure is switched by a file, not by the command: a resume only reuses runs whose command is unchanged.
  const failSwitch = () => join(dir, 'fail-emotion-2');
  const configFor = () =>
    parseConfig(
      {
        paths: { dataset_root: '.', transformer: '.', exp: 'exp' },
        models: [
          {
            name: 'scratch',
            load_ckt: 'c',
            load_ckt_loss: '8',
            load_dict: 'd.pkl',
            word2event_path: vocab,
            key_aware: false,
          },
        ],
        modes: ['inference-primed'],
        tokens_of_interest: ['duration'],
        emotions: [1, 2],
        max_values_per_token: { duration: 2 },
        condition_set_sizes: [1],
        common_args: { num_songs: 2, generation_timeout: 60 },
        folder_names: 'hash',
        backend: 'slurm',
        generator: {
          command: [
            process.execPath,
            fakeGenerator,
            '--behaviour',
            'valid',
            '--vocab',
            vocab,
            '--fail_emotion',
            '2',
            '--fail_while',
            failSwitch(),
          ],
        },
      },
      dir,
    );

  it('finishes only what is missing or failed on a re-run, through new job arrays', async () => {
    const w2e = { scratch: JSON.parse(readFileSync(vocab, 'utf8')) as Word2Event };
    const run = (failEmotion: string | null, rerunFailed = false) => {
      if (failEmotion) writeFileSync(failSwitch(), '');
      else rmSync(failSwitch(), { force: true });
      const config = configFor();
      return runPlan({
        config,
        plan: buildPlan(config, w2e),
        word2eventByModel: w2e,
        rerunFailed,
        backend: createSlurmBackend(slurmOptions(config.paths.exp, { ...config.slurm, max_parallel: 2 })),
      });
    };
    const first = await run('2');
    expect(first.records.map((r) => [r.index, r.emotion, r.status, r.backend])).toEqual([
      [1, 1, 'ok', 'slurm'],
      [2, 2, 'failed', 'slurm'],
      [3, 1, 'ok', 'slurm'],
      [4, 2, 'failed', 'slurm'],
    ]);
    expect(first.records[1]!.returncode).toBe(5);
    const meta = JSON.parse(readFileSync(join(dir, 'exp', 'all_runs_metadata.json'), 'utf8')) as RunRecord[];
    expect(meta.map((r) => r.status)).toEqual(['ok', 'failed', 'ok', 'failed']);

    const second = await run(null, true);
    expect(second.ran).toBe(2);
    expect(second.skipped).toBe(2);
    expect(second.records.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const subs = readdirSync(join(dir, 'exp', '.slurm')).sort();
    expect(subs).toHaveLength(2);
    expect(readFileSync(join(dir, 'exp', '.slurm', subs[1]!, 'job.sbatch'), 'utf8')).toContain(
      '#SBATCH --array=0-1%2\n',
    );

    const third = await run(null);
    expect(third.ran).toBe(0);
    expect(third.skipped).toBe(4);
    expect(readdirSync(join(dir, 'exp', '.slurm'))).toHaveLength(2); // nothing left to submit
  }, 180_000);
});
