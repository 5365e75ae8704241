/**
 * Issue 13, process trees and signals at the level of one run (items 1, 2, 6, 10), with real processes: a
 * generator whose leftovers hold its pipes open, a grandchild in its own session, a generator ignoring SIGTERM,
 * a time-out beyond Node's timer range, and a log on a full disk (/dev/full).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../../src/run/process.js';
import { recordFromOutcome } from '../../src/run/record.js';
import { setLongTimeout, MAX_TIMER_STEP_MS } from '../../src/run/safe-timer.js';
import type { PreparedRun } from '../../src/run/types.js';
import { repoRoot, tempDir } from '../helpers.js';
import { isAlive, killLeftovers, leftoverProcesses } from '../../../test/support/process-table.js';

const hostile = join(repoRoot, 'kernel-lib', 'test', 'fixtures', 'hostile', 'hostile-generator.mjs');
const ON_LINUX = process.platform === 'linux';
const dirs: string[] = [];

afterEach(async () => {
  for (const d of dirs.splice(0)) {
    await killLeftovers(d);
    rmSync(d, { recursive: true, force: true });
  }
});

function generatorArgv(outDir: string): string[] {
  return [
    process.execPath,
    hostile,
    '--mode',
    'inference-primed',
    '--emo_tag',
    '1',
    '--num_songs',
    '1',
    '--out_dir',
    outDir,
  ];
}

const strays = (stdout: string) => [...stdout.matchAll(/stray (\d+)/g)].map((m) => Number(m[1]));

async function run(behaviour: string, opts: { timeoutS: number; signal?: AbortSignal; stdoutLog?: string }) {
  const dir = tempDir('emotune-hostile-');
  dirs.push(dir);
  const outDir = join(dir, 'out');
  const o = await runProcess(generatorArgv(outDir), {
    cwd: dir,
    timeoutS: opts.timeoutS,
    signal: opts.signal,
    stdoutLog: opts.stdoutLog,
    env: { HOSTILE: behaviour },
  });
  return { o, dir, outDir };
}

describe.skipIf(!ON_LINUX)('runProcess against hostile generators (issue 13)', () => {
  it('item 1: a generator that exits 0 while a background child holds stdout ends with its exit, not a time-out; the child is killed', async () => {
    const { o, dir, outDir } = await run('bg-stdout', { timeoutS: 15 });
    expect(o.timedOut).toBe(false);
    expect(o.returncode).toBe(0);
    expect(existsSync(outDir)).toBe(true);
    const [pid] = strays(o.stdout);
    expect(pid).toBeGreaterThan(0);
    expect(await isAlive(pid!)).toBe(false);
    expect(await leftoverProcesses(dir, 5000)).toEqual([]);
  }, 40_000);

  it('item 1: the same with the child in its own session (setsid): exit 0 is the end, and the escaped child is killed too', async () => {
    const { o, dir } = await run('setsid-stdout', { timeoutS: 15 });
    expect(o.timedOut).toBe(false);
    expect(o.returncode).toBe(0);
    const [pid] = strays(o.stdout);
    expect(await isAlive(pid!)).toBe(false);
    expect(await leftoverProcesses(dir, 5000)).toEqual([]);
  }, 40_000);

  it('item 2: a hanging generator with a setsid grandchild holding stdout: the time-out ends the run and kills both', async () => {
    const { o, dir } = await run('setsid-stdout-hang', { timeoutS: 1 });
    expect(o.timedOut).toBe(true);
    const [pid] = strays(o.stdout);
    expect(await isAlive(pid!)).toBe(false);
    expect(await leftoverProcesses(dir, 5000)).toEqual([]);
  }, 40_000);

  it('item 2: cancelling such a run ends it too (the first cancel is enough)', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1000);
    const { o, dir } = await run('setsid-stdout-hang', { timeoutS: 600, signal: ac.signal });
    expect(o.cancelled).toBe(true);
    expect(await leftoverProcesses(dir, 5000)).toEqual([]);
  }, 40_000);

  it('a generator ignoring SIGTERM is SIGKILLed after the grace period on cancel', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1000);
    const { o, dir } = await run('ignore-term', { timeoutS: 600, signal: ac.signal });
    expect(o.cancelled).toBe(true);
    expect(o.returncode).toBe(-9);
    expect(await leftoverProcesses(dir, 5000)).toEqual([]);
  }, 40_000);

  it('item 10: a time-out beyond 2^31 ms does not fire at once (the run completes normally)', async () => {
    const { o } = await run('ok', { timeoutS: 3_000_000 });
    expect(o.timedOut).toBe(false);
    expect(o.returncode).toBe(0);
  }, 40_000);

  it('item 6: a log on a full disk is reported as "disk full while writing <file>" and the run is recorded as failed, not a crash', async () => {
    const { o } = await run('ok', { timeoutS: 30, stdoutLog: '/dev/full' });
    expect(o.logError).toBe('disk full while writing /dev/full');
    const rec = recordFromOutcome(
      {
        model: 'm',
        mode: 'inference-primed',
        emotion: 1,
        key: null,
        subset: [],
        conditions: {},
        id: 'x',
        index: 1,
        out_dir: '/x',
        args: [],
        argv: [],
        cwd: '/',
        timeout_s: 30,
      } as unknown as PreparedRun,
      o,
      'local',
    );
    expect(rec).toMatchObject({ status: 'failed', reason: 'disk full while writing /dev/full' });
  }, 40_000);
});

describe('setLongTimeout (item 10)', () => {
  it('a delay longer than Node can schedule is split into steps and does not fire early', async () => {
    let fired = false;
    const t = setLongTimeout(() => (fired = true), MAX_TIMER_STEP_MS * 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(fired).toBe(false);
    t.clear();
  });

  it('a short delay fires, and Infinity never does', async () => {
    let fired = 0;
    setLongTimeout(() => fired++, 5);
    const never = setLongTimeout(() => fired++, Infinity);
    await new Promise((r) => setTimeout(r, 60));
    expect(fired).toBe(1);
    never.clear();
  });
});

describe('runProcess arguments Node refuses', () => {
  it('an argument with a NUL byte is a spawn error for the record, not a throw', async () => {
    const o = await runProcess([process.execPath, '-e', 'x\0y'], { cwd: tempDir(), timeoutS: 5 });
    expect(o.spawnError).toMatch(/^ERR_INVALID_ARG_VALUE: /);
    expect(o.returncode).toBeNull();
  });
});
