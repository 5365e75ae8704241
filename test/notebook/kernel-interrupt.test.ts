/**
 * A kernel interrupt during the notebook's generation cell (issue 5, cancellation), in a real tslab kernel driven
 * by jupyter_client (test/support/interrupt_kernel.py): the cell is notebooks/evaluation.ipynb's own run cell
 * (`et.abortOnInterrupt()` around `et.runPlan`), the runs hang and leave grandchildren (fake generator). After
 * `KernelManager.interrupt_kernel()` (SIGINT, the kernelspec's signal mode) the started runs must be recorded as
 * `cancelled`, no generator process may be left while the kernel lives on, and the kernel must still run cells.
 */
import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJupyterEnv, type JupyterEnv } from '../support/jupyter-env.js';
import { REPO_ROOT, SYSTEM_PYTHON } from '../support/paths.js';
import { isAlive, killLeftovers, leftoverProcesses } from '../support/process-table.js';
import { missingForNotebooks, shouldRun } from '../support/requirements.js';
import { waitFor } from '../support/wait.js';

const missing = await missingForNotebooks();
if (process.platform !== 'linux') missing.push('Linux (/proc is read to check the process table)');
const RUN = shouldRun('kernel interrupt test in the tslab kernel (test/notebook/kernel-interrupt)', missing);

const DRIVER = path.join(REPO_ROOT, 'test', 'support', 'interrupt_kernel.py');
const EVALUATION = path.join(REPO_ROOT, 'notebooks', 'evaluation.ipynb');
const FAKE_GENERATOR = path.join(REPO_ROOT, 'test', 'fixtures', 'fake-generator.mjs');
const VOCAB = path.join(REPO_ROOT, 'test', 'fixtures', 'vocab', 'word2event_pretrained.json');
/** Six runs (one model without keys, one value per token, emotion 1), all hanging with a grandchild. */
const PLANNED = 6;

interface Reply {
  event: 'reply';
  status: string;
  stdout: string;
  stderr: string;
  result: string | null;
  ename: string | null;
  evalue: string | null;
}
interface SavedRecord {
  index: number;
  status: string;
  returncode: number;
  out_dir: string;
  stdout: string;
}

/** The notebook's generation cell, taken from the notebook itself so the test follows it. */
function notebookRunCell(): string {
  const nb = JSON.parse(readFileSync(EVALUATION, 'utf8')) as {
    cells: Array<{ cell_type: string; source: string | string[] }>;
  };
  const sources = nb.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
  const cell = sources.find((s) => s.includes('et.abortOnInterrupt(') && s.includes('et.runPlan('));
  if (!cell) throw new Error(`${EVALUATION}: no code cell calls et.runPlan inside et.abortOnInterrupt()`);
  return cell;
}

/** One JSON command a line in, one JSON event a line out (see the driver's docstring). */
class KernelDriver {
  private buffer = '';
  private readonly events: Array<Record<string, unknown>> = [];
  private waiting: (() => void) | undefined;
  exited = false;

