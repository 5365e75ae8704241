// Speed-up with 1, 2 and 4 workers on a sleeping generator (each run sleeps --sleep seconds, standing for a
// generator whose time is spent on a GPU), through `runPlan` with the local backend. The 1-worker time
// measured in the same run is the baseline. With --slurm, the same runs also go through the Slurm backend
// (job array with %N throttle = workers) when a cluster answers.
//
//   npx tsx bench/speedup.ts [--runs 16] [--sleep 0.5] [--slurm]
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlan } from '../kernel-lib/src/run/run-plan.js';
import { createSlurmBackend } from '../kernel-lib/src/run/slurm/index.js';
import type { RunBackend } from '../kernel-lib/src/run/types.js';
import { makeExperiment, REFERENCE_GRID } from './lib/experiment.js';
import { arg, f, flag, machineLine, printTable, timeIt, withTempDir, readmeRow } from './lib/measure.js';

const runs = arg('runs', 16);
const sleep = arg('sleep', 0.5);
const sleeper = fileURLToPath(new URL('./fixtures/sleep-generator.mjs', import.meta.url));

function slurmUp(): boolean {
  try {
    return /idle|mix|alloc/.test(execFileSync('sinfo', ['-h', '-o', '%t'], { encoding: 'utf8', stdio: 'pipe' }));
  } catch {
    return false;
  }
}

console.log(`speed-up on a sleeping generator: ${runs} runs x ${sleep} s`);
console.log(machineLine());

await withTempDir('speedup', async (dir) => {
  const exp = await makeExperiment(dir, REFERENCE_GRID, {
    generator: { command: [process.execPath, sleeper, String(sleep)], cwd: 'transformer', timeout_s: 60 },
  });
  const plan = { ...exp.plan, runs: exp.plan.runs.slice(0, runs), total: runs };
  const backends: Array<[string, (expDir: string) => RunBackend | undefined]> = [['local', () => undefined]];
  if (flag('slurm')) {
    if (slurmUp())
      backends.push(['slurm', (expDir) => createSlurmBackend({ exp_dir: expDir, poll_s: 0.25, result_grace_s: 5 })]);
    else console.log('(--slurm: no Slurm cluster answers; run .ci/setup-slurm.sh; skipping the Slurm rows)');
  }
  for (const [name, make] of backends) {
    const rows: string[][] = [];
    let one = 0;
    for (const workers of [1, 2, 4]) {
      const expDir = join(dir, `${name}-w${workers}`);
      const config = { ...exp.config, paths: { ...exp.config.paths, exp: expDir } };
      const r = await timeIt(() =>
        runPlan({
          config,
          plan,
          word2eventByModel: exp.word2eventByModel,
          concurrency: workers,
          fresh: true,
          backend: make(expDir),
        }),
      );
      if (r.value.records.length !== runs) throw new Error(`${name}: recorded ${r.value.records.length} of ${runs}`);
      if (workers === 1) one = r.s;
      const ideal = (runs * sleep) / workers;
      rows.push([
        String(workers),
        `${f(r.s)} s`,
        `${f(ideal)} s`,
        `${f(one / r.s)}x`,
        `${f((one / r.s / workers) * 100, 0)} %`,
      ]);
    }
    console.log(`\nbackend: ${name}`);
    printTable(['workers', 'wall time', 'ideal (sleep only)', 'speed-up vs 1 worker', 'efficiency'], rows);
    readmeRow(
      `speed-up with workers (sleeping generator), ${name} backend`,
      `npx tsx bench/speedup.ts${name === 'slurm' ? ' --slurm' : ''}`,
      `${rows[1]![3]} at 2 workers, ${rows[2]![3]} at 4 (vs 1 worker)`,
    );
  }
});
