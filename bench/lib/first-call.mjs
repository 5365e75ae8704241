// What `emotune analyze` does, timed from inside a fresh Node process on the built package (kernel-lib/dist):
// Node's own start-up, loading the modules, and the analysis phase's first (cold) call, so the benchmark can
// say how much of the command's time is start-up and how much is code running before V8 has optimised it.
// Prints one JSON line: { startup, modules, analysis } in seconds.
//
//   node bench/lib/first-call.mjs <config.json> <exp dir> <out file>
import { performance } from 'node:perf_hooks';

const [configFile, expDir, out] = process.argv.slice(2);
if (!configFile || !expDir || !out) {
  console.error('usage: node bench/lib/first-call.mjs <config.json> <exp dir> <out file>');
  process.exit(2);
}
// performance.now() counts from the process's start: what passed before this line is Node's start-up.
const startup = performance.now() / 1000;
const t0 = performance.now();
const dist = new URL('../../kernel-lib/dist/', import.meta.url);
const [{ loadContext }, { analyzePhase }, { readRunsMetadata, metadataPath }] = await Promise.all([
  import(new URL('cli/context.js', dist).href),
  import(new URL('cli/phases.js', dist).href),
  import(new URL('run/metadata.js', dist).href),
]);
const t1 = performance.now();
const ctx = await loadContext(configFile);
const runs = await readRunsMetadata(metadataPath(expDir));
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
try {
  await analyzePhase(ctx, expDir, runs, out);
} finally {
  process.stdout.write = write;
}
const t2 = performance.now();
console.log(JSON.stringify({ startup, modules: (t1 - t0) / 1000, analysis: (t2 - t1) / 1000 }));
