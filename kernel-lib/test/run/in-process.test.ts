// The in-process path for this package's own generator: the same time-outs, cancellation and argument errors as a
// process per run, and processes again when the config says `isolate` (the same files: in-process-parity.test.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { createInProcessBackend } from '../../src/run/in-process/backend.js';
import {
  classifierRunsInProcess,
  generatorRunsInProcess,
  isBuiltinGeneratorCommand,
  isCommittedClassifierCommand,
  isEmbeddedClassifier,
  isEmbeddedGenerator,
  poolSize,
} from '../../src/run/in-process/commands.js';
import { createWorkerPool } from '../../src/run/in-process/pool.js';
import { runProcess } from '../../src/run/process.js';
import { runPlan } from '../../src/run/run-plan.js';
import { loadModelVocabularies } from '../../src/vocab/model-vocabularies.js';
import { cliMainPath, embeddedDir } from '../../src/package-paths.js';
import { tempDir, writeConfig } from '../helpers.js';
import { smallEmbeddedGrid } from '../support/cli-runs.js';

/** A small grid of the main job (both models, every mode, one emotion and key) on the embedded generator. */
const smallConfig = (dir: string, generator: Record<string, unknown> = {}): Promise<LoadedConfig> =>
  loadConfig(writeConfig(dir, smallEmbeddedGrid(join(dir, 'exp'), generator)));

describe('the embedded generator in worker threads', () => {
  const dir = tempDir('emotune-inproc-');

  it('is what runPlan uses for ["emotune", "generate"] unless isolate is true', async () => {
    const config = await smallConfig(dir);
    expect(generatorRunsInProcess(config.generator)).toBe(true);
    expect(generatorRunsInProcess((await smallConfig(dir, { isolate: true })).generator)).toBe(false);
    expect(isEmbeddedGenerator(['emotune', 'generate'])).toBe(true);
    expect(isEmbeddedGenerator(['emotune', 'generate', '--seed', '3'])).toBe(false);
    expect(isEmbeddedGenerator(['python', 'main_cp.py'])).toBe(false);
    expect(isEmbeddedClassifier(['emotune', 'classify', '{midi}'])).toBe(true);
    expect(isEmbeddedClassifier(['emotune', 'classify', '{midis}'])).toBe(true);
    expect(isEmbeddedClassifier(['emotune', 'classify', '--model', 'm.json', '{midi}'])).toBe(false);
    // The embedded generator's code whatever checkpoint it loads; the committed classifier model unless --model.
    expect(isBuiltinGeneratorCommand(['emotune', 'generate', '--load_ckt', 'mine'])).toBe(true);
    expect(isBuiltinGeneratorCommand(['python', 'main_cp.py'])).toBe(false);
    expect(isCommittedClassifierCommand(['emotune', 'classify', '{midis}'])).toBe(true);
    expect(isCommittedClassifierCommand(['emotune', 'classify', '--model', 'm.json', '{midi}'])).toBe(false);
    expect(isCommittedClassifierCommand(['emotune', 'classify', '--model=m.json', '{midi}'])).toBe(false);
    expect(isCommittedClassifierCommand(['python', 'inference.py', '{midi}'])).toBe(false);
    expect(classifierRunsInProcess({ command: ['emotune', 'classify', '{midi}'], isolate: true })).toBe(false);
    expect(poolSize(64)).toBeLessThanOrEqual(poolSize(1_000));
    expect(poolSize(0)).toBe(1);
  }, 60_000);

  it('records a time-out as the process path does (returncode -1, TIMEOUT), terminating the worker', async () => {
    const config = await smallConfig(dir, { timeout_s: 0.001 });
    const w2e = await loadModelVocabularies(config.models);
    const plan = buildPlan(config, w2e);
    const one = { ...plan, runs: plan.runs.slice(0, 2), total: 2 };
    const r = await runPlan({
      config,
      plan: one,
      word2eventByModel: w2e,
      fresh: true,
      backend: createInProcessBackend(),
    });
    expect(r.records.map((x) => [x.status, x.returncode, x.stderr, x.reason])).toEqual([
      ['timeout', -1, 'TIMEOUT', 'no exit within 0.001 s; process tree killed'],
      ['timeout', -1, 'TIMEOUT', 'no exit within 0.001 s; process tree killed'],
    ]);
  }, 60_000);

  it('cancels: the running run is recorded as cancelled, runs not started get no record', async () => {
    const config = await smallConfig(dir);
    const w2e = await loadModelVocabularies(config.models);
    const plan = buildPlan(config, w2e);
    const ac = new AbortController();
    const r = await runPlan({
      config,
      plan,
      word2eventByModel: w2e,
      fresh: true,
      concurrency: 1,
      backend: createInProcessBackend(),
      signal: ac.signal,
      onProgress: (e) => {
        if (e.type === 'start') ac.abort();
      },
    });
    expect(r.cancelled).toBe(true);
    expect(r.records.map((x) => [x.status, x.returncode, x.stderr])).toEqual([['cancelled', -2, 'CANCELLED']]);
  }, 60_000);

  it('fails a bad argument with the exit code and message of `emotune generate`', async () => {
    const pool = createWorkerPool(1);
    try {
      for (const args of [
        ['--mode', 'inference-primed', '--emo_tag', '9', '--out_dir', join(dir, 'bad')],
        ['--no-such-flag'],
        ['--mode', 'sideways', '--emo_tag', '1', '--out_dir', join(dir, 'bad')],
      ]) {
        const proc = await runProcess([process.execPath, cliMainPath, 'generate', ...args], {
          cwd: embeddedDir,
          timeoutS: 60,
        });
        const thread = await pool.generate({ args, cwd: embeddedDir });
        expect(thread, args.join(' ')).toEqual({
          returncode: proc.returncode,
          stdout: proc.stdout,
          stderr: proc.stderr,
        });
        expect(thread.returncode).toBe(2);
      }
    } finally {
      await pool.destroy();
    }
  }, 60_000);
});
