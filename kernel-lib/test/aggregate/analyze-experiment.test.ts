import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/aggregate/analyze-experiment.js';
import type { RunLike } from '../../src/aggregate/rows.js';
import { encodeMidi } from '../../src/formats/midi-write.js';
import { encodeNpy } from '../../src/formats/npy.js';
import type { Word2Event } from '../../src/formats/types.js';
import type { EmotionOutcome } from '../../src/metrics/emotion-command.js';
import { tempDir } from '../helpers.js';

const w2e: Word2Event = {
  type: { '0': 0, '1': 'Note' },
  duration: { '0': 0, '1': 'Note_Duration_0', '2': 'Note_Duration_120', '3': 'Note_Duration_240' },
};
const order = ['type', 'duration'];
const midi = encodeMidi({
  ticksPerBeat: 480,
  notes: [60, 64, 67].map((p, i) => ({
    pitch: p,
    start: i * 480,
    end: i * 480 + 480,
    velocity: 80,
    channel: 0,
    track: 0,
  })),
});

function song(dir: string, name: string, rows: number[][], meta: Record<string, unknown>, npy?: Uint8Array): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.npy`), npy ?? encodeNpy([rows.length, 2], rows.flat()));
  writeFileSync(join(dir, `${name}.mid`), midi);
  writeFileSync(
    join(dir, `${name}.meta.json`),
    JSON.stringify({ paths: { npy: `${name}.npy`, midi: `${name}.mid` }, vocab_order: order, ...meta }),
  );
}
const classify = async (f: string): Promise<EmotionOutcome> => ({ ok: true, file: f, emotion: 2, values: [0] });
const base = { model: 'scratch', emotion: 2, key: 'C:maj', subset: ['duration'], returncode: 0 };

describe('analyzeExperiment', () => {
  const exp = tempDir('emotune-analyze-');
  song(
    join(exp, 'good'),
    's',
    [
      [1, 2],
      [1, 3],
      [1, 2],
      [1, 1],
    ],
    { conditions_indices: { duration: 2 } },
  );
  song(
    join(exp, 'broken'),
    'a',
    [[1, 2]],
    { conditions_indices: { duration: 2 } },
    new TextEncoder().encode('garbage'),
  );
  song(
    join(exp, 'broken'),
    'b',
    [
      [1, 2],
      [1, 3],
    ],
    { conditions_indices: { duration: 2 } },
  );
  song(join(exp, 'forced'), 's', [[1, 3]], { force_indices: { duration: 3 } });
  song(
    join(exp, 'empty-conditions'),
    's',
    [
      [1, 3],
      [1, 3],
    ],
    { conditions_indices: {}, force_indices: { duration: 3 } },
  );
  mkdirSync(join(exp, 'failed'));
  const runs: RunLike[] = [
    { ...base, mode: 'inference-primed', out_dir: 'good' },
    { ...base, mode: 'inference-primed', emotion: 3, out_dir: join(exp, 'broken') }, // absolute out_dir
    { ...base, mode: 'inference-forced', out_dir: 'forced' },
    { ...base, mode: 'inference-deterministic', out_dir: 'empty-conditions' },
    { ...base, mode: 'inference-primed', emotion: 4, out_dir: 'missing' },
    { ...base, mode: 'inference-primed', emotion: 1, out_dir: 'failed', returncode: 1 },
  ];

  it('keeps every good run when one file or folder is bad, and names what was wrong', async () => {
    const r = await analyzeExperiment({ expDir: exp, runs, word2eventByModel: { scratch: w2e }, classify });
    const good = r.rows.find((x) => x.mode === 'inference-primed' && x.emotion === 2)!;
    // distances to 120: 0, 120, 0, 120 (Note_Duration_0 counts as 0)
    expect(good).toMatchObject({
      duration_adherence: 0.5,
      duration_distance: 60,
      emotion_adherence: 1,
      key_adherence: 1,
    });
    const broken = r.rows.find((x) => x.emotion === 3)!;
    expect(broken.duration_adherence).toBe(0.5); // from b.npy only
    expect(r.problems.map((p) => [p.stage, p.file.slice(exp.length + 1)])).toEqual([
      ['token', 'broken/a.meta.json'],
      ['token', 'missing'],
    ]);
    expect(r.lines.filter((l) => l.startsWith('  [ERROR]'))).toHaveLength(2);
  });

  it('skips token adherence for forced runs and failed runs, uses force_indices when conditions_indices is empty', async () => {
    const r = await analyzeExperiment({ expDir: exp, runs, word2eventByModel: { scratch: w2e }, classify });
    const forced = r.rows.find((x) => x.mode === 'inference-forced')!;
    expect(Object.keys(forced).filter((k) => k.startsWith('duration'))).toEqual([]);
    expect(forced.emotion_adherence).toBe(1);
    expect(r.rows.find((x) => x.mode === 'inference-deterministic')!.duration_adherence).toBe(1);
    expect(r.rows.some((x) => x.emotion === 1 || x.emotion === 4)).toBe(false);
    expect(r.lines.filter((l) => l.startsWith('Analyzing: '))).toEqual([
      'Analyzing: good',
      'Analyzing: broken',
      'Analyzing: forced',
      'Analyzing: empty-conditions',
    ]);
    expect(r.lines).toContain('  Emotion adherence: 100.0% (1/1)');
    // the broken run's folder: two C major songs, emotion 3 expected, 2 predicted
    const at = r.lines.indexOf('Analyzing: broken');
    expect(r.lines.slice(at + 1, at + 4)).toEqual([
      '  Emotion adherence: 0.0% (0/2)',
      '  Key adherence: 100.0% (2/2)',
      "  Key distribution: {'C:maj': 2}",
    ]);
  });
});

describe('analyzeExperiment: unreadable meta files', () => {
  const exp = tempDir('emotune-analyze-meta-');
  // A generator writing .midi files: only the meta files name them, so an unreadable one hides its file.
  for (const dir of ['forced', 'primed']) {
    mkdirSync(join(exp, dir), { recursive: true });
    writeFileSync(join(exp, dir, 's.npy'), encodeNpy([1, 2], [1, 3]));
    writeFileSync(join(exp, dir, 's.midi'), midi);
    writeFileSync(
      join(exp, dir, 's.meta.json'),
      JSON.stringify({ paths: { npy: 's.npy', midi: 's.midi' }, vocab_order: order, force_indices: { duration: 3 } }),
    );
    writeFileSync(join(exp, dir, 't.midi'), midi);
    writeFileSync(join(exp, dir, 't.meta.json'), '{"paths": {"npy": "t.npy", "midi": "t.mi');
  }
  const runs: RunLike[] = [
    { ...base, mode: 'inference-forced', out_dir: 'forced' },
    { ...base, mode: 'inference-primed', out_dir: 'primed' },
  ];

  it('reports an unreadable meta file of a forced run (no token stage reads it), once per file, never silently', async () => {
    const r = await analyzeExperiment({ expDir: exp, runs, word2eventByModel: { scratch: w2e }, classify });
    expect(r.emotionKeyReports.map((x) => x.num_files)).toEqual([1, 1]);
    expect(r.problems.map((p) => [p.stage, p.run.mode, p.file.slice(exp.length + 1)])).toEqual([
      ['token', 'inference-primed', 'primed/t.meta.json'],
      ['emotion', 'inference-forced', 'forced/t.meta.json'],
    ]);
    const forced = r.problems.find((p) => p.run.mode === 'inference-forced')!;
    expect(forced.reason).toMatch(/forced run has no token analysis/);
    expect(forced.reason).toMatch(/t\.meta\.json/);
  });

  it('names a forced run’s unreadable meta file under the key stage when only keys are measured', async () => {
    const r = await analyzeExperiment({ expDir: exp, runs: runs.slice(0, 1), word2eventByModel: { scratch: w2e } });
    expect(r.problems.map((p) => p.stage)).toEqual(['key']);
  });
});

describe('analyzeExperiment: MIDI files no meta file names', () => {
  const exp = tempDir('emotune-analyze-unnamed-');
  for (const dir of ['primed', 'forced', 'no-meta']) {
    song(join(exp, dir), 's', [[1, 3]], { conditions_indices: { duration: 3 } });
    writeFileSync(join(exp, dir, 'primer.mid'), midi); // a stray file: counted by the *.mid glob, named by no meta
  }
  rmSync(join(exp, 'no-meta', 's.meta.json'));
  const runs: RunLike[] = [
    { ...base, mode: 'inference-primed', out_dir: 'primed' },
    { ...base, mode: 'inference-forced', out_dir: 'forced' },
    { ...base, mode: 'inference-primed', out_dir: 'no-meta' },
  ];

  it('names each such file of a token-analysed run as a token problem (it counts for emotion and key only)', async () => {
    const r = await analyzeExperiment({ expDir: exp, runs, word2eventByModel: { scratch: w2e }, classify });
    expect(r.emotionKeyReports.map((x) => x.num_files)).toEqual([2, 2, 2]);
    expect(r.problems.map((p) => [p.stage, p.file.slice(exp.length + 1)])).toEqual([
      ['token', 'primed/primer.mid'],
      ['token', 'no-meta/primer.mid'],
      ['token', 'no-meta/s.mid'],
    ]);
    expect(r.problems[0]!.reason).toMatch(/no meta file names this MIDI file.*no token figure/);
  });
});

describe('analyzeExperiment: run folders outside the experiment folder', () => {
  const original = tempDir('emotune-analyze-original-');
  const copy = tempDir('emotune-analyze-copy-');
  for (const root of [original, copy]) song(join(root, 'run'), 's', [[1, 3]], { conditions_indices: { duration: 3 } });
  // As in a copied experiment: all_runs_metadata.json still names the original's folders, by absolute path.
  const runs: RunLike[] = [
    { ...base, mode: 'inference-primed', out_dir: join(original, 'run') },
    { ...base, mode: 'inference-forced', out_dir: join(original, 'run') },
  ];

  it("reads none of another experiment's files, and says why for each run", async () => {
    const r = await analyzeExperiment({ expDir: copy, runs, word2eventByModel: { scratch: w2e }, classify });
    expect(r.rows).toEqual([]);
    expect(r.tokenReports).toEqual([]);
    expect(r.emotionKeyReports).toEqual([]);
    expect(r.problems.map((p) => [p.stage, p.file])).toEqual([
      ['token', join(original, 'run')],
      ['emotion', join(original, 'run')],
    ]);
    expect(r.problems[0]!.reason).toMatch(/outside the experiment folder .*copied or moved/);
    // In the original experiment the same records are analysed, also when it is reached through a link.
    const o = await analyzeExperiment({ expDir: original, runs, word2eventByModel: { scratch: w2e }, classify });
    expect(o.problems).toEqual([]);
    expect(o.rows).toHaveLength(2);
    const link = join(copy, 'link-to-original');
    symlinkSync(original, link);
    const l = await analyzeExperiment({ expDir: link, runs, word2eventByModel: { scratch: w2e }, classify });
    expect(l.problems).toEqual([]);
  });
});

describe('analyzeExperiment: meta files naming files outside their run folder', () => {
  const original = tempDir('emotune-analyze-orig-meta-');
  const copy = tempDir('emotune-analyze-copy-meta-');
  // A copied experiment with relative out_dir, whose meta files still name the original's files by absolute path.
  for (const dir of ['primed', 'forced']) {
    song(join(original, dir), 's', [[1, 3]], { conditions_indices: { duration: 3 } });
    song(join(copy, dir), 's', [[1, 3]], {
      conditions_indices: { duration: 3 },
      paths: { npy: join(original, dir, 's.npy'), midi: join(original, dir, 's.mid') },
    });
  }
  const runs: RunLike[] = [
    { ...base, mode: 'inference-primed', out_dir: 'primed' },
    { ...base, mode: 'inference-forced', out_dir: 'forced' },
  ];

  it("reads neither the original's tokens nor its MIDI files, and names each such meta file", async () => {
    const r = await analyzeExperiment({ expDir: copy, runs, word2eventByModel: { scratch: w2e }, classify });
    // Only the copy's own s.mid counts for emotion and key (found by the *.mid glob), never the original's too.
    expect(r.emotionKeyReports.map((x) => x.num_files)).toEqual([1, 1]);
    expect(r.tokenReports).toEqual([]);
    expect(r.problems.map((p) => [p.stage, p.file.slice(copy.length + 1)])).toEqual([
      ['token', 'primed/s.meta.json'],
      ['emotion', 'forced/s.meta.json'],
    ]);
    for (const p of r.problems) expect(p.reason).toMatch(/paths\.npy points outside the run folder/);
  });
});
