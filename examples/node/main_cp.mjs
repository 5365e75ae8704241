#!/usr/bin/env node
// A minimal generator that follows EmoTune Lab's generator contract (docs/generator-contract.md), in plain
// Node (no packages). It stands where your main_cp.py stands: same flags, same outputs. It does not learn
// anything: it writes a short arpeggio in the requested key, with the conditioned token values, so that every
// output the contract asks for is there and `emotune doctor` passes. Replace the "compose" part with your model.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function fail(message) {
  process.stderr.write(`main_cp.mjs: ${message}\n`);
  process.exit(1);
}

// 1. Flags: `--name value` pairs, in the contract's order (the order does not matter to this parser).
const flags = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  if (!argv[i].startsWith('--') || argv[i + 1] === undefined)
    fail(`expected --flag value pairs, got ${JSON.stringify(argv[i])}`);
  flags[argv[i].slice(2)] = argv[i + 1];
}
for (const f of [
  'data_root',
  'exp_path',
  'mode',
  'task_type',
  'num_songs',
  'emo_tag',
  'save_tokens_json',
  'load_ckt',
  'load_ckt_loss',
  'load_dict',
  'out_dir',
]) {
  if (flags[f] === undefined) fail(`missing --${f}`);
}
const mode = flags.mode;
const emotion = Number(flags.emo_tag);
const key = flags.key_tag ?? null;
const numSongs = Number(flags.num_songs);
// --conditions (primed, deterministic) or --force_tokens (forced): {"token type": "label"}, Python json.dumps style.
const requested = flags.conditions
  ? JSON.parse(flags.conditions)
  : flags.force_tokens
    ? JSON.parse(flags.force_tokens)
    : {};

// 2. The vocabulary: word2event JSON at <data_root>/<load_dict> ({token type: {index: label}}).
const dictPath = join(flags.data_root, flags.load_dict);
let word2event;
try {
  word2event = JSON.parse(readFileSync(dictPath, 'utf8'));
} catch (e) {
  fail(
    `cannot read the vocabulary ${dictPath}: ${e.message} (this example reads word2event JSON; convert a dictionary.pkl with: emotune vocab convert dictionary.pkl --out word2event.json)`,
  );
}
if (Array.isArray(word2event)) word2event = word2event[1]; // an (event2word, word2event) pair
const indexOf = (type, label) => {
  const entry = Object.entries(word2event[type] ?? {}).find(([, l]) => l === label);
  return entry === undefined ? undefined : Number(entry[0]);
};
const order = [
  'tempo',
  'chord',
  'bar-beat',
  'type',
  'pitch',
  'duration',
  'velocity',
  'emotion',
  ...(key ? ['key'] : []),
];
for (const t of order) if (word2event[t] === undefined) fail(`the vocabulary ${dictPath} has no token type "${t}"`);
const targets = {};
for (const [type, label] of Object.entries(requested)) {
  const index = indexOf(type, label);
  if (index === undefined) fail(`condition ${type}=${label}: no such label in ${dictPath}`);
  targets[type] = index;
}

// 3. Compose: one Emotion step, then 4 bars of Bar/Beat steps each followed by a Note step.
const TICKS_PER_BEAT = 480;
const TONICS = {
  C: 0,
  'C#': 1,
  Db: 1,
  D: 2,
  'D#': 3,
  Eb: 3,
  E: 4,
  F: 5,
  'F#': 6,
  Gb: 6,
  G: 7,
  'G#': 8,
  Ab: 8,
  A: 9,
  'A#': 10,
  Bb: 10,
  B: 11,
};
const [tonicName, quality] = (key ?? 'C:maj').split(':');
const chord = quality === 'min' ? [0, 3, 7, 12] : [0, 4, 7, 12];
const numberOf = (label) => Number(String(label).split('_').pop());

