// Quality metrics on songs with very long notes: the muspy-exact metrics (sorts and sweeps, time in the number
// of notes) against muspy's own per-beat loop for the empty-beat rate (the baseline, written here as muspy
// writes it), on one small file whose notes last N beats each, in the same process.
//
//   npx tsx bench/quality-long-notes.ts [--beats 90000] [--notes 200] [--repeat 3]
import { encodeMidi } from '../kernel-lib/src/formats/midi-write.js';
import { adjustResolution, musicView, qualityOfMidi, readMuspyMusic } from '../kernel-lib/src/metrics/quality/index.js';
import type { ScoreView } from '../kernel-lib/src/metrics/quality/index.js';
import { arg, f, machineLine, median, printTable, timeIt } from './lib/measure.js';

/** muspy's empty_beat_rate loop: every beat of every note. */
function emptyBeatRateLoop(v: ScoreView): number {
  const nBeats = Math.floor(v.length / v.resolution) + 1;
  const empty = new Uint8Array(nBeats).fill(1);
  let count = 0;
  for (const n of v.notes) {
    for (let b = Math.floor(n.start / v.resolution); b <= Math.floor(n.end / v.resolution); b++) {
      if (empty[b]) {
        empty[b] = 0;
        count++;
      }
    }
  }
  return 1 - count / nBeats;
}

const beats = arg('beats', 90_000);
const count = arg('notes', 200);
const repeat = arg('repeat', 3);
const tpb = 480;
const notes = Array.from({ length: count }, (_, i) => ({
  pitch: 48 + (i % 36),
  velocity: 80,
  start: i * tpb,
  end: i * tpb + beats * tpb,
  channel: 0,
  track: 0,
}));
const bytes = encodeMidi({ ticksPerBeat: tpb, notes });
console.log(`quality metrics: ${count} notes of ${beats} beats each (${bytes.length} bytes of MIDI)`);
console.log(machineLine());
const ours: number[] = [];
const loop: number[] = [];
for (let r = 0; r < repeat; r++) {
  ours.push((await timeIt(async () => qualityOfMidi(bytes, 'long.mid'))).s);
  const view = musicView(adjustResolution(readMuspyMusic(bytes), 24));
  loop.push((await timeIt(async () => emptyBeatRateLoop(view))).s);
}
printTable(
  ['what', 'median s'],
  [
    ['all seven metrics (sweeps)', f(median(ours), 4)],
    ["empty-beat rate alone, muspy's per-beat loop", f(median(loop), 4)],
  ],
);
