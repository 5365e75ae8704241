import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeMidi } from '../../src/formats/midi-write.js';
import type { MidiNote } from '../../src/formats/types.js';
import type { EmotionOutcome } from '../../src/metrics/emotion-command.js';
import { computeEmotionKeyAdherence, listMidiFiles, listRunFolder } from '../../src/metrics/edge/run-emotion-key.js';
import { tempDir } from '../helpers.js';

const n = (pitch: number, start: number, end: number): MidiNote => ({
  pitch,
  start,
  end,
  velocity: 80,
  channel: 0,
  track: 0,
});
const cMajor = [60, 62, 64, 65, 67, 69, 71, 72].map((p, i) =>
  n(p, i * 480, i * 480 + (p % 12 === 0 || p === 67 ? 960 : 480)),
);
const aMinor = [n(57, 0, 1920), n(60, 0, 960), n(64, 0, 1920), n(68, 960, 1200), n(57, 1920, 3840)];

function folder(files: Record<string, MidiNote[] | string>): string {
  const dir = tempDir('emotune-ek-');
  for (const [name, v] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof v === 'string' ? v : encodeMidi({ ticksPerBeat: 480, notes: v }));
  }
  return dir;
}

/** A fake classifier: the quadrant comes from the file name (`..._q3.mid`), `fail` in the name fails. */
const fakeClassify = async (f: string): Promise<EmotionOutcome> => {
  // The name only: the random temp folder may hold "q4" or "a_" too.
  const name = basename(f);
  // Finish in reverse name order, to show results keep file order.
  await new Promise((r) => setTimeout(r, name.includes('a_') ? 30 : 1));
  if (name.includes('fail')) return { ok: false, file: f, reason: 'exit code 1' };
  return { ok: true, file: f, emotion: Number(/q(\d)/.exec(name)![1]), values: [0, 0, 0, 0] };
};

describe('computeEmotionKeyAdherence over a run folder', () => {
  it('uses every .mid file in name order and counts only answered files for emotion', async () => {
    const dir = folder({
      'b_q2.mid': cMajor,
      'a_q1.mid': cMajor,
      'c_fail.mid': aMinor,
      'notes.txt': 'x',
      'x.midi.bak': 'x',
    });
    expect((await listMidiFiles(dir)).map((f) => f.slice(dir.length + 1))).toEqual([
      'a_q1.mid',
      'b_q2.mid',
      'c_fail.mid',
    ]);
    const r = await computeEmotionKeyAdherence(dir, 1, null, { classify: fakeClassify, concurrency: 3 });
    expect(r.num_files).toBe(3);
    expect(r.emotion).toMatchObject({ matches: 1, total: 2, adherence_ratio: 0.5 });
    expect(r.emotion.predictions.map((p) => p.file.slice(dir.length + 1))).toEqual(['a_q1.mid', 'b_q2.mid']);
    expect(r.emotion.failures).toEqual([{ ok: false, file: join(dir, 'c_fail.mid'), reason: 'exit code 1' }]);
    expect(r).not.toHaveProperty('key');
  });

  it('has no emotion ratio when every file fails', async () => {
    const dir = folder({ 'x_fail.mid': cMajor });
    const r = await computeEmotionKeyAdherence(dir, 1, 'C:maj', { classify: fakeClassify });
    expect(r.emotion).not.toHaveProperty('adherence_ratio');
    expect(r.emotion.total).toBe(0);
  });

  it('detects keys per file: matches, distribution in file order, mean score of the expected key', async () => {
    const dir = folder({ '1_q1.mid': aMinor, '2_q1.mid': cMajor, '3_q1.mid': aMinor, '4_q1.mid': 'garbage' });
    const r = await computeEmotionKeyAdherence(dir, 1, 'A:min', { classify: fakeClassify });
    const k = r.key!;
    expect(k.total).toBe(3);
    expect(k.matches).toBe(2);
    expect(k.adherence_ratio).toBe(2 / 3);
    expect(Object.entries(k.key_distribution)).toEqual([
      ['A:min', 2],
      ['C:maj', 1],
    ]);
    const expectedScores = k.files.map((f) => f.expected_score);
    expect(k.mean_correlation).toBeCloseTo(expectedScores.reduce((a, b) => a + b) / 3, 15);
    expect(k.failures).toHaveLength(1);
    expect(k.failures[0]!.file).toBe(join(dir, '4_q1.mid'));
  });

  it('accepts a flat spelling of the expected key', async () => {
    const dir = folder({ 'a_q1.mid': cMajor.map((x) => ({ ...x, pitch: x.pitch + 10 })) });
    const r = await computeEmotionKeyAdherence(dir, 1, 'Bb:maj');
    expect(r.key!.key_distribution).toEqual({ 'A#:maj': 1 });
    expect(r.key!.matches).toBe(1);
    expect(r.emotion).toEqual({ matches: 0, total: 0, predictions: [], failures: [] }); // no classifier configured
  });

  it('gives zero totals and no ratio for a folder without MIDI files, and an error for a missing folder', async () => {
    const dir = tempDir('emotune-ek-');
    mkdirSync(join(dir, 'sub.mid')); // a folder named like a MIDI file is not readable as one
    const r = await computeEmotionKeyAdherence(dir, 2, 'E:min', { classify: fakeClassify });
    expect(r.key).toMatchObject({ matches: 0, total: 0 });
    expect(r.key).not.toHaveProperty('mean_correlation');
    await expect(computeEmotionKeyAdherence(join(dir, 'nope'), 1, null)).rejects.toThrow(/nope/);
  });
});

describe('listRunFolder: unreadable meta files and files no meta names', () => {
  it('names each unreadable meta file with its reason, and still lists the named and *.mid files', async () => {
    const dir = folder({
      'a.meta.json': JSON.stringify({ paths: { npy: 'a.npy', midi: 'a.midi' }, vocab_order: [] }),
      'a.midi': 'x',
      'b.meta.json': '{ not json',
      'b.midi': 'x',
      'c.mid': 'x',
    });
    const listing = await listRunFolder(dir);
    const seen = listing.unreadableMetas.map((m): [string, string] => [m.file.slice(dir.length + 1), m.reason]);
    const files = listing.files;
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a.midi', 'c.mid']);
    expect(seen.map(([f]) => f)).toEqual(['b.meta.json']);
    expect(seen[0]![1]).toMatch(/b\.meta\.json/);
    expect(await listMidiFiles(dir)).toEqual(files);
    // c.mid has no meta file at all; b.midi's own meta file was refused (reported with it) and is not listed.
    expect(listing.unnamed.map((f) => f.slice(dir.length + 1))).toEqual(['c.mid']);
  });
});
