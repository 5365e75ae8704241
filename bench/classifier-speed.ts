// Speed of the built-in emotion classifier on the 40 committed EMOPIA val clips:
//  - in process: read + parse + features + prediction per clip (median of --repeat passes, model loaded once);
//  - `emotune classify` over 200 files (the 40 clips five times) in one process, Node start-up included.
//
//   npm run build && npx tsx bench/classifier-speed.ts [--repeat 5]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMidi } from '../kernel-lib/src/formats/midi-read.js';
import { classifyMidi } from '../kernel-lib/src/metrics/emotion-builtin/classify.js';
import { loadClassifier } from '../kernel-lib/src/metrics/edge/classifier-file.js';
import { arg, machineLine, median, printTable, runCommand, timeIt } from './lib/measure.js';

const repeat = arg('repeat', 5);
const root = fileURLToPath(new URL('..', import.meta.url));
const midis = join(root, 'kernel-lib/test/metrics/emotion-builtin/fixtures/emopia-val/midis');
const files = readdirSync(midis)
  .filter((f) => f.endsWith('.mid'))
  .sort()
  .map((f) => join(midis, f));

console.log(`built-in classifier speed on ${files.length} EMOPIA clips`);
console.log(machineLine());
const model = loadClassifier();
const perClip: number[] = [];
for (let r = 0; r < repeat; r++) {
  const { s } = await timeIt(async () => {
    for (const f of files) classifyMidi(await readMidi(f), model, f);
  });
  perClip.push((s * 1000) / files.length);
}
const batch = Array.from({ length: 5 }, () => files).flat();
const cli = join(root, 'kernel-lib/dist/cli/main.js');
const runs: number[] = [];
for (let r = 0; r < Math.max(1, Math.min(repeat, 3)); r++)
  runs.push((await runCommand([process.execPath, cli, 'classify', ...batch])).s);
printTable(
  ['measure', 'value'],
  [
    ['in process, per clip (read, features, prediction), median', `${median(perClip).toFixed(2)} ms`],
    [`emotune classify on ${batch.length} files, one process, median`, `${median(runs).toFixed(2)} s`],
  ],
);
