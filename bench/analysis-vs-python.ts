// Analysis of the reference notebook's 192-run grid (synthetic outputs: one song per run, --steps CP rows each) by this
// package against the reference notebook's own Python method (bench/python-baseline/reference_analysis.py: numpy +
// mido, the notebook's loops, run with Debian's /usr/bin/python3), measured in the same run on the same files.
// Two settings: without an emotion classifier (token adherence, key detection, aggregation, table) and
// with a stand-in classifier command run once per MIDI file (bench/fixtures/stub_classifier.py), where
// the port's concurrent classifier calls (4 at a time by default) matter. The `emotune analyze` process is also taken
// apart from inside a fresh process (bench/lib/first-call.mjs): Node's start-up, module loading, the first call,
// and that first call against the same call repeated warm in the process (also under `node --no-lazy`, every
// function compiled before the call: what is left is V8's tier-up, which no code cache carries across processes).
//
//   npx tsx bench/analysis-vs-python.ts [--steps 1500] [--repeat 3]
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeExperiment } from '../kernel-lib/src/aggregate/analyze-experiment.js';
import { formatComparisonTable } from '../kernel-lib/src/aggregate/comparison-table.js';
import { writeResultsFile, type ResultRow } from '../kernel-lib/src/aggregate/rows.js';
import { loadContext } from '../kernel-lib/src/cli/context.js';
import { analyzePhase } from '../kernel-lib/src/cli/phases.js';
import { loadConfig } from '../kernel-lib/src/config/load.js';
import { readRunsMetadata, metadataPath } from '../kernel-lib/src/run/metadata.js';
import { forgetResampleDraws } from '../kernel-lib/src/stats/resample-draws.js';
import { makeExperiment, REFERENCE_GRID, writeOutputs, type Experiment } from './lib/experiment.js';
import { arg, f, machineLine, median, printTable, readmeRow, runCommand, timeIt, withTempDir } from './lib/measure.js';

const PYTHON = '/usr/bin/python3';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const referenceScript = here('./python-baseline/reference_analysis.py');
const stubClassifier = here('./fixtures/stub_classifier.py');
const cliMain = here('../kernel-lib/dist/cli/main.js');
const firstCall = here('./lib/first-call.mjs');
const steps = arg('steps', 1500);
const repeat = arg('repeat', 3);

/**
 * The reference notebook's cells in process: read records, analyse, write results, format the table. By default
 * as `analyzeExperiment` runs in the library (each file also measured for the extended results while it is
 * parsed); `notebookOnly` does exactly the Python method's work (its rows and table, nothing more).
 */
async function analyzeTs(exp: Experiment, configFile: string, out: string, notebookOnly = false): Promise<ResultRow[]> {
  forgetResampleDraws(); // a process draws its bootstrap streams; so does each timed call here
  const config = await loadConfig(configFile);
  const runs = await readRunsMetadata(metadataPath(config.paths.exp));
  const res = await analyzeExperiment({
    expDir: config.paths.exp,
    runs,
    word2eventByModel: exp.word2eventByModel,
    classifier: config.classifier,
    keepFigures: !notebookOnly,
  });
  await writeResultsFile(out, res.rows);
  formatComparisonTable(res.rows, {
    models: config.models.map((m) => m.name),
    modes: config.modes,
    tokensOfInterest: config.tokens_of_interest,
    keyAwareModels: config.models.filter((m) => m.key_aware).map((m) => m.name),
  });
  return res.rows;
}

/**
 * Exactly what `emotune analyze` does, in this process: the CLI's own analysis phase (the seed's cells, the
 * extended results with warnings and the reference block, both files written), its printing muted.
 */
async function analyzeLikeCli(configFile: string, expDir: string, out: string): Promise<void> {
  forgetResampleDraws();
  const ctx = await loadContext(configFile);
  const runs = await readRunsMetadata(metadataPath(expDir));
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await analyzePhase(ctx, expDir, runs, out);
  } finally {
    process.stdout.write = write;
  }
}

