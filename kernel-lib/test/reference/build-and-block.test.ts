import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMidi } from '../../src/formats/midi-read.js';
import { classifyMidi, featureVector } from '../../src/metrics/emotion-builtin/index.js';
import { loadClassifier } from '../../src/metrics/edge/classifier-file.js';
import { loadSplitFeatures } from '../../src/metrics/edge/emopia-dataset.js';
import { trainClassifier } from '../../src/metrics/emotion-builtin/train.js';
import { qualityOfMidi } from '../../src/metrics/quality/index.js';
import { buildReferenceBlock, referenceFloorEntries, type ReferenceSong } from '../../src/reference/block.js';
import { buildReferenceStats, classifierFingerprint } from '../../src/reference/build-stats.js';
import { referenceReportSections, referenceTables } from '../../src/reference/tables.js';
import { atFloor } from '../../src/aggregate/warnings.js';
import {
  loadReferenceStats,
  parseReferenceStats,
  serializeReferenceStats,
  type ReferenceStats,
} from '../../src/reference/stats-file.js';
import { errorOf } from '../expect-error.js';
import { repoRoot, tempDir } from '../helpers.js';
import { fixtureDir } from '../metrics/emotion-builtin/helpers.js';

/*
 * A small EMOPIA folder: the 40 committed val clips (10 per quadrant), half labelled `val` (the reference),
 * half `train` (the scale split).
 */
function smallEmopia(): string {
  const dir = tempDir('emotune-ref-');
  cpSync(join(fixtureDir, 'midis'), join(dir, 'midis'), { recursive: true });
  const lines = readFileSync(join(fixtureDir, 'labels.csv'), 'utf8').trim().split(/\r?\n/);
  const out = [lines[0]!, ...lines.slice(1).map((l, i) => l.replace(/,val$/, i % 2 === 0 ? ',val' : ',train'))];
  writeFileSync(join(dir, 'labels.csv'), `${out.join('\n')}\n`);
  return dir;
}

let data: string;
let stats: ReferenceStats;
beforeAll(async () => {
  data = smallEmopia();
  stats = await buildReferenceStats(data, { draws: 20 });
}, 120_000);

