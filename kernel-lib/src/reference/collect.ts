import type { AnalysisResult } from '../aggregate/analyze-experiment.js';
import type { ExtendedResults } from '../aggregate/extended-results.js';
import { resolveOutDir } from '../aggregate/analyze-experiment.js';
import type { ClassifierConfig } from '../config/types.js';
import { parseMidi } from '../formats/midi-read.js';
import { readInputFile } from '../formats/read-input.js';
import { computeFeatures, featureVector } from '../metrics/emotion-builtin/index.js';
import { loadClassifier } from '../metrics/edge/classifier-file.js';
import { RECOMMENDED_KEY_METHOD, REFERENCE_KEY_METHOD, detectKeyWith } from '../metrics/key-methods/methods.js';
import type { EmotionFeatures } from '../metrics/emotion-builtin/features.js';
import { qualityOfMidi } from '../metrics/quality/index.js';
import { midiFilesOf } from '../aggregate/file-figures.js';
import { songIdentity } from '../aggregate/song-identity.js';
import { atFloor } from '../aggregate/warnings.js';
import { buildReferenceBlock, referenceFloorEntries, type ReferenceSong, type ReferenceBlock } from './block.js';
import { classifierFingerprint } from './build-stats.js';
import { loadReferenceStats } from './stats-file.js';
import { errorMessage } from '../errors.js';
import { isBuiltinClassifierCommand } from '../run/in-process/commands.js';

/** An analysis, with the per-file figures it kept when it has them (then no file it measured is read again). */
export type ReferenceInput = Pick<AnalysisResult, 'emotionKeyReports'> & Partial<Pick<AnalysisResult, 'figures'>>;

/**
 * The effectful edge of the reference block: reads every MIDI file of every analysed run once (classifier
 * features, muspy-exact quality, keys) and joins the configured classifier's answers from the analysis.
 * A file that cannot be read is listed in `problems` and still counts for the emotion figures. A file the
 * analysis measured completely (`analysis.figures`) is taken from there: the same functions of the same bytes.
 */
export async function collectReferenceSongs(
  analysis: ReferenceInput,
  options: { expDir: string },
): Promise<{ songs: ReferenceSong[]; problems: Array<{ file: string; reason: string }> }> {
  const songs: ReferenceSong[] = [];
  const problems: Array<{ file: string; reason: string }> = [];
  const reason = (e: unknown) => errorMessage(e);
  for (const report of analysis.emotionKeyReports) {
    const run = report.run;
    const detected = new Map((report.emotion_adherence?.predictions ?? []).map((p) => [p.file, p.emotion]));
    let files: string[];
    try {
      files = await midiFilesOf(analysis.figures, resolveOutDir(options.expDir, run.out_dir));
    } catch (e) {
      problems.push({ file: run.out_dir, reason: reason(e) });
      continue;
    }
    for (const file of files) {
      const song: ReferenceSong = {
        model: run.model,
        mode: run.mode,
        emotion: Number(run.emotion),
        key: run.key ?? null,
        file,
        detected: detected.get(file),
      };
      const kept = analysis.figures?.midi.get(file);
      if (kept?.features) {
        song.cluster = kept.identity.transposed;
        song.clusterExact = kept.identity.exact;
        song.quality = kept.quality;
        song.keyReference = kept.keyReference;
        song.keyBest = kept.keyBest;
        song.features = featureVector(kept.features as EmotionFeatures);
        songs.push(song);
        continue;
      }
      try {
        const bytes = await readInputFile(file, 'midi');
        const score = parseMidi(bytes, file);
        const identity = songIdentity(score.notes);
        song.cluster = identity.transposed;
        song.clusterExact = identity.exact;
        song.quality = qualityOfMidi(bytes, file);
        song.keyReference = detectKeyWith(REFERENCE_KEY_METHOD, score.notes).key;
        song.keyBest = detectKeyWith(RECOMMENDED_KEY_METHOD, score.notes).key;
        song.features = featureVector(computeFeatures(score, file));
      } catch (e) {
        problems.push({ file, reason: reason(e) });
      }
      songs.push(song);
    }
  }
  return { songs, problems };
}

/** Whether a classifier command is the built-in one (`emotune classify ...`). */
export function isBuiltinClassifier(classifier: Pick<ClassifierConfig, 'command'> | undefined): boolean {
  return !!classifier && isBuiltinClassifierCommand(classifier.command);
}

/**
 * The `reference` block for an analysed experiment, against the shipped statistics (or `statsPath`). Problems
 * reading files are returned beside the block, for the extended results' `problems`.
 */
export async function referenceForAnalysis(
  analysis: ReferenceInput,
  options: { expDir: string; classifier?: Pick<ClassifierConfig, 'command'>; statsPath?: string; seed?: number },
): Promise<{ reference: ReferenceBlock; problems: Array<{ file: string; reason: string }> }> {
  const stats = loadReferenceStats(options.statsPath);
  const { songs, problems } = await collectReferenceSongs(analysis, options);
  const reference = buildReferenceBlock(songs, {
    stats,
    statsFile: options.statsPath ?? 'kernel-lib/embedded/reference/emopia-val.json',
    classifierFingerprint: classifierFingerprint(loadClassifier()),
    builtinClassifier: isBuiltinClassifier(options.classifier),
    seed: options.seed,
  });
  return { reference, problems };
}

/** The extended results with the `reference` block (`evaluation_results_extended.json` as written). */
export type ExtendedResultsWithReference = ExtendedResults & { reference?: ReferenceBlock };

/**
 * Sets `extended.reference` (on the same object, so writing `extended` afterwards writes the block) and adds
 * its file problems not already listed; one call after buildExtendedResults.
 * @example
 * ```ts
 * const { reference } = await et.attachReference(extended, analysis, { expDir: config.paths.exp, classifier: config.classifier, seed: config.random_seed });
 * for (const note of reference.notes) console.log(note);
 * await et.writeExtendedResults(path.join(config.paths.exp, "evaluation_results_extended.json"), extended);
 * ```
 */
export async function attachReference(
  extended: ExtendedResults,
  analysis: ReferenceInput,
  options: { expDir: string; classifier?: Pick<ClassifierConfig, 'command'>; statsPath?: string; seed?: number },
): Promise<ExtendedResultsWithReference & { reference: ReferenceBlock }> {
  const { reference, problems } = await referenceForAnalysis(analysis, options);
  const known = new Set(extended.problems.map((p) => p.file));
  for (const p of problems) if (!known.has(p.file)) extended.problems.push(p);
  extended.warnings.push(...atFloor(referenceFloorEntries(reference)));
  return Object.assign(extended, { reference });
}