/**
 * `emotune analyze`'s work taken apart inside a fresh process (bench/lib/first-call.mjs): start-up, modules, the
 * first call, and the same call repeated warm three times in that process.
 */
async function firstCallSplit(
  nodeFlags: string[],
  configFile: string,
  expDir: string,
  out: string,
): Promise<{ startup: number; modules: number; analysis: number; warm: number }> {
  const r = await runCommand([process.execPath, ...nodeFlags, firstCall, configFile, expDir, out, '3']);
  return JSON.parse(r.stdout) as { startup: number; modules: number; analysis: number; warm: number };
}

/** Compare rows by aggregation key; returns the largest absolute difference of any figure (or why they differ). */
function compareRows(ts: ResultRow[], py: Record<string, unknown>[]): string {
  const key = (r: Record<string, unknown>) => JSON.stringify([r.model, r.mode, r.emotion, r.key ?? null, r.subset]);
  const pyBy = new Map(py.map((r) => [key(r), r]));
  if (pyBy.size !== ts.length) return `row counts differ (${ts.length} vs ${pyBy.size})`;
  let maxDiff = 0;
  for (const t of ts as unknown as Record<string, unknown>[]) {
    const p = pyBy.get(key(t));
    if (!p) return `row ${key(t)} missing in Python's output`;
    const names = new Set(
      [...Object.keys(t), ...Object.keys(p)].filter((k) => /_(adherence|distance|correlation)$/.test(k)),
    );
    for (const n of names) {
      if (typeof t[n] !== 'number' || typeof p[n] !== 'number')
        return `field ${n} of ${key(t)}: ${String(t[n])} vs ${String(p[n])}`;
      maxDiff = Math.max(maxDiff, Math.abs((t[n] as number) - (p[n] as number)));
    }
  }
  return `all ${ts.length} rows agree (largest difference ${maxDiff.toExponential(1)})`;
}

console.log(
  `analysis of the reference notebook's 192-run grid: TypeScript port vs the reference notebook's Python method (${steps} CP steps per song)`,
);
console.log(machineLine());
const pyVersion = (
  await runCommand([
    PYTHON,
    '-c',
    'import sys, numpy, mido; print(sys.version.split()[0], numpy.__version__, mido.__version__)',
  ])
).stdout.trim();
console.log(`python: ${PYTHON} ${pyVersion.replace(' ', ', numpy ').replace(/ (\S+)$/, ', mido $1')}`);

