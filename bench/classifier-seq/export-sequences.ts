// Exports EMOPIA train clips as compound-word step sequences, with their song-grouped folds and the shipped
// feature model's held-out (cross-validated) logits, for the sequence-model trial (train_cv.py, README.md).
// Train split only; val is never read.
//
//   nice -n 10 npx tsx bench/classifier-seq/export-sequences.ts --data <EMOPIA folder> --out /tmp/emopia-seq.json
//
// Steps come from the embedded generator's tokenizer (scoreToEvents, EMOPIA's corpus pipeline) with the shipped
// vocabulary, so a model trained on them reads what Node would tokenise at inference time. Each step is
// [kind, position, tempo, chordRoot, chordQuality, pitch, duration, velocity] as plain numbers (see stepOf):
// pitch and chord root stay numbers so the trainer can transpose them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMidi } from '../../kernel-lib/src/formats/midi-read.js';
import { CHORD_QUALITIES, NO_CHORD } from '../../kernel-lib/src/generate/embedded/chords.js';
import { scoreToEvents, type CpEvent } from '../../kernel-lib/src/generate/embedded/tokenizer.js';
import { makeVocab, PITCH_NAMES } from '../../kernel-lib/src/generate/embedded/vocabulary.js';
import type { Word2Event } from '../../kernel-lib/src/formats/types.js';
import { ROBUSTNESS_VARIANTS, UNMODIFIED } from '../../kernel-lib/src/metrics/emotion-builtin/augment.js';
import type { LabelledFeatures } from '../../kernel-lib/src/metrics/emotion-builtin/dataset.js';
import { crossValidate, songFolds, TRAIN_AUGMENTATIONS } from '../../kernel-lib/src/metrics/emotion-builtin/train.js';
import { readEmopiaLabels } from '../../kernel-lib/src/formats/emopia-labels.js';
import { loadSplitFeatures } from '../../kernel-lib/src/metrics/edge/emopia-dataset.js';
import { embeddedDir } from '../../kernel-lib/src/package-paths.js';
import { textArg as option } from '../lib/measure.js';

const data = option('data');
const out = option('out');
if (!data || !out) throw new Error('usage: export-sequences.ts --data <EMOPIA folder> --out <file.json>');

const vocab = makeVocab(
  JSON.parse(readFileSync(join(embeddedDir, 'vocab', 'word2event_pretrained.json'), 'utf8')) as Word2Event,
);
const QUALITIES = CHORD_QUALITIES.map(([q]) => q);
/** Step kinds: 0 is padding in the trainer. */
const KIND = { bar: 1, position: 2, note: 3 } as const;

const num = (label: unknown, prefix: string) =>
  typeof label === 'string' && label.startsWith(prefix) ? Number(label.slice(prefix.length)) : 0;

/**
 * One CP step as numbers: kind; position 1..16 (0 when none); tempo in bpm (0 = unchanged); chord root 1..12,
 * 13 = no chord, 0 = unchanged; chord quality 1..11 (0 = none); MIDI pitch (0 = not a note); duration in
 * 120-tick grid units + 1 (0 = not a note); velocity (0 = not a note). Emotion and EOS steps are dropped:
 * the emotion column would give the label away.
 */
function stepOf(e: CpEvent): number[] | undefined {
  if (e.type === 'Note') {
    return [
      KIND.note,
      0,
      0,
      0,
      0,
      num(e.pitch, 'Note_Pitch_'),
      num(e.duration, 'Note_Duration_') / 120 + 1,
      num(e.velocity, 'Note_Velocity_'),
    ];
  }
  if (e.type !== 'Metrical') return undefined;
  if (e['bar-beat'] === 'Bar') return [KIND.bar, 0, 0, 0, 0, 0, 0, 0];
  const chord = String(e.chord);
  let root = 0;
  let quality = 0;
  if (chord === NO_CHORD) root = 13;
  else if (chord !== 'CONTI' && chord !== '0') {
    const [name, q] = chord.split('_');
    root = PITCH_NAMES.indexOf(name as (typeof PITCH_NAMES)[number]) + 1;
    quality = QUALITIES.indexOf(q!) + 1;
  }
  return [KIND.position, num(e['bar-beat'], 'Beat_') + 1, num(e.tempo, 'Tempo_'), root, quality, 0, 0, 0];
}

const clips = readEmopiaLabels(data)
  .filter((c) => c.split === 'train')
  .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
const variants = [
  ...TRAIN_AUGMENTATIONS,
  ...ROBUSTNESS_VARIANTS.filter((v) => v !== UNMODIFIED && !TRAIN_AUGMENTATIONS.some((a) => a.name === v.name)),
];

const t0 = performance.now();
const sequences: Record<string, number[][]>[] = [];
for (const c of clips) {
  const score = await readMidi(join(data, c.file));
  const steps = (s: typeof score) =>
    scoreToEvents(s, 1, vocab)
      .map(stepOf)
      .filter((x): x is number[] => x !== undefined);
  sequences.push(Object.fromEntries([UNMODIFIED, ...variants].map((v) => [v.name, steps(v.apply(score))])));
}
console.log(`tokenised ${clips.length} train clips x ${variants.length + 1} variants`);

// The shipped model's held-out logits, for both deals of bench/classifier-cv.ts --deals 2.
const examples: LabelledFeatures[] = await loadSplitFeatures(data, 'train', undefined, variants);
const reversed = examples.map((e) => ({ ...e, songId: [...(e.songId ?? e.file)].reverse().join('') }));
const deals = [examples, reversed].map((ex) => {
  const cv = crossValidate(ex);
  return { folds: songFolds(ex, cv.folds), logits: cv.logits, variantLogits: cv.variantLogits };
});
console.log(`features and shipped-model CV in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

writeFileSync(
  out,
  JSON.stringify({
    steps: ['kind', 'position', 'tempo', 'chordRoot', 'chordQuality', 'pitch', 'duration', 'velocity'],
    chordQualities: QUALITIES,
    variants: variants.map((v) => v.name),
    clips: clips.map((c, i) => ({
      file: c.file,
      song: c.songId,
      quadrant: c.quadrant,
      folds: deals.map((d) => d.folds[i]),
      shippedLogits: deals.map((d) => ({
        unmodified: d.logits[i],
        ...Object.fromEntries(Object.entries(d.variantLogits).map(([v, l]) => [v, l[i]])),
      })),
      sequences: sequences[i],
    })),
  }),
);
console.log(`wrote ${out}`);
