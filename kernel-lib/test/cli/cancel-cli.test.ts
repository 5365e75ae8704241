/**
 * Ctrl-C during `emotune run` / `emotune evaluate` (issue 5, cancellation), with real processes: the CLI from dist,
 * the contract-following fake generator, runs that hang and leave a grandchild only a process-group kill removes.
 * After SIGINT the CLI must exit 130, record exactly the started runs as `cancelled` in plan order, record nothing
 * for runs never started, leave no process behind (checked in /proc), and a second invocation must finish the rest.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fakeGenerator, writeConfig } from '../helpers.js';
import { isAlive } from '../../../test/support/process-table.js';
import {
  expectNoProcessesLeft,
  pretrainedOnlyConfig,
  processJanitor,
  requireBuiltCli,
  startCli,
  waitWhileRunning,
} from '../support/cli-runs.js';

const ON_LINUX = process.platform === 'linux';
if (!ON_LINUX) console.warn('\n*** SKIPPING cancel-cli tests: they read the process table from /proc (Linux only)\n');

/** Every run of emotion 1 hangs and starts a grandchild in its process group (see the fake generator's header). */
const HANG_RULES = 'emo1:spawn-child';
/** One model without keys, one value per token, emotion 1: six runs, all hanging under HANG_RULES. */
const PLANNED = 6;

interface SavedRecord {
  index: number;
  status: string;
  returncode: number;
  out_dir: string;
  stdout: string;
  mode: string;
}

function gridConfig(dir: string): string {
  return writeConfig(
    dir,
    pretrainedOnlyConfig({
      emotions: [1],
      max_values_per_token: { duration: 1, velocity: 1 },
      // Time-outs far beyond the test: a run must end by cancellation, never by its time-out.
      common_args: { task_type: '4-cls', num_songs: 1, save_tokens_json: 1, generation_timeout: 600 },
      generator: { command: [process.execPath, fakeGenerator], timeout_s: 600 },
      concurrency: 2,
    }),
  );
}

const owned = processJanitor();
beforeAll(requireBuiltCli);
// A failed test must not leave hanging generators on the machine: kill what this file started.
afterEach(() => owned.cleanUp());

/** The `[i/N]` header before each `Command:` line: the plan indices of the runs the CLI started. */
function startedIndices(stdout: string): number[] {
  const lines = stdout.split('\n');
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (l === 'Command:') {
      const m = /^\[(\d+)\/\d+\]/.exec(lines[i - 1] ?? '');
      if (m) out.push(Number(m[1]));
    }
  });
  return out;
}

function runFolders(expDir: string): string[] {
  return existsSync(expDir)
    ? readdirSync(expDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(expDir, e.name))
        .sort()
    : [];
}

/** Starts `emotune <command>` on hanging runs, waits until two generators run and have spawned their grandchild, sends SIGINT. */
async function cancelMidway(command: 'run' | 'evaluate') {
  const dir = owned.dir('emotune-cancel-');
  const config = gridConfig(dir);
  const expDir = join(dir, 'exp');
  const run = owned.start([command, '--config', config, '--lines'], dir, { FAKE_GEN_RULES: HANG_RULES });
  const { child } = run;

  // Two runs started (concurrency 2), and each generator has written the pid of its grandchild to its log.
  await waitWhileRunning(
    run,
    () => {
      if (startedIndices(run.out.stdout).length < 2) return false;
      const logs = runFolders(expDir).map((f) => join(f, 'emotune.stdout.log'));
      return logs.length >= 2 && logs.every((l) => existsSync(l) && readFileSync(l, 'utf8').includes('grandchild '));
    },
    { timeoutMs: 60_000, what: 'two hanging runs with their grandchildren' },
  );
  child.kill('SIGINT');
  const result = await child;
  return { dir, expDir, result, stdout: result.stdout as string };
}

function readRecords(expDir: string): SavedRecord[] {
  const text = readFileSync(join(expDir, 'all_runs_metadata.json'), 'utf8');
  return JSON.parse(text) as SavedRecord[]; // throws (fails the test) if the file is not valid JSON
}

/** The assertions shared by `run` and `evaluate` after the interrupt. */
async function expectCleanCancellation(c: Awaited<ReturnType<typeof cancelMidway>>) {
  expect(c.result.signal, 'the CLI itself must not die of the signal').toBeUndefined();
  expect(c.result.exitCode, c.result.stderr as string).toBe(130);
  expect(c.result.stderr).toContain('cancelling');

  const started = startedIndices(c.stdout);
  expect(started.length).toBeGreaterThanOrEqual(2);
  expect(started.length).toBeLessThan(PLANNED); // some runs were never started

  const records = readRecords(c.expDir);
  // Exactly the started runs, in plan order, each cancelled with the runner's code for it.
  expect(records.map((r) => r.index)).toEqual([...started].sort((a, b) => a - b));
  for (const r of records) {
    expect(r.status).toBe('cancelled');
    expect(r.returncode).toBe(-2);
  }
  // A run never started has no record and no folder.
  expect(runFolders(c.expDir)).toEqual(records.map((r) => r.out_dir).sort());

  // The grandchildren really existed (their pids are in the kept stdout tails) and are gone, as is everything else.
  const grandchildren = records.map((r) => Number(/grandchild (\d+)/.exec(r.stdout)?.[1]));
  expect(
    grandchildren.every((p) => Number.isInteger(p) && p > 0),
    JSON.stringify(records.map((r) => r.stdout)),
  ).toBe(true);
  await expectNoProcessesLeft(c.dir, 10_000);
  for (const pid of grandchildren) expect(await isAlive(pid), `grandchild ${pid} still alive`).toBe(false);
}

describe.skipIf(!ON_LINUX)('Ctrl-C in the emotune CLI (real processes)', () => {
  it('run: SIGINT cancels the running generators and their trees, records them as cancelled, exits 130; a re-run finishes the rest', async () => {
    const c = await cancelMidway('run');
    await expectCleanCancellation(c);
    expect(c.stdout).toContain('✗ CANCELLED');

    // The metadata resumes: without the hang rule, a second run completes every planned run.
    const again = await startCli(['run', '--config', join(c.dir, 'config.json'), '--lines'], c.dir).child;
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Successful: ${PLANNED}/${PLANNED}`);
    const records = readRecords(c.expDir);
    expect(records.map((r) => r.index)).toEqual(Array.from({ length: PLANNED }, (_, i) => i + 1));
    expect(records.every((r) => r.status === 'ok' && r.returncode === 0)).toBe(true);
  }, 180_000);

  it('evaluate: SIGINT during generation exits 130 without analysing or writing results; a re-run evaluates everything', async () => {
    const c = await cancelMidway('evaluate');
    await expectCleanCancellation(c);
    for (const f of ['evaluation_results_comprehensive.json', 'evaluation_results_extended.json', 'report.html']) {
      expect(existsSync(join(c.expDir, f)), `${f} must not be written after a cancel`).toBe(false);
    }

    const again = await startCli(['evaluate', '--config', join(c.dir, 'config.json'), '--lines'], c.dir).child;
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Successful: ${PLANNED}/${PLANNED}`);
    for (const f of ['evaluation_results_comprehensive.json', 'evaluation_results_extended.json', 'report.html']) {
      expect(existsSync(join(c.expDir, f)), f).toBe(true);
    }
  }, 180_000);
});