  constructor(readonly child: ResultPromise) {
    child.stdin!.on('error', () => {}); // the driver may already be gone when clean-up says goodbye
    child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (line) this.events.push(JSON.parse(line) as Record<string, unknown>);
      }
      this.waiting?.();
    });
    void child.finally(() => {
      this.exited = true;
      this.waiting?.();
    });
  }

  send(cmd: Record<string, unknown>): void {
    this.child.stdin!.write(`${JSON.stringify(cmd)}\n`);
  }

  async next<T = Record<string, unknown>>(event: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.shift();
      if (e) {
        if (e.event !== event) throw new Error(`kernel driver: expected event ${event}, got ${JSON.stringify(e)}`);
        return e as T;
      }
      if (this.exited)
        throw new Error(`kernel driver exited while waiting for ${event}: ${String((await this.child).stderr)}`);
      if (Date.now() > deadline) throw new Error(`kernel driver: no ${event} event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 500);
      });
    }
  }

  async execute(code: string, timeoutS = 120): Promise<Reply> {
    this.send({ op: 'execute', code, timeout: timeoutS });
    return this.next<Reply>('reply', (timeoutS + 30) * 1000);
  }

  /**
   * As `execute`, but after a failed cell: tslab answers `abort` to requests that arrive within 200 ms of an error
   * (it drops the rest of the queue, as Jupyter's stop-on-error), so such a cell is sent again.
   */
  async executeAfterError(code: string, timeoutS = 120): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      const reply = await this.execute(code, timeoutS);
      if (reply.status !== 'abort' || attempt >= 10) return reply;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function runFolders(expDir: string): string[] {
  return existsSync(expDir)
    ? readdirSync(expDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => path.join(expDir, e.name))
        .sort()
    : [];
}

describe.skipIf(!RUN)('kernel interrupt during the notebook run cell (tslab, jupyter_client)', () => {
  let dir: string | undefined;
  let jupyter: JupyterEnv | undefined;
  let driver: KernelDriver | undefined;

  afterAll(async () => {
    if (driver && !driver.exited) {
      driver.send({ op: 'shutdown' });
      await Promise.race([driver.child, new Promise((r) => setTimeout(r, 20_000))]);
      if (!driver.exited && driver.child.pid) driver.child.kill('SIGKILL');
    }
    if (dir) {
      await killLeftovers(dir);
      await rm(dir, { recursive: true, force: true });
    }
    await jupyter?.dispose();
  }, 60_000);

  it('records the started runs as cancelled, leaves no generator process, and the kernel runs the next cell', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'emotune-kernel-interrupt-'));
    const expDir = path.join(dir, 'exp');
    const configFile = path.join(dir, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify(
        {
          random_seed: 2084,
          paths: { dataset_root: 'dataset', transformer: '.', exp: 'exp' },
          models: [
            {
              name: 'pretrained',
              load_ckt: 'checkpoints',
              load_ckt_loss: 'pre',
              load_dict: 'dictionary.pkl',
              word2event_path: VOCAB,
              key_aware: false,
            },
          ],
          modes: ['inference-deterministic', 'inference-primed', 'inference-forced'],
          tokens_of_interest: ['duration', 'velocity'],
          emotions: [1],
          keys: ['A:maj'],
          common_args: { task_type: '4-cls', num_songs: 1, save_tokens_json: 1, generation_timeout: 600 },
          max_values_per_token: { duration: 1, velocity: 1 },
          condition_set_sizes: [1],
          generator: { command: [process.execPath, FAKE_GENERATOR], timeout_s: 600 },
          concurrency: 2,
        },
        null,
        2,
      ),
    );

    jupyter = await createJupyterEnv('emotune-kint-');
    const kernelLog = path.join(jupyter.dir, 'kernel.log');
    const child = execa(
      SYSTEM_PYTHON,
      [DRIVER, '--kernel', 'tslab', '--cwd', path.join(REPO_ROOT, 'notebooks'), '--kernel-log', kernelLog],
      {
        // The kernel, and through it the generators, inherit the hang rule.
        env: { ...jupyter.env, HOME: path.join(jupyter.dir, 'home'), FAKE_GEN_RULES: 'emo1:spawn-child' },
        extendEnv: true,
        stdin: 'pipe',
        reject: false,
      },
    );
    driver = new KernelDriver(child);
    const logTail = async () => (await readFile(kernelLog, 'utf8').catch(() => '')).slice(-3000);

    const ready = await driver.next<{ pid: number }>('ready', 180_000);
    expect(await isAlive(ready.pid)).toBe(true);

    const setup = await driver.execute(
      [
        'import * as et from "@emotune/kernel-lib";',
        `const config = await et.loadConfig(${JSON.stringify(configFile)});`,
        'const vocabs = await et.loadModelVocabularies(config.models);',
        'const plan = et.buildPlan(config, vocabs);',
        'console.log(`planned ${plan.total} runs`);',
      ].join('\n'),
      180,
    );
    expect(setup.status, `${setup.stderr}\n${await logTail()}`).toBe('ok');
    expect(setup.stdout).toContain(`planned ${PLANNED} runs`);

    driver.send({ op: 'submit', code: notebookRunCell() });
    await driver.next('submitted', 10_000);
    // Two runs started (concurrency 2), each generator has spawned its grandchild (its pid is in the run's log).
    await waitFor(
      () => {
        const logs = runFolders(expDir).map((f) => path.join(f, 'emotune.stdout.log'));
        return logs.length >= 2 && logs.every((l) => existsSync(l) && readFileSync(l, 'utf8').includes('grandchild '));
      },
      { timeoutMs: 90_000, what: `two hanging runs with their grandchildren under ${expDir}` },
    ).catch(async (e: Error) => {
      driver!.send({ op: 'collect', timeout: 5 });
      const r = await driver!.next<Reply>('reply', 30_000).catch(() => undefined);
      throw new Error(`${e.message}\nrun cell: ${JSON.stringify(r)}\nkernel log: ${await logTail()}`);
    });
    const startedFolders = runFolders(expDir);
    expect(startedFolders.length).toBeLessThan(PLANNED);

    driver.send({ op: 'interrupt' });
    await driver.next('interrupted', 30_000);
    // The interrupted cell ends (tslab rejects it); the runner finishes cancelling in the background.
    driver.send({ op: 'collect', timeout: 60 });
    const runReply = await driver.next<Reply>('reply', 90_000);
    // "dead": the interrupt killed the kernel (and orphaned the generators); "timeout": the cell never ended.
    expect(
      ['ok', 'error', 'abort'],
      `run cell after the interrupt: ${JSON.stringify(runReply)}\n${await logTail()}`,
    ).toContain(runReply.status);

    const records = await waitFor(
      () => {
        const file = path.join(expDir, 'all_runs_metadata.json');
        if (!existsSync(file)) return false;
        const recs = JSON.parse(readFileSync(file, 'utf8')) as SavedRecord[];
        return recs.length >= startedFolders.length ? recs : false;
      },
      { timeoutMs: 30_000, what: 'all_runs_metadata.json with a record per started run' },
    );
    // Exactly the started runs, in plan order, cancelled; no new run started after the interrupt.
    expect(records.map((r) => r.out_dir).sort()).toEqual(startedFolders);
    expect(records.map((r) => r.index)).toEqual(records.map((r) => r.index).sort((a, b) => a - b));
    for (const r of records) {
      expect(r.status, JSON.stringify(r)).toBe('cancelled');
      expect(r.returncode).toBe(-2);
    }
    expect(runFolders(expDir)).toEqual(startedFolders);

    // No generator or grandchild is left, while the kernel that started them lives on.
    const grandchildren = records.map((r) => Number(/grandchild (\d+)/.exec(r.stdout)?.[1]));
    expect(
      grandchildren.every((p) => Number.isInteger(p) && p > 0),
      JSON.stringify(records.map((r) => r.stdout)),
    ).toBe(true);
    const left = await leftoverProcesses(dir, 10_000);
    expect(left, `processes left behind:\n${left.map((p) => `${p.pid} ${p.state} ${p.cmdline}`).join('\n')}`).toEqual(
      [],
    );
    for (const pid of grandchildren) expect(await isAlive(pid), `grandchild ${pid}`).toBe(false);

    driver.send({ op: 'alive' });
    expect((await driver.next<{ alive: boolean }>('alive', 10_000)).alive).toBe(true);
    expect(await isAlive(ready.pid)).toBe(true);
    const sum = await driver.executeAfterError('1+1', 60);
    expect(sum.status, `${sum.stderr}\n${await logTail()}`).toBe('ok');
    expect(sum.result ?? sum.stdout).toContain('2');

    // The same kernel resumes from the metadata: without the hang rule every planned run completes.
    const again = await driver.execute(
      [
        'delete process.env.FAKE_GEN_RULES;',
        // No shorthand properties: tslab does not rewrite `{ config }` to the earlier cell's variable.
        'const again = await et.runPlan({ config: config, plan: plan, word2eventByModel: vocabs });',
        'console.log(`ok ${again.records.filter((r) => r.status === "ok").length}/${again.records.length} cancelled=${again.cancelled}`);',
      ].join('\n'),
      180,
    );
    expect(again.status, `${again.stderr}\n${await logTail()}`).toBe('ok');
    expect(again.stdout).toContain(`ok ${PLANNED}/${PLANNED} cancelled=false`);

    driver.send({ op: 'shutdown' });
    await driver.next('bye', 60_000);
    expect((await driver.child).exitCode).toBe(0);
  }, 600_000);
});
