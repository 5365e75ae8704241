/**
 * Coverage of the intervals EmoTune reports, by simulation (printed, never pass/fail): how often a nominal
 * 95% interval contains the true value.
 *
 * 1. Percentile bootstrap of a mean over n paired cells (the old paired-comparison verdict), normal data.
 * 2. Pooled-step Wilson interval vs song-level cluster bootstrap for a step ratio when each song has its own
 *    rate (steps correlated within a song), 40 songs of 200 steps.
 *
 *   npx tsx bench/interval-coverage.ts [--reps 2000]
 */
import { bootstrapMean } from '../kernel-lib/src/stats/bootstrap.js';
import { clusterBootstrapRatio } from '../kernel-lib/src/stats/cluster-bootstrap.js';
import { mulberry32 } from '../kernel-lib/src/stats/prng.js';
import { wilsonInterval } from '../kernel-lib/src/stats/wilson.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const reps = arg('--reps', 2000);
const next = mulberry32(12345);
const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());

console.log(`Percentile bootstrap of a mean, normal data, ${reps} replicates (2000 resamples each):`);
for (const n of [4, 6, 8, 10, 16, 24, 48]) {
  let covered = 0;
  for (let r = 0; r < reps; r++) {
    const xs = Array.from({ length: n }, normal);
    const ci = bootstrapMean(xs, { seed: r + 1 });
    if (ci.lower <= 0 && 0 <= ci.upper) covered++;
  }
  console.log(`  n = ${String(n).padStart(2)} cells: coverage ${((100 * covered) / reps).toFixed(1)}%`);
}

console.log(`\nStep ratio, 40 songs x 200 steps, song rates ~ Beta-like spread around 0.7 (${reps} replicates):`);
let wilson = 0;
let cluster = 0;
let wWidth = 0;
let cWidth = 0;
for (let r = 0; r < reps; r++) {
  const matches: number[] = [];
  const steps: number[] = [];
  for (let s = 0; s < 40; s++) {
    const rate = Math.min(0.98, Math.max(0.02, 0.7 + 0.15 * normal()));
    let m = 0;
    for (let t = 0; t < 200; t++) if (next() < rate) m++;
    matches.push(m);
    steps.push(200);
  }
  // The truth is the mean song rate (0.7, up to the clipping, which is symmetric enough here).
  const sm = matches.reduce((a, b) => a + b, 0);
  const w = wilsonInterval(sm, 40 * 200);
  const c = clusterBootstrapRatio(matches, steps, { seed: r + 1, resamples: 1000 });
  if (w.lower <= 0.7 && 0.7 <= w.upper) wilson++;
  if (c.lower <= 0.7 && 0.7 <= c.upper) cluster++;
  wWidth += w.upper - w.lower;
  cWidth += c.upper - c.lower;
}
console.log(
  `  Wilson over pooled steps:      coverage ${((100 * wilson) / reps).toFixed(1)}%, mean width ${(wWidth / reps).toFixed(4)}`,
);
console.log(
  `  cluster bootstrap over songs:  coverage ${((100 * cluster) / reps).toFixed(1)}%, mean width ${(cWidth / reps).toFixed(4)}`,
);
