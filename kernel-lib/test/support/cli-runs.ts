// The built `emotune` CLI as a real process, for the end-to-end tests (Ctrl-C, signals, the soak, a full disk, the
// commands): where it is, small configs for it, starting it with its output collected as it arrives, and removing
// whatever a test started. One home for these, so every process test waits and cleans up the same way.
import { execa, type ResultPromise } from 'execa';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { repoRoot, referenceConfig, tempDir } from '../helpers.js';
import { isAlive, killLeftovers, leftoverProcesses } from '../../../test/support/process-table.js';
import { WaitAborted, type WaitOptions, waitFor } from '../../../test/support/wait.js';

/** The built CLI run as a real process, and the parity-sample experiment the CLI tests analyse. */
export const cli = join(repoRoot, 'kernel-lib', 'dist', 'cli', 'main.js');
export const parity = join(repoRoot, 'kernel-lib', 'test', 'fixtures', 'parity-sample');
export const emotune = (args: string[], cwd = repoRoot) =>
  execa(process.execPath, [cli, ...args], { cwd, reject: false, stripFinalNewline: false });

export function requireBuiltCli(): void {
  if (!existsSync(cli)) throw new Error(`build first (npm run build): ${cli} is missing`);
}

/** The parity sample's config, with the Node stand-in for its Python classifier. */
export function paritySampleCopy(): string {
  const dir = tempDir();
  cpSync(parity, dir, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  cfg.classifier.command = [process.execPath, 'classifier.mjs', '{midi}'];
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
  return dir;
}

/** The reference grid with its `pretrained` model alone (no keys), for a stand-in generator; with overrides. */
export function pretrainedOnlyConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const models = (referenceConfig().models as Array<{ name: string }>).filter((m) => m.name === 'pretrained');
  return referenceConfig({ models, ...overrides });
}

/**
 * The embedded config (kernel-lib/embedded/config.json) with absolute paths, writing into `exp`: the models named
 * in `models` (default both), and the overrides.
 */
export function embeddedConfig(
  exp: string,
  overrides: Record<string, unknown> = {},
  models?: readonly string[],
): Record<string, unknown> {
  const embedded = join(repoRoot, 'kernel-lib', 'embedded');
  const base = JSON.parse(readFileSync(join(embedded, 'config.json'), 'utf8')) as Record<string, unknown>;
  return {
    ...base,
    paths: { dataset_root: join(embedded, 'dataset'), transformer: embedded, exp },
    models: (base.models as Array<{ name: string; word2event_path: string }>)
      .filter((m) => models === undefined || models.includes(m.name))
      .map((m) => ({ ...m, word2event_path: join(embedded, m.word2event_path) })),
    ...overrides,
  };
}

/** A running `emotune` process; `out` fills as it prints, `out.exited` turns true when it ends. */
export interface CliRun {
  child: ResultPromise<{ cwd: string; reject: false }>;
  out: { stdout: string; stderr: string; exited: boolean };
}

/** Starts `emotune <args>` in `cwd` without waiting for it (await `child` for its result; killed after `timeoutMs`). */
export function startCli(args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs?: number): CliRun {
  const child = execa(process.execPath, [cli, ...args], { cwd, reject: false, env, timeout: timeoutMs });
  const out = { stdout: '', stderr: '', exited: false };
  child.stdout?.on('data', (c: Buffer) => (out.stdout += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out.stderr += c.toString('utf8')));
  void child.finally(() => (out.exited = true));
  return { child, out };
}

/** Waits for `probe` while `run` is alive: if the CLI exits first, fails at once with what it printed. */
export function waitWhileRunning<T>(
  run: CliRun,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions,
): Promise<T> {
  return waitFor(() => {
    if (run.out.exited)
      throw new WaitAborted(`emotune exited before ${options.what}:\n${run.out.stdout}\n${run.out.stderr}`);
    return probe();
  }, options);
}

/**
 * The folders and CLI processes a test file starts. `cleanUp` (in afterEach) kills the processes still alive, by
 * pid, then whatever still runs from the folders, and removes them: a failed test leaves nothing on the machine.
 */
export function processJanitor() {
  const dirs: string[] = [];
  const runs: CliRun[] = [];
  return {
    dir(prefix: string): string {
      const d = tempDir(prefix);
      dirs.push(d);
      return d;
    },
    start(args: string[], cwd: string, env: Record<string, string> = {}): CliRun {
      const run = startCli(args, cwd, env);
      runs.push(run);
      return run;
    },
    async cleanUp(): Promise<void> {
      for (const { child } of runs.splice(0)) if (child.pid && (await isAlive(child.pid))) child.kill('SIGKILL');
      for (const d of dirs.splice(0)) {
        await killLeftovers(d);
        rmSync(d, { recursive: true, force: true });
      }
    },
  };
}

/** Fails, listing them, if processes started from `dir` (other than `except`) are still there after `timeoutMs`. */
export async function expectNoProcessesLeft(dir: string, timeoutMs: number, except?: number): Promise<void> {
  const left = (await leftoverProcesses(dir, timeoutMs)).filter((p) => p.pid !== except);
  expect(left, `processes left behind:\n${left.map((p) => `${p.pid} ${p.state} ${p.cmdline}`).join('\n')}`).toEqual([]);
}

/** A small grid of the main job on the embedded generator: both models, every mode, emotion 2, key E:min, one value per token, no classifier. */
export function smallEmbeddedGrid(exp: string, generator: Record<string, unknown> = {}): Record<string, unknown> {
  const config = embeddedConfig(exp, {
    emotions: [2],
    keys: ['E:min'],
    max_values_per_token: { duration: 1, velocity: 1 },
  });
  return {
    ...config,
    generator: { ...(config.generator as Record<string, unknown>), ...generator },
    classifier: undefined,
  };
}