await withTempDir('analysis', async (dir) => {
  const exp = await makeExperiment(dir, REFERENCE_GRID);
  const gen = await timeIt(() => writeOutputs(exp, { steps }));
  console.log(`synthetic outputs: ${exp.plan.total} runs, ${gen.value.files} files, written in ${f(gen.s, 1)} s`);
  const pyStart = median(
    await Promise.all([0, 1, 2].map(async () => (await runCommand([PYTHON, '-c', 'import numpy, mido'])).s)),
  );

  const settings: Array<[string, Record<string, unknown> | undefined]> = [
    ['no classifier (tokens, keys, aggregation)', undefined],
    ['stand-in classifier per MIDI file', { command: [PYTHON, stubClassifier, '{midi}'], timeout_s: 60 }],
  ];
  const rows: string[][] = [];
  for (const [name, classifier] of settings) {
    const raw = JSON.parse(await readFile(exp.configFile, 'utf8')) as Record<string, unknown>;
    if (classifier) raw.classifier = classifier;
    else delete raw.classifier;
    const configFile = join(dir, classifier ? 'config-classifier.json' : 'config-plain.json');
    await writeFile(configFile, JSON.stringify(raw, null, 2));
    const ts: number[] = [];
    const same: number[] = [];
    const whole: number[] = [];
    const cli: number[] = [];
    // The command's time taken apart, from inside a fresh process: Node's start-up, loading modules, the first call.
    const parts = {
      startup: [] as number[],
      modules: [] as number[],
      analysis: [] as number[],
      firstOverWarm: [] as number[],
      eagerFirstOverWarm: [] as number[],
    };
    const py: number[] = [];
    let tsRows: ResultRow[] = [];
    // CPU seconds beside wall seconds: on a busy machine wall time mostly measures the others' load.
    const cpu = {
      ts: [] as number[],
      same: [] as number[],
      whole: [] as number[],
      cli: [] as number[],
      py: [] as number[],
    };
    for (let i = 0; i < repeat; i++) {
      const o = await timeIt(() => analyzeTs(exp, configFile, join(dir, 'ts-rows.json'), true));
      same.push(o.s);
      cpu.same.push(o.cpu);
      const t = await timeIt(() => analyzeTs(exp, configFile, join(dir, 'ts-rows.json')));
      tsRows = t.value;
      if (JSON.stringify(o.value) !== JSON.stringify(t.value))
        throw new Error("the Python method's work alone gave other rows than the full analysis");
      ts.push(t.s);
      cpu.ts.push(t.cpu);
      const w = await timeIt(() => analyzeLikeCli(configFile, exp.config.paths.exp, join(dir, 'ts-rows.json')));
      whole.push(w.s);
      cpu.whole.push(w.cpu);
      if (existsSync(cliMain)) {
        const c = await runCommand([
          process.execPath,
          cliMain,
          'analyze',
          exp.config.paths.exp,
          '--config',
          configFile,
          '--out',
          join(dir, 'cli-rows.json'),
          '--no-table',
        ]);
        cli.push(c.s);
        if (c.cpu !== undefined) cpu.cli.push(c.cpu);
        if (!classifier) {
          const split = await firstCallSplit([], configFile, exp.config.paths.exp, join(dir, 'first-call-rows.json'));
          parts.startup.push(split.startup);
          parts.modules.push(split.modules);
          parts.analysis.push(split.analysis);
          parts.firstOverWarm.push(split.analysis / split.warm);
          // Every function compiled to bytecode while the modules load: the most a code cache could take away.
          const eager = await firstCallSplit(
            ['--no-lazy'],
            configFile,
            exp.config.paths.exp,
            join(dir, 'first-call-rows.json'),
          );
          parts.eagerFirstOverWarm.push(eager.analysis / eager.warm);
        }
      }
      const q = await runCommand([
        PYTHON,
        referenceScript,
        '--config',
        configFile,
        '--exp',
        exp.config.paths.exp,
        '--out',
        join(dir, 'py-rows.json'),
        '--table',
        join(dir, 'py-table.txt'),
      ]);
      py.push(q.s);
      if (q.cpu !== undefined) cpu.py.push(q.cpu);
    }
    // Warm-up shows in the first repeat: the CLI process pays it every time, the in-process medians mostly not.
    console.log(
      `in-process CPU seconds per repeat (${name}; the first one includes JIT warm-up): reference-notebook work only ${cpu.same.map((x) => f(x)).join(', ')}; analyzeExperiment ${cpu.ts.map((x) => f(x)).join(', ')}; all of \`emotune analyze\` ${cpu.whole.map((x) => f(x)).join(', ')}`,
    );
    if (cpu.py.length) {
      const [pc, tc, wc, sc] = [median(cpu.py), median(cpu.ts), median(cpu.whole), median(cpu.same)];
      const cc = cpu.cli.length ? median(cpu.cli) : undefined;
      console.log(
        `CPU seconds (${name}): Python ${f(pc)}, in process ${f(tc)} (${f(pc / tc, 1)}x less), the same work as \`emotune analyze\` in process ${f(wc)}, \`emotune analyze\` ${cc === undefined ? 'n/a' : `${f(cc)} (${f(cc / wc, 2)}x the in-process CPU)`}`,
      );
      console.log(
        `CPU seconds (${name}), the Python method's work only (reference-notebook rows and table): Python ${f(pc)}, in process ${f(sc)} (${f(pc / sc, 1)}x less)`,
      );
      if (!classifier)
        readmeRow(
          "192-run analysis, the Python method's work only (reference-notebook rows + table), vs the reference notebook's Python method, CPU time (no classifier)",
          'npx tsx bench/analysis-vs-python.ts',
          `${f(pc / sc, 1)}x less CPU in process (${f(sc)} s vs ${f(pc)} s); with the per-file figures the extended results need, ${f(pc / tc, 1)}x (${f(tc)} s)`,
        );
      if (!classifier)
        readmeRow(
          "192-run analysis vs the reference notebook's Python method, CPU time (no classifier)",
          'npx tsx bench/analysis-vs-python.ts',
          `${f(pc / tc, 1)}x less CPU in process (${f(tc)} s vs ${f(pc)} s)${cc === undefined ? '' : `; \`emotune analyze\` process ${f(cc)} s = ${f(cc / wc, 2)}x the same work in process (${f(wc)} s)`}`,
        );
    }
    const agreement = compareRows(
      tsRows,
      JSON.parse(await readFile(join(dir, 'py-rows.json'), 'utf8')) as Record<string, unknown>[],
    );
    const p = median(py);
    const t = median(ts);
    const o = median(same);
    const w = median(whole);
    const c = cli.length ? median(cli) : undefined;
    rows.push([
      name,
      `${f(p)} s`,
      `${f(t)} s`,
      `${f(p / t, 1)}x`,
      `${f(o)} s (${f(p / o, 1)}x)`,
      `${f(w)} s`,
      c === undefined ? 'not built' : `${f(c)} s (${f(c / w, 2)}x the in-process time)`,
      agreement,
    ]);
    if (!classifier)
      readmeRow(
        "192-run analysis vs the reference notebook's Python method (numpy + mido), no classifier",
        'npx tsx bench/analysis-vs-python.ts',
        `${f(p / t, 1)}x faster in process (${f(t)} s vs ${f(p)} s); the Python method's work only (rows + table) ${f(p / o, 1)}x (${f(o)} s); identical rows`,
      );
    if (!classifier && c !== undefined)
      readmeRow(
        '`emotune analyze` as a process vs the same work in process (its analysis phase: reference-notebook cells, extended results, reference block)',
        'npx tsx bench/analysis-vs-python.ts',
        `${f(c / w, 2)}x (${f(c)} s vs ${f(w)} s); inside a fresh process: Node start-up ${f(median(parts.startup))} s, modules ${f(median(parts.modules))} s, the analysis's first call ${f(median(parts.analysis))} s (cold code), ${f(median(parts.firstOverWarm), 2)}x the same call warm in that process and still ${f(median(parts.eagerFirstOverWarm), 2)}x with all code compiled beforehand (\`node --no-lazy\`)`,
      );
    if (!classifier && parts.firstOverWarm.length)
      console.log(
        `inside one fresh process (${name}): the analysis's first call is ${f(median(parts.firstOverWarm), 2)}x the same call repeated warm there (no start-up or module loading in either); with every function compiled to bytecode before the first call (node --no-lazy: the most a code cache could save) still ${f(median(parts.eagerFirstOverWarm), 2)}x: the rest is V8 running the code unoptimised until it tiers up, which no cache carries between processes`,
      );
  }
  printTable(
    [
      'setting',
      'Python reference method',
      'TS port (in process)',
      'speed ratio',
      "TS in process, the Python method's work only",
      'TS in process, all of `emotune analyze`',
      'TS `emotune analyze` process',
      'results',
    ],
    rows,
  );
  console.log(
    "the TS port column measures analyzeExperiment as the library runs it (each file also measured for the extended results while parsed); the Python method's work only column skips those figures (keepFigures: false): the same rows, table and lines",
  );
  console.log(
    `medians of ${repeat}; Python times include its start-up and numpy/mido import (${f(pyStart)} s alone); the CLI column includes Node's start-up`,
  );
  console.log(
    'and does what the "all of `emotune analyze`" column does (the CLI\'s analysis phase: the reference notebook\'s cells, extended results with warnings, reference block).',
  );
});
