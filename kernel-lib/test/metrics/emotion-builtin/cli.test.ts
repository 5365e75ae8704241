import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { writeMidi } from 'midi-file';
import { describe, expect, it } from 'vitest';
import { parseClassifierOutput } from '../../../src/metrics/emotion-command.js';
import { KEPT_NOTES_MARKER } from '../../../src/metrics/emotion-builtin/evaluate.js';
import { serializeClassifierModel } from '../../../src/metrics/emotion-builtin/model.js';
import { trainClassifierFromDir } from '../../../src/metrics/edge/classifier-training.js';
import { repoRoot, tempDir } from '../../helpers.js';
import { fixtureDir } from './helpers.js';

/** The CLI from source (tsx), so the test does not depend on a fresh build. */
function emotune(args: string[]) {
  return execa(process.execPath, ['--import', 'tsx', join(repoRoot, 'kernel-lib', 'src', 'cli', 'main.ts'), ...args], {
    cwd: repoRoot,
    reject: false,
  });
}

const clip = (name: string) => join(fixtureDir, 'midis', name);
const Q1 = clip('Q1_0vLPYiPN7qY_0.mid');
const Q3 = clip('Q3_02t1bj7ZABY_0.mid');

describe('emotune classify', { timeout: 60_000 }, () => {
  it("prints the external classifier's two lines per file, which the reference notebook's parser reads", async () => {
    const r = await emotune(['classify', Q1, Q3]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^${Q1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is emotion Q[1-4]$`));
    expect(lines[1]).toMatch(/^Inference values: \[\d\.\d{6} \d\.\d{6} \d\.\d{6} \d\.\d{6}\]$/);
    const parsed = parseClassifierOutput(`${lines[2]}\n${lines[3]}\n`);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.emotion).toBe(3); // the Q3 clip, predicted right by the committed model
    expect(parsed.values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(parsed.values.indexOf(Math.max(...parsed.values)) + 1).toBe(parsed.emotion);
  });

  it('prints one JSON object per line with --json, agreeing with the text output', async () => {
    const [json, text] = await Promise.all([emotune(['classify', '--json', Q1, Q3]), emotune(['classify', Q1, Q3])]);
    expect(json.exitCode).toBe(0);
    const objects = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objects.map((o) => o.file)).toEqual([Q1, Q3]);
    const quadrants = text.stdout
      .trim()
      .split('\n')
      .filter((_, i) => i % 2 === 0)
      .map((l) => Number(/Q(\d)$/.exec(l)![1]));
    expect(objects.map((o) => o.quadrant)).toEqual(quadrants);
    for (const o of objects) {
      expect(o.probabilities).toHaveLength(4);
      expect(o.arousal).toBeCloseTo(o.probabilities[0] + o.probabilities[1], 12);
      expect(o.valence).toBeCloseTo(o.probabilities[0] + o.probabilities[3], 12);
      expect(Array.isArray(o.out_of_range)).toBe(true);
      expect(typeof o.features.velocity_mean).toBe('number');
    }
  });

  it('reports corrupt, empty and missing files in one line each, goes on with the others, exits 1', async () => {
    const dir = tempDir();
    const corrupt = join(dir, 'corrupt.mid');
    writeFileSync(corrupt, 'this is not MIDI');
    const empty = join(dir, 'empty.mid');
    // A valid MIDI file with one track holding only end-of-track.
    writeFileSync(
      empty,
      Buffer.from([
        0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0, 0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, 4, 0, 0xff, 0x2f,
        0,
      ]),
    );
    const missing = join(dir, 'missing.mid');
    const r = await emotune(['classify', corrupt, Q1, empty, missing]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`${Q1} is emotion Q`);
    const errors = r.stderr.trim().split('\n');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain(corrupt);
    expect(errors[1]).toContain(empty);
    expect(errors[1]).toContain('no pitched notes');
    expect(errors[2]).toContain(missing);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a tiny file whose notes last for days with a one-line error, and classifies the rest of the batch', async () => {
    // Held notes of 2^28 - 1 ticks (the longest MIDI delta) twice over: once enough to stop a batch.
    const long = 0x0fffffff;
    const track = [
      { deltaTime: 0, type: 'noteOn' as const, channel: 0, noteNumber: 60, velocity: 90 },
      { deltaTime: 0, type: 'noteOn' as const, channel: 0, noteNumber: 64, velocity: 90 },
      { deltaTime: long, type: 'noteOff' as const, channel: 0, noteNumber: 60, velocity: 0 },
      { deltaTime: 0, type: 'noteOn' as const, channel: 0, noteNumber: 67, velocity: 90 },
      { deltaTime: long, type: 'noteOff' as const, channel: 0, noteNumber: 64, velocity: 0 },
      { deltaTime: 0, type: 'noteOff' as const, channel: 0, noteNumber: 67, velocity: 0 },
      { deltaTime: 0, meta: true as const, type: 'endOfTrack' as const },
    ];
    const file = join(tempDir(), 'long-notes.mid');
    writeFileSync(
      file,
      Uint8Array.from(writeMidi({ header: { format: 0, numTracks: 1, ticksPerBeat: 480 }, tracks: [track] })),
    );
    const r = await emotune(['classify', '--json', file, Q1]);
    // Songs over 100,000 beats are refused per file (formats/midi-read.ts), without ending the batch.
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/absurdly long/);
    const objects = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objects.map((o) => o.file)).toEqual([Q1]);
  });

  it('exits 2 without files, with an unknown flag, or with an unreadable model', async () => {
    const [none, flag, model] = await Promise.all([
      emotune(['classify']),
      emotune(['classify', '--bogus', Q1]),
      emotune(['classify', '--model', '/nonexistent/model.json', Q1]),
    ]);
    expect(none.exitCode).toBe(2);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toContain('--bogus');
    expect(model.exitCode).toBe(2);
    expect(model.stderr).toContain('/nonexistent/model.json');
  });
});

describe('emotune train-classifier', { timeout: 180_000 }, () => {
  it('writes the same bytes as the library, and a report with the figures, the command and the kept notes', async () => {
    const dir = tempDir();
    const out = join(dir, 'model.json');
    const report = join(dir, 'EVALUATION.md');
    const notes = `${KEPT_NOTES_MARKER}\n\n## Tried: a model not shipped\n\nIts figures.\n`;
    writeFileSync(report, `# stale figures\n\n${notes}`);
    const r = await emotune([
      'train-classifier',
      '--data',
      fixtureDir,
      '--split',
      'val',
      '--out',
      out,
      '--report',
      report,
    ]);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      serializeClassifierModel(await trainClassifierFromDir(fixtureDir, { split: 'val' })),
    );
    const md = readFileSync(report, 'utf8');
    expect(md).toMatch(/\| 4-quadrant accuracy, Wilson \| \d+\.\d% \[\d+\.\d%, \d+\.\d%\]/);
    expect(md).toMatch(/\| 4-quadrant accuracy, song bootstrap \| \d+\.\d% \[/);
    expect(md).toContain('| velocity 100 |');
    expect(md).toContain('expected calibration error');
    // the ECE beside what a perfectly calibrated model would show on as many clips
    expect(md).toMatch(
      /\| the same for a perfectly calibrated model with these probabilities \(reference\) \| \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]; at least the observed ECE in \d+% of 2,000 draws/,
    );
    expect(md).toContain('wazenmai/MIDI_Emotion_Classification');
    expect(md).toContain('| Q1 |');
    expect(md).toContain(`--data ${fixtureDir} --out ${out} --split val`);
    // Trained and evaluated on the same split: the report and stderr say the figures are not held out.
    expect(md).toContain('(40 clips; **not song-disjoint from training**: 40 of its 40 clips');
    expect(md).not.toContain('song-disjoint from training:');
    expect(r.stderr).toContain(
      'emotune train-classifier: warning: 40 of 40 clips of split "val" come from songs the classifier was trained on',
    );
    expect(md).not.toContain('stale figures');
    expect(md.endsWith(`\n${notes}`)).toBe(true);
  });

  it('exits 2 with a one-line message for missing options, bad values and a missing data folder', async () => {
    const [noData, kind, l2, missing] = await Promise.all([
      emotune(['train-classifier', '--out', '/tmp/x.json']),
      emotune(['train-classifier', '--data', fixtureDir, '--out', '/tmp/x.json', '--kind', 'forest']),
      emotune(['train-classifier', '--data', fixtureDir, '--out', '/tmp/x.json', '--l2', 'lots']),
      emotune(['train-classifier', '--data', '/nonexistent/emopia', '--out', '/tmp/x.json']),
    ]);
    for (const r of [noData, kind, l2, missing]) {
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(kind.stderr).toContain('--kind');
    expect(l2.stderr).toContain('--l2');
    expect(missing.stderr).toContain('/nonexistent/emopia/labels.csv');
  });
});
