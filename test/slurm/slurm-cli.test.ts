// `backend: "slurm"` in a config sends `emotune run` through a real job array (the user's path, end to end).
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { clusterStatus } from './helpers.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cluster = clusterStatus();
const inCI = process.env.CI === 'true';

describe.skipIf(!cluster.ok && !inCI)('emotune run with backend "slurm"', () => {
  it('runs the grid as a job array and writes the same metadata as a local run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emotune-slurm-cli-'));
    copyFileSync(join(repo, 'test', 'fixtures', 'fake-generator.mjs'), join(dir, 'fake-generator.mjs'));
    const vocab = join(repo, 'test', 'fixtures', 'vocab', 'word2event_pretrained.json');
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        paths: { dataset_root: 'dataset', transformer: '.', exp: 'exp' },
        models: [
          {
            name: 'pretrained',
            load_ckt: 'checkpoints',
            load_ckt_loss: 'pre',
            load_dict: 'dictionary.pkl',
            word2event_path: vocab,
            key_aware: false,
          },
        ],
        modes: ['inference-primed'],
        tokens_of_interest: ['duration', 'velocity'],
        emotions: [1],
        max_values_per_token: { duration: 2, velocity: 2 },
        generator: { command: [process.execPath, 'fake-generator.mjs'], timeout_s: 60 },
        backend: 'slurm',
        slurm: { max_parallel: 2, poll_s: 0.5 },
      }),
    );
    const r = await execa(
      process.execPath,
      [join(repo, 'kernel-lib', 'dist', 'cli', 'main.js'), 'run', '--config', join(dir, 'config.json'), '--lines'],
      { reject: false, cwd: dir },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const records = JSON.parse(readFileSync(join(dir, 'exp', 'all_runs_metadata.json'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    expect(records).toHaveLength(4);
    for (const rec of records) expect(rec).toMatchObject({ backend: 'slurm', returncode: 0, status: 'ok' });
    expect(records.map((x) => x.index)).toEqual([1, 2, 3, 4]);
    expect(r.stdout).toContain('Successful: 4/4');
  }, 240_000);
});
