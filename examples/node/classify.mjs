#!/usr/bin/env node
// A minimal emotion classifier that follows EmoTune Lab's classifier contract (docs/generator-contract.md,
// "The classifier"), in plain Node (no packages): `node classify.mjs --file X.mid` (or `classify.mjs X.mid`).
// It prints `<file> is emotion Q<n>` and `Inference values: [...]` on stdout and exits 0; on any error it
// prints one line on stderr and exits 1. Its "model" is a rule of thumb (loud = high arousal, major third =
// positive valence), enough to show the contract; put your classifier's inference in its place.
import { readFileSync } from 'node:fs';

function fail(message) {
  process.stderr.write(`classify.mjs: ${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
const file = args[0] === '--file' ? args[1] : args[0];
if (!file) fail('usage: classify.mjs [--file] <midi file>');

/** Note-on events (pitch, velocity) of every track of a standard MIDI file. */
function readNotes(bytes) {
  if (bytes.toString('latin1', 0, 4) !== 'MThd') throw new Error('not a MIDI file (no MThd header)');
  const notes = [];
  let pos = 8 + bytes.readUInt32BE(4);
  while (pos + 8 <= bytes.length) {
    const id = bytes.toString('latin1', pos, pos + 4);
    const end = pos + 8 + bytes.readUInt32BE(pos + 4);
    if (end > bytes.length) throw new Error('truncated track');
    let p = pos + 8;
    let status = 0;
    const vlq = () => {
      let n = 0;
      for (let i = 0; i < 4; i++) {
        const b = bytes[p++];
        n = (n << 7) | (b & 0x7f);
        if (!(b & 0x80)) break;
      }
      return n;
    };
    while (id === 'MTrk' && p < end) {
      vlq(); // delta time
      if (bytes[p] & 0x80) status = bytes[p++];
      if (status === 0xff) p++; // meta event: type byte, then length and data
      if (status === 0xff || status === 0xf0 || status === 0xf7) {
        const length = vlq(); // read before adding: `p += vlq()` would add to the old p
        p += length;
        continue;
      }
      const kind = status & 0xf0;
      const size = kind === 0xc0 || kind === 0xd0 ? 1 : 2;
      if (kind === 0x90 && bytes[p + 1] > 0) notes.push({ pitch: bytes[p], velocity: bytes[p + 1] });
      p += size;
    }
    pos = end;
  }
  return notes;
}

let notes;
try {
  notes = readNotes(readFileSync(file));
} catch (e) {
  fail(`cannot read ${file}: ${e.message}`);
}
if (notes.length === 0) fail(`${file} has no notes`);

const loudness = notes.reduce((s, n) => s + n.velocity, 0) / notes.length / 127;
const pcs = new Array(12).fill(0);
for (const n of notes) pcs[n.pitch % 12]++;
const tonic = pcs.indexOf(Math.max(...pcs));
const major = pcs[(tonic + 4) % 12] >= pcs[(tonic + 3) % 12];
const arousal = loudness >= 0.55;
const quadrant = arousal ? (major ? 1 : 2) : major ? 4 : 3;
// Pseudo-probabilities for Q1..Q4 (a real classifier prints its softmax here).
const values = [1, 2, 3, 4].map((q) => (q === quadrant ? 0.7 : 0.1));
process.stdout.write(`${file} is emotion Q${quadrant}\n`);
process.stdout.write(`Inference values: [${values.map((v) => v.toFixed(4)).join(' ')}]\n`);
