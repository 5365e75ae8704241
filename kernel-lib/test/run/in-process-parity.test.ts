// The in-process path for this package's own generator writes the same files, logs and records as a process per
// run (byte for byte). Integration tier: it runs the grid both ways, the second as one `emotune generate` process per run.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { createLocalBackend } from '../../src/run/local-backend.js';
import { createInProcessBackend } from '../../src/run/in-process/backend.js';
import { runPlan } from '../../src/run/run-plan.js';
import type { RunRecord } from '../../src/run/types.js';
import { loadModelVocabularies } from '../../src/vocab/model-vocabularies.js';
import { tempDir, writeConfig } from '../helpers.js';
import { smallEmbeddedGrid } from '../support/cli-runs.js';

const smallConfig = (dir: string) => loadConfig(writeConfig(dir, smallEmbeddedGrid(join(dir, 'exp'))));

/** Every file under a folder, path -> bytes (the metadata file aside: it holds timings). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n !== 'all_runs_metadata.json') out.set(relative(dir, p), readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

const withoutTimes = (records: RunRecord[]) =>
  records.map(({ started_at: _s, ended_at: _e, duration_s: _d, ...rest }) => rest);

describe('the embedded generator in worker threads against a process per run', () => {
  const dir = tempDir('emotune-inproc-');

  it('writes the same files, logs and records as a process per run (byte for byte)', async () => {
    const config = await smallConfig(dir);
    const w2e = await loadModelVocabularies(config.models);
    const plan = buildPlan(config, w2e);
    expect(plan.total).toBeGreaterThanOrEqual(8);
    const byProcess = await runPlan({
      config,
      plan,
      word2eventByModel: w2e,
      fresh: true,
      backend: createLocalBackend(),
    });
    const processFiles = snapshot(config.paths.exp);
    const inProcess = await runPlan({
      config,
      plan,
      word2eventByModel: w2e,
      fresh: true,
      backend: createInProcessBackend(),
    });
    const threadFiles = snapshot(config.paths.exp);
    expect(inProcess.records.every((r) => r.status === 'ok')).toBe(true);
    expect(withoutTimes(inProcess.records)).toEqual(withoutTimes(byProcess.records));
    expect([...threadFiles.keys()].sort()).toEqual([...processFiles.keys()].sort());
    for (const [file, bytes] of processFiles) expect(threadFiles.get(file), file).toBe(bytes);
  }, 240_000);
});