function compose() {
  const rows = [];
  const notes = [];
  const row = (values) => rows.push(order.map((t) => values[t] ?? 0));
  row({
    type: indexOf('type', 'Emotion'),
    emotion: indexOf('emotion', emotion),
    ...(key ? { key: indexOf('key', key) } : {}),
  });
  for (let bar = 0; bar < 4; bar++) {
    row({
      type: indexOf('type', 'Metrical'),
      'bar-beat': indexOf('bar-beat', 'Bar'),
      tempo: indexOf('tempo', 'Tempo_110') ?? 1,
    });
    for (let beat = 0; beat < 4; beat++) {
      const position = beat * 4; // 16 positions a bar
      row({ type: indexOf('type', 'Metrical'), 'bar-beat': indexOf('bar-beat', `Beat_${position}`) });
      const pitch = 57 + TONICS[tonicName] + chord[beat];
      const values = {
        type: indexOf('type', 'Note'),
        pitch: indexOf('pitch', `Note_Pitch_${pitch}`),
        duration: indexOf('duration', 'Note_Duration_480'),
        velocity: indexOf('velocity', emotion <= 2 ? 'Note_Velocity_100' : 'Note_Velocity_60'),
        ...targets, // the conditioned (or forced) columns take the requested index at every note step
      };
      row(values);
      notes.push({
        start: (bar * 16 + position) * (TICKS_PER_BEAT / 4),
        pitch,
        duration: numberOf(word2event.duration[values.duration]) || TICKS_PER_BEAT,
        velocity: numberOf(word2event.velocity[values.velocity]) || 64,
      });
    }
  }
  return { rows, notes };
}

// 4. Writers: .npy (int64 [T, F]), MIDI (format 0, 480 ticks a beat), meta and tokens JSON.
function npyBytes(rows) {
  let header = `{'descr': '<i8', 'fortran_order': False, 'shape': (${rows.length}, ${order.length}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n'; // data starts on a 64-byte boundary
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.alloc(rows.length * order.length * 8);
  rows.flat().forEach((v, i) => data.writeBigInt64LE(BigInt(v), i * 8));
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

function midiBytes(notes) {
  const vlq = (n) => {
    const out = [n & 0x7f];
    while ((n >>= 7) > 0) out.unshift((n & 0x7f) | 0x80);
    return out;
  };
  const events = notes
    .flatMap((n) => [
      { t: n.start + n.duration, bytes: [0x80, n.pitch, 0] },
      { t: n.start, bytes: [0x90, n.pitch, n.velocity] },
    ])
    .sort((a, b) => a.t - b.t || a.bytes[0] - b.bytes[0]);
  const track = [0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20]; // tempo 120 bpm
  let now = 0;
  for (const e of events) {
    track.push(...vlq(e.t - now), ...e.bytes);
    now = e.t;
  }
  track.push(0x00, 0xff, 0x2f, 0x00);
  const header = Buffer.from([
    0x4d,
    0x54,
    0x68,
    0x64,
    0,
    0,
    0,
    6,
    0,
    0,
    0,
    1,
    TICKS_PER_BEAT >> 8,
    TICKS_PER_BEAT & 0xff,
  ]);
  const trackHead = Buffer.from([0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, 0]);
  trackHead.writeUInt32BE(track.length, 4);
  return Buffer.concat([header, trackHead, Buffer.from(track)]);
}

mkdirSync(flags.out_dir, { recursive: true });
for (let song = 0; song < numSongs; song++) {
  const name = `emo${emotion}_${song}`;
  const { rows, notes } = compose();
  writeFileSync(join(flags.out_dir, `${name}.npy`), npyBytes(rows));
  writeFileSync(join(flags.out_dir, `${name}.mid`), midiBytes(notes));
  const meta = {
    paths: { npy: `${name}.npy`, midi: `${name}.mid` }, // relative to the meta file's folder
    inference_mode: mode,
    emotion_tag: emotion,
    key_tag: key,
    vocab_order: order,
    [mode === 'inference-forced' ? 'force_indices' : 'conditions_indices']: targets,
  };
  writeFileSync(join(flags.out_dir, `${name}.meta.json`), `${JSON.stringify(meta, null, 1)}\n`);
  if (flags.save_tokens_json === '1') {
    const readable = rows.map((r) => Object.fromEntries(order.map((t, i) => [t, word2event[t][String(r[i])]])));
    writeFileSync(join(flags.out_dir, `${name}.tokens.json`), `${JSON.stringify(readable)}\n`);
  }
  process.stdout.write(`wrote ${join(flags.out_dir, name)}.{npy,mid,meta.json}\n`);
}
