// Runner overhead per run: the reference notebook's 192-run grid with a no-op generator (/bin/true), through `runPlan`
// (local backend, 1 worker: spawn, logs, tails, output check, metadata rewrite after every run) against
// spawning the same argv one after another with plain child_process as the baseline, in the same process.
//
//   npx tsx bench/runner-overhead.ts [--repeat 3] [--runs 192]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { prepareRun, stableSuffix } from '../kernel-lib/src/run/prepare.js';
import { runPlan } from '../kernel-lib/src/run/run-plan.js';
import { makeExperiment, REFERENCE_GRID } from './lib/experiment.js';
import { arg, f, machineLine, median, printTable, timeIt, withTempDir, readmeRow } from './lib/measure.js';

function spawnPlain(argv: string[], cwd: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

const repeat = arg('repeat', 3);
console.log('runner overhead per run (no-op generator /bin/true)');
console.log(machineLine());

await withTempDir('overhead', async (dir) => {
  const exp = await makeExperiment(dir, REFERENCE_GRID, {
    generator: { command: ['/bin/true'], cwd: 'transformer', timeout_s: 30 },
  });
  const n = Math.min(arg('runs', exp.plan.total), exp.plan.total);
  const plan = { ...exp.plan, runs: exp.plan.runs.slice(0, n), total: n };
  const argvs = plan.runs.map((r) => prepareRun(exp.config, r, stableSuffix(r)).argv);
  const base: number[] = [];
  const runner: number[] = [];
  for (let i = 0; i < repeat; i++) {
    base.push(
      (
        await timeIt(async () => {
          for (const a of argvs) await spawnPlain(a, exp.config.generator.cwd);
        })
      ).s,
    );
    const config = { ...exp.config, paths: { ...exp.config.paths, exp: join(dir, `exp-${i}`) } };
    const r = await timeIt(() =>
      runPlan({ config, plan, word2eventByModel: exp.word2eventByModel, concurrency: 1, fresh: true }),
    );
    if (r.value.records.length !== n) throw new Error(`runner recorded ${r.value.records.length} of ${n} runs`);
    runner.push(r.s);
  }
  const b = median(base);
  const r = median(runner);
  printTable(
    ['method', `total for ${n} runs (median of ${repeat})`, 'per run'],
    [
      ['plain child_process.spawn, sequential (baseline)', `${f(b)} s`, `${f((b / n) * 1000, 1)} ms`],
      ['runPlan, local backend, 1 worker', `${f(r)} s`, `${f((r / n) * 1000, 1)} ms`],
    ],
  );
  console.log(`runner overhead per run: ${f(((r - b) / n) * 1000, 1)} ms (runner/baseline time ratio ${f(r / b)}x)`);
  readmeRow(
    'runner overhead per run (no-op generator) vs a plain `child_process.spawn`',
    'npx tsx bench/runner-overhead.ts',
    `${f(((r - b) / n) * 1000, 1)} ms per run (${f(r / b, 1)}x the bare spawn: process group, logs, output check, atomic metadata)`,
  );
});