describe('buildReferenceStats', () => {
  it('counts the reference split only, and is the same text when built again', async () => {
    expect(stats.source).toMatchObject({
      split: 'val',
      clips: 20,
      scale_split: 'train',
      scale_clips: 20,
      licence: 'CC BY 4.0',
    });
    expect(stats.ceiling.emotion.confusion.flat().reduce((a, b) => a + b, 0)).toBe(20);
    expect(stats.quadrants.map((q) => q.clips)).toEqual([5, 5, 5, 5]);
    expect(stats.quadrants[0]!.frechet_scale.by_n.map((b) => b.n)).toEqual([2, 3, 4, 5]);
    expect(stats.built_with.classifier_sha256).toBe(classifierFingerprint(loadClassifier()));
    const again = await buildReferenceStats(data, { draws: 20 });
    expect(serializeReferenceStats(again)).toBe(serializeReferenceStats(stats));
    expect(parseReferenceStats(JSON.parse(serializeReferenceStats(stats)))).toBeTruthy();
  });
  it('refuses reference clips from songs the classifier was trained on (the ceiling would be training accuracy)', async () => {
    // A classifier trained on the 40 clips: the reference split's 20 clips are all from its training songs.
    const seen = trainClassifier(await loadSplitFeatures(fixtureDir, 'val'), { gbt: { rounds: 10 } });
    const e = await buildReferenceStats(data, { draws: 20, model: seen }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(e?.message).toContain(join(data, 'labels.csv'));
    expect(e?.message).toContain('reference clips from songs the classifier was trained on');
    expect(e?.message).toMatch(/20 of 20 clips of "val" \(\d+ songs\)/);
    // No song_id column: the songs come from the clip names, named otherwise than the shipped model's, so the
    // build says that it cannot show them unseen.
    const unnamed = tempDir('emotune-ref-nosong-');
    cpSync(join(data, 'midis'), join(unnamed, 'midis'), { recursive: true });
    const rows = readFileSync(join(data, 'labels.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.split(','));
    const keep = ['file', 'quadrant', 'split'].map((c) => rows[0]!.indexOf(c));
    writeFileSync(join(unnamed, 'labels.csv'), `${rows.map((r) => keep.map((k) => r[k]).join(',')).join('\n')}\n`);
    const warnings: string[] = [];
    await buildReferenceStats(unnamed, { draws: 2, onWarning: (l) => warnings.push(l) });
    expect(warnings).toEqual([
      expect.stringMatching(
        /labels\.csv: split "val" is not shown to hold no song the classifier was trained on: the model's training songs were named by labels\.csv's song_id column and these clips' by EMOPIA's clip names/,
      ),
    ]);
    // The same classifier with no recorded songs (an older model) is not refused.
    const { songs: _songs, ...older } = seen.training;
    await expect(buildReferenceStats(data, { draws: 2, model: { ...seen, training: older } })).resolves.toBeTruthy();
  });
  it('the Frechet scale shrinks as the set grows (small sets sit further from any Gaussian)', () => {
    for (const q of stats.quadrants)
      expect(q.frechet_scale.by_n[0]!.mean).toBeGreaterThan(q.frechet_scale.by_n.at(-1)!.mean);
  });
});

describe('buildReferenceBlock', () => {
  // The reference clips themselves, scored as if a generator had made them for their true quadrant.
  const realAsGenerated = (): ReferenceSong[] => {
    const labels = readFileSync(join(data, 'labels.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    return labels
      .filter((c) => c[6] === 'val')
      .map((c) => {
        const bytes = new Uint8Array(readFileSync(join(data, c[0]!)));
        const p = classifyMidi(parseMidi(bytes), loadClassifier());
        return {
          model: 'real',
          mode: 'val',
          emotion: Number(c[1]!.slice(1)),
          key: null,
          file: c[0]!,
          detected: p.quadrant,
          features: featureVector(p.features),
          quality: qualityOfMidi(bytes),
        };
      });
  };
  const options = {
    statsFile: 'test',
    classifierFingerprint: classifierFingerprint(loadClassifier()),
    builtinClassifier: true,
    permutations: 200,
  };

  it('real clips scored as a generator reach exactly the ceiling and sit at Frechet distance 0', () => {
    const block = buildReferenceBlock(realAsGenerated(), { ...options, stats });
    const a = block.adherence[0]!;
    expect(a.emotion.estimate).toBe(block.ceiling.emotion.overall.estimate);
    expect(a.arousal.estimate).toBe(block.ceiling.emotion.arousal.estimate);
    expect(a.valence.estimate).toBe(block.ceiling.emotion.valence.estimate);
    expect(a.kappa.kappa).toBeCloseTo(block.ceiling.emotion.kappa, 12);
    expect(block.confusion).toEqual([
      { model: 'real', mode: 'val', labels: ['Q1', 'Q2', 'Q3', 'Q4'], counts: stats.ceiling.emotion.confusion },
    ]);
    expect(a.per_quadrant.map((p) => p.adherence.estimate)).toEqual(
      block.ceiling.emotion.per_quadrant.map((p) => p.estimate),
    );
    // Per quadrant, the floor a request-blind generator reaches: the share of songs detected as that quadrant.
    const detectedShare = [0, 1, 2, 3].map(
      (q) =>
        stats.ceiling.emotion.confusion.reduce((sum, row) => sum + row[q]!, 0) /
        stats.ceiling.emotion.confusion.flat().reduce((x, y) => x + y, 0),
    );
    expect(a.per_quadrant.map((p) => p.shuffled)).toEqual(a.per_quadrant.map((p) => detectedShare[p.quadrant - 1]));
    expect(new Set(a.per_quadrant.map((p) => p.shuffled)).size).toBeGreaterThan(1); // not a flat 25%
    const perQuadrant = referenceTables(block).find((t) => t.title.startsWith('Emotion adherence per requested'))!;
    expect(perQuadrant.records.map((r) => r['shuffled'])).toEqual(a.per_quadrant.map((p) => p.shuffled));
    for (const f of block.distances.frechet) expect(f.distance).toBeLessThan(1e-3); // stored stats are rounded to 6 digits
    expect(a.shuffled.emotion!.mean).toBeLessThan(a.emotion.estimate + 1e-9);
    expect(a.key).toBeNull();
    expect(block.notes).toEqual([]);
  });
  it('takes songs as the unit: three copies of every song give about the same interval, not one 1/√3 as wide', () => {
    const songs = realAsGenerated();
    const once = buildReferenceBlock(songs, { ...options, stats }).adherence[0]!.emotion;
    const thrice = buildReferenceBlock(
      songs.flatMap((s) => [0, 1, 2].map((i) => ({ ...s, file: `${s.file}#${i}`, cluster: s.file }))),
      { ...options, stats },
    ).adherence[0]!.emotion;
    expect(thrice.estimate).toBe(once.estimate);
    expect(thrice.n).toBe(3 * once.n);
    const width = (f: { lower: number; upper: number }) => f.upper - f.lower;
    expect(width(thrice)).toBeGreaterThan(0.85 * width(once));
    expect(width(thrice)).toBeLessThan(1.15 * width(once));
  });

  it('tables put each figure beside its ceiling and floor, and the confusion matrix as rows per requested quadrant', () => {
    const block = buildReferenceBlock(realAsGenerated(), { ...options, stats });
    const tables = referenceTables(block);
    const emotion = tables.find((t) => t.title.startsWith('Emotion adherence with'))!;
    expect(emotion.records[0]).toMatchObject({
      model: 'real',
      mode: 'val',
      emotion_ceiling: block.ceiling.emotion.overall.estimate,
      emotion_chance: 0.25,
    });
    expect(emotion.records[0]!.emotion_shuffled).toBe(block.adherence[0]!.shuffled.emotion!.mean);
    const confusion = tables.find((t) => t.title.startsWith('Confusion'))!;
    expect(confusion.records.map((r) => r.requested)).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
    expect(confusion.records[0]!.Q1).toBe(stats.ceiling.emotion.confusion[0]![0]);
    const sections = referenceReportSections(block);
    expect(sections).toHaveLength(tables.length);
    for (const s of sections) expect(s.html).toMatch(/<table/);
  });
  it('notes a classifier other than the built-in one and statistics from another classifier', () => {
    const block = buildReferenceBlock([], {
      ...options,
      stats,
      builtinClassifier: false,
      classifierFingerprint: 'something-else',
    });
    expect(block.notes).toHaveLength(2);
    expect(block.notes[1]).toContain('emotune build-reference');
  });
  it('tests each emotion and key figure against its shuffled floor (Holm over the block) and warns at the floor', () => {
    // Detections that ignore the request: the classifier says Q1 and Q3 in turn whatever was asked.
    const blind: ReferenceSong[] = Array.from({ length: 40 }, (_, i) => ({
      model: 'm',
      mode: 'blind',
      emotion: (i % 4) + 1,
      key: null,
      file: `${i}`,
      detected: Math.floor(i / 4) % 2 === 0 ? 1 : 3,
    }));
    const block = buildReferenceBlock([...blind, ...realAsGenerated()], { ...options, stats });
    const byMode = new Map(block.adherence.map((a) => [a.mode, a]));
    expect(byMode.get('blind')!.shuffled.emotion!.p_adjusted).toBeGreaterThanOrEqual(0.05);
    expect(byMode.get('val')!.shuffled.emotion!.p_adjusted).toBeLessThan(0.05);
    const warnings = atFloor(referenceFloorEntries(block));
    expect(warnings.map((w) => [w.mode, w.figure])).toEqual([['blind', 'emotion_adherence']]);
    expect(warnings[0]!.message).toMatch(/^m blind: emotion_adherence \d+\.\d% is not shown above its floor/);
  });

  it('key figures: requested vs detected keys, chance and a shuffled floor when several keys are requested', () => {
    const songs: ReferenceSong[] = ['C:maj', 'A:maj', 'E:min', 'C:maj'].map((key, i) => ({
      model: 'm',
      mode: 'x',
      emotion: 1,
      key,
      file: `${i}`,
      keyReference: i === 3 ? 'G:maj' : key,
      keyBest: key,
    }));
    const k = buildReferenceBlock(songs, { ...options, stats }).adherence[0]!.key!;
    expect(k.seed).toMatchObject({ successes: 3, trials: 4 });
    expect(k.best).toMatchObject({ successes: 4, trials: 4 });
    expect(k.mirex_seed).toBeCloseTo((3 + 0.5) / 4, 12);
    expect(k.chance_exact).toBeCloseTo(1 / 24, 12);
    expect(k.shuffled_seed).not.toBeNull();
  });
});

describe('the shipped statistics', () => {
  it('parse, come from the EMOPIA val split, and were built with the committed classifier (rebuild after changing it)', () => {
    const s = loadReferenceStats();
    expect(s.source).toMatchObject({ dataset: 'EMOPIA 1.0', split: 'val', clips: 198 });
    expect(s.built_with.classifier_sha256).toBe(classifierFingerprint(loadClassifier()));
  });
  it('a foreign file is refused naming the field', () => {
    const e = errorOf(() =>
      parseReferenceStats(
        {
          format: 'emotune.reference-stats',
          version: 1,
          built_with: { feature_names: ['a'] },
          standardization: { mean: [0], std: [1] },
        },
        'x.json',
      ),
    );
    expect(e.message).toContain('x.json');
    expect(e.message).toContain('ceiling.emotion.confusion');
  });
  it('the ceiling takes the songs its clips come from as the unit, and a split that does not add up is refused', () => {
    const shipped = loadReferenceStats();
    const overall = shipped.ceiling.emotion.overall;
    expect(overall.by_song).toHaveLength(shipped.source.songs);
    const options = { statsFile: 'test', classifierFingerprint: 'x', builtinClassifier: true };
    const block = buildReferenceBlock([], { ...options, stats: shipped });
    expect(block.ceiling.emotion.overall).toMatchObject({
      method: 'cluster-bootstrap',
      n: shipped.source.songs,
      successes: overall.successes,
      trials: overall.trials,
    });
    // Clips of one song agree with each other: resampling songs gives a wider interval than Wilson over clips.
    const width = block.ceiling.emotion.overall.upper - block.ceiling.emotion.overall.lower;
    const { by_song: _, ...clipsOnly } = overall;
    const wilson = buildReferenceBlock([], {
      ...options,
      stats: {
        ...shipped,
        ceiling: { ...shipped.ceiling, emotion: { ...shipped.ceiling.emotion, overall: clipsOnly } },
      },
    }).ceiling.emotion.overall;
    expect(wilson.method).toBe('wilson');
    expect(width).toBeGreaterThan(wilson.upper - wilson.lower);
    const broken = JSON.parse(serializeReferenceStats(shipped)) as ReferenceStats;
    broken.ceiling.emotion.arousal.by_song![0]![0] += 1;
    const e = errorOf(() => parseReferenceStats(broken, 'y.json'));
    expect(e.message).toContain('ceiling.emotion.arousal.by_song');
  });
});

describe('emotune build-reference', { timeout: 120_000 }, () => {
  const emotune = (args: string[]) =>
    execa(process.execPath, ['--import', 'tsx', join(repoRoot, 'kernel-lib', 'src', 'cli', 'main.ts'), ...args], {
      cwd: repoRoot,
      reject: false,
    });
  it('writes the same bytes on every run, and names the missing labels file in one line', async () => {
    const out = tempDir();
    const [a, b, missing] = await Promise.all([
      emotune(['build-reference', '--data', data, '--out', join(out, 'a.json')]),
      emotune(['build-reference', '--data', data, '--out', join(out, 'b.json')]),
      emotune(['build-reference', '--data', join(out, 'nowhere'), '--out', join(out, 'c.json')]),
    ]);
    expect(a.exitCode).toBe(0);
    expect(b.exitCode).toBe(0);
    expect(a.stdout).toContain('20 val clips');
    expect(readFileSync(join(out, 'a.json'))).toEqual(readFileSync(join(out, 'b.json')));
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain('labels.csv');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
