// Plan and analysis of a synthetic 10,000-run experiment (10,080 runs: 2 models, 3 modes, pairs of three
// note tokens, 13 keys; one song of --steps CP rows per run): wall time and peak memory (max RSS) of each,
// measured in a fresh Node process per step so one step's memory does not hide another's. With --python,
// the reference notebook's Python method analyses the same folder too, as the baseline.
//
//   npx tsx bench/scale-10k.ts [--steps 300] [--python]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeExperiment } from '../kernel-lib/src/aggregate/analyze-experiment.js';
import { formatComparisonTable } from '../kernel-lib/src/aggregate/comparison-table.js';
import { writeResultsFile } from '../kernel-lib/src/aggregate/rows.js';
import { loadConfig } from '../kernel-lib/src/config/load.js';
import type { Word2Event } from '../kernel-lib/src/formats/types.js';
import { buildPlan } from '../kernel-lib/src/plan/build-plan.js';
import { readRunsMetadata, metadataPath } from '../kernel-lib/src/run/metadata.js';
import { prepareRun, stableSuffix } from '../kernel-lib/src/run/prepare.js';
import { loadWord2Event } from '../kernel-lib/src/vocab/word2event.js';
import { GRID_10K, makeExperiment, writeOutputs } from './lib/experiment.js';
import { arg, f, flag, machineLine, printTable, runCommand, timeIt, withTempDir, readmeRow } from './lib/measure.js';

interface StepReport {
  step: string;
  s: number;
  maxRssMiB: number;
  startRssMiB: number;
  detail: string;
}

const mib = (bytes: number) => bytes / 2 ** 20;

async function loadAll(configFile: string) {
  const config = await loadConfig(configFile);
  const w2e: Record<string, Word2Event> = {};
  for (const m of config.models) w2e[m.name] = await loadWord2Event(m.word2event_path);
  return { config, w2e };
}

/** One measured step, in this (child) process; prints a JSON report on stdout. */
async function child(step: string, configFile: string): Promise<void> {
  const startRssMiB = mib(process.memoryUsage().rss);
  let detail = '';
  const t = await timeIt(async () => {
    const { config, w2e } = await loadAll(configFile);
    if (step === 'plan') {
      const plan = buildPlan(config, w2e);
      // The run stage's part of planning: output folders and generator argument arrays for every run.
      const prepared = plan.runs.map((r) => prepareRun(config, r, stableSuffix(r)));
      detail = `${plan.total} runs planned and prepared (${prepared.reduce((n, p) => n + p.argv.length, 0)} argv entries)`;
    } else {
      const runs = await readRunsMetadata(metadataPath(config.paths.exp));
      const res = await analyzeExperiment({ expDir: config.paths.exp, runs, word2eventByModel: w2e });
      await writeResultsFile(join(config.paths.exp, 'evaluation_results_comprehensive.json'), res.rows);
      formatComparisonTable(res.rows, {
        models: config.models.map((m) => m.name),
        modes: config.modes,
        tokensOfInterest: config.tokens_of_interest,
        keyAwareModels: config.models.filter((m) => m.key_aware).map((m) => m.name),
      });
      detail = `${runs.length} runs analysed, ${res.rows.length} result rows, ${res.problems.length} problems`;
    }
  });
  const report: StepReport = { step, s: t.s, maxRssMiB: process.resourceUsage().maxRSS / 1024, startRssMiB, detail };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function inFreshProcess(step: string, configFile: string): Promise<StepReport> {
  return new Promise((resolve, reject) => {
    const self = fileURLToPath(import.meta.url);
    const p = spawn(process.execPath, [...process.execArgv, self, '--child', step, configFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as StepReport)
        : reject(new Error(`${step} exited ${code}`)),
    );
  });
}

const ci = process.argv.indexOf('--child');
if (ci >= 0) {
  await child(process.argv[ci + 1]!, process.argv[ci + 2]!);
} else {
  const steps = arg('steps', 300);
  console.log(`plan and analysis of a synthetic 10,000-run experiment (${steps} CP steps per song)`);
  console.log(machineLine());
  await withTempDir('10k', async (dir) => {
    const exp = await makeExperiment(dir, GRID_10K);
    const gen = await timeIt(() => writeOutputs(exp, { steps }));
    console.log(`synthetic outputs: ${exp.plan.total} runs, ${gen.value.files} files, written in ${f(gen.s, 1)} s`);
    const rows: string[][] = [];
    for (const step of ['plan', 'analyze']) {
      const r = await inFreshProcess(step, exp.configFile);
      rows.push([
        step,
        `${f(r.s)} s`,
        `${f(r.maxRssMiB, 0)} MiB`,
        `${f(r.maxRssMiB - r.startRssMiB, 0)} MiB`,
        r.detail,
      ]);
    }
    if (flag('python')) {
      const out = join(dir, 'py-rows.json');
      const py = await runCommand([
        '/usr/bin/python3',
        fileURLToPath(new URL('./python-baseline/reference_analysis.py', import.meta.url)),
        '--config',
        exp.configFile,
        '--exp',
        exp.config.paths.exp,
        '--out',
        out,
      ]);
      rows.push([
        'analyze (reference Python method)',
        `${f(py.s)} s`,
        '-',
        '-',
        `ratio Python/TS ${f(py.s / Number(rows[1]![1]!.split(' ')[0]), 1)}x`,
      ]);
    }
    printTable(['step', 'wall time', 'peak RSS', 'peak RSS above process start', 'what'], rows);
    readmeRow(
      '10,080-run experiment',
      `npx tsx bench/scale-10k.ts${flag('python') ? ' --python' : ''}`,
      `plan ${rows[0]![1]} (${rows[0]![2]}); analysis ${rows[1]![1]} (${rows[1]![2]})${rows[2] ? `; reference Python method ${rows[2][1]} (${rows[2][4]})` : ''}`,
    );
  });
}
