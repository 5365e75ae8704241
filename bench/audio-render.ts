// WAV rendering of a 2-minute song: an EMOPIA clip's notes repeated to 120 s (120 BPM), rendered by
// `emotune audio` as a fresh process (Node start-up, sample decoding, mix, WAV encode), wall and CPU time.
// Baseline: the same process rendering a 5-second excerpt, so start-up and decoding show apart from the mix.
//
//   npx tsx bench/audio-render.ts [--repeat 3]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMidi } from '../kernel-lib/src/formats/midi-read.js';
import { writeMidi } from '../kernel-lib/src/formats/midi-write.js';
import type { MidiNote } from '../kernel-lib/src/formats/types.js';
import { arg, f, machineLine, median, printTable, runCommand, withTempDir } from './lib/measure.js';

const repeat = arg('repeat', 3);
const clip = join(
  import.meta.dirname,
  '..',
  'kernel-lib',
  'test',
  'metrics',
  'emotion-builtin',
  'fixtures',
  'emopia-val',
  'midis',
  'Q1_TNoaOTrTkTQ_1.mid',
);
const cli = join(import.meta.dirname, '..', 'kernel-lib', 'dist', 'cli', 'main.js');
console.log('emotune audio: WAV rendering (44.1 kHz mono) of a 2-minute song');
console.log(machineLine());

await withTempDir('audio', async (dir) => {
  const score = await readMidi(clip);
  const tpb = score.ticksPerBeat;
  const span = Math.max(...score.notes.map((n) => n.end));
  const target = 240 * tpb; // 240 beats at 120 BPM = 120 s
  const song = async (ticks: number, name: string): Promise<{ file: string; notes: number }> => {
    const notes: MidiNote[] = [];
    for (let off = 0; off < ticks; off += span) {
      for (const n of score.notes)
        if (n.start + off < ticks) notes.push({ ...n, start: n.start + off, end: Math.min(ticks, n.end + off) });
    }
    const file = join(dir, name);
    await writeMidi(file, { ticksPerBeat: tpb, tempos: [{ tick: 0, bpm: 120 }], notes });
    return { file, notes: notes.length };
  };
  const long = await song(target, 'long.mid');
  const short = await song(10 * tpb, 'short.mid');
  const rows: (string | number)[][] = [];
  for (const [label, s] of [
    ['2-minute song', long],
    ['5-second excerpt', short],
  ] as const) {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const timeFile = join(dir, 'time.txt');
      const r = await runCommand([
        '/usr/bin/time',
        '-f',
        '%U %S',
        '-o',
        timeFile,
        process.execPath,
        cli,
        'audio',
        s.file,
        '--out',
        join(dir, 'out.wav'),
      ]);
      wall.push(r.s);
      const [user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);
      cpu.push((user ?? 0) + (sys ?? 0));
    }
    rows.push([label, s.notes, f(median(wall)), f(Math.min(...wall)), f(median(cpu))]);
  }
  printTable(['input', 'notes', 'median wall s', 'best wall s', 'median CPU s'], rows);
});
