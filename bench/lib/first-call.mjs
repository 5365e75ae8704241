// What `emotune analyze` does, timed from inside a fresh Node process on the built package (kernel-lib/dist):
// Node's own start-up, loading the modules, and the analysis phase's first (cold) call, so the benchmark can
// say how much of the command's time is start-up and how much is code running before V8 has optimised it.
// With a warm count, the same call is then repeated in this process: the first call against the warm ones is
// the JIT's share, nearly alone (no start-up, no module loading in it; the warm calls also reuse the classifier
// model and reference statistics the first call loaded, about 10 ms). Run under `node --no-lazy`, every function is
// compiled to bytecode while the modules load, so the first call's remaining excess is V8 tiering up (what no
// cache of compiled code can carry from one process to the next).
// Prints one JSON line: { startup, modules, analysis, warm } in seconds (warm: median of the repeats, or null).
//
//   node [--no-lazy] bench/lib/first-call.mjs <config.json> <exp dir> <out file> [warm count]
import { performance } from 'node:perf_hooks';

const [configFile, expDir, out, warmArg] = process.argv.slice(2);
if (!configFile || !expDir || !out) {
  console.error('usage: node bench/lib/first-call.mjs <config.json> <exp dir> <out file> [warm count]');
  process.exit(2);
}
const warmCount = Math.min(10, Math.max(0, Number(warmArg ?? 0) || 0));
// performance.now() counts from the process's start: what passed before this line is Node's start-up.
const startup = performance.now() / 1000;
const t0 = performance.now();
const dist = new URL('../../kernel-lib/dist/', import.meta.url);
const [{ loadContext }, { analyzePhase }, { readRunsMetadata, metadataPath }, { forgetResampleDraws }] =
  await Promise.all([
    import(new URL('cli/context.js', dist).href),
    import(new URL('cli/phases.js', dist).href),
    import(new URL('run/metadata.js', dist).href),
    import(new URL('stats/resample-draws.js', dist).href),
  ]);
const t1 = performance.now();
const write = process.stdout.write.bind(process.stdout);

/** One analysis as the CLI runs it (config read, records read, the analysis phase), its printing muted. */
async function analyzeOnce() {
  forgetResampleDraws(); // each call draws its bootstrap streams afresh, as a new process does
  const ctx = await loadContext(configFile);
  const runs = await readRunsMetadata(metadataPath(expDir));
  process.stdout.write = () => true;
  try {
    await analyzePhase(ctx, expDir, runs, out);
  } finally {
    process.stdout.write = write;
  }
}

await analyzeOnce();
const t2 = performance.now();
const warm = [];
for (let i = 0; i < warmCount; i++) {
  const a = performance.now();
  await analyzeOnce();
  warm.push((performance.now() - a) / 1000);
}
warm.sort((a, b) => a - b);
const warmMedian = warm.length ? warm[Math.floor(warm.length / 2)] : null;
console.log(JSON.stringify({ startup, modules: (t1 - t0) / 1000, analysis: (t2 - t1) / 1000, warm: warmMedian }));
