import { readInputFile } from '../../formats/read-input.js';
import { qualityOfMidi, type QualityMetrics, type QualityOptions } from '../quality/index.js';

/**
 * `qualityOfMidi` of a file on disk; unreadable or bad files throw an EmotuneError naming the file.
 * @example
 * ```ts
 * const q = await et.readQualityMetrics("song.mid");
 * console.log(q.scale_consistency, q.empty_beat_rate);
 * ```
 */
export async function readQualityMetrics(
  path: string,
  options: QualityOptions & { maxBeats?: number } = {},
): Promise<QualityMetrics> {
  return qualityOfMidi(await readInputFile(path, 'midi'), path, options);
}
