import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PreparedRun } from '../../kernel-lib/src/run/types.js';

const here = dirname(fileURLToPath(import.meta.url));
export const fakeGenerator = join(here, 'fixtures', 'fake-generator.mjs');
const cliSource = join(here, '..', '..', 'kernel-lib', 'src', 'cli', 'main.ts');

/** Tasks run the CLI from source through tsx, so the test checks this checkout, not a stale build. */
export function sourceTaskCommand(): string[] {
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return [process.execPath, '--import', pathToFileURL(join(tsxDir, 'dist', 'loader.mjs')).href, cliSource];
}

export interface ClusterCheck {
  ok: boolean;
  why?: string;
}

/** Whether sbatch exists and the cluster answers with a usable node. */
export function clusterStatus(): ClusterCheck {
  try {
    execFileSync('sbatch', ['--version'], { stdio: 'pipe' });
  } catch {
    return { ok: false, why: 'sbatch is not installed (run .ci/setup-slurm.sh as root)' };
  }
  try {
    const states = execFileSync('sinfo', ['-h', '-o', '%t'], { stdio: 'pipe', encoding: 'utf8', timeout: 15_000 })
      .split('\n')
      .map((s) => s.trim());
    if (!states.some((s) => s === 'idle' || s === 'mix' || s === 'alloc'))
      return { ok: false, why: `no usable Slurm node (sinfo states: ${states.join(' ')}); run .ci/setup-slurm.sh` };
  } catch (e) {
    return { ok: false, why: `sinfo failed (${(e as Error).message.split('\n')[0]}); run .ci/setup-slurm.sh` };
  }
  return { ok: true };
}

let counter = 0;

/** A prepared run of the fake generator, shaped as the run stage prepares real ones. */
export function fakeRun(root: string, extraArgs: string[], over: Partial<PreparedRun> = {}): PreparedRun {
  counter++;
  const index = over.index ?? counter;
  const conditions = over.conditions ?? { duration: 'Note_Duration_1080' };
  const prefix = `fake_inference-primed_duration_emo1_dur1080_${index}_`;
  const out_dir = join(root, `${prefix}run`);
  const args = [
    '--mode',
    'inference-primed',
    '--conditions',
    JSON.stringify(conditions),
    ...extraArgs,
    '--out_dir',
    out_dir,
  ];
  return {
    index,
    id: `id${String(index).padStart(4, '0')}`,
    model: 'fake',
    mode: 'inference-primed',
    emotion: 1,
    key: null,
    subset: Object.keys(conditions),
    conditions,
    out_dir_prefix: prefix,
    out_dir,
    args,
    argv: [process.execPath, fakeGenerator, ...args],
    cwd: root,
    timeout_s: 60,
    ...over,
  };
}

/** PIDs of live processes whose command line mentions `marker` (a test's unique temp folder). */
export function processesMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue; // zombies hold no resources and are reaped by their parent
      if (cmd.includes(marker)) pids.push(Number(name));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

export function squeueLines(jobId: string): string[] {
  try {
    return execFileSync('squeue', ['-h', '-r', '-j', jobId, '-o', '%K|%T'], { encoding: 'utf8', stdio: 'pipe' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * PIDs still mentioning `marker` once the task wrappers have had up to `ms` to exit (a task writes its result
 * file a moment before its own process ends). An empty list means nothing was left behind.
 */
export async function leftoverProcesses(marker: string, ms = 20_000): Promise<number[]> {
  const until = Date.now() + ms;
  let pids = processesMentioning(marker);
  while (pids.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    pids = processesMentioning(marker);
  }
  return pids;
}
