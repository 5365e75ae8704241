import type { EmotionFeatures } from './features.js';
import {
  parseEmopiaLabels,
  songFromClipFile,
  type EmopiaClip,
  type SongIdSource,
} from '../../formats/emopia-labels.js';

// The examples the classifier learns from; edge/emopia-dataset.ts reads them from an EMOPIA folder.

export { parseEmopiaLabels, type EmopiaClip, type SongIdSource };

export interface LabelledFeatures {
  file: string;
  quadrant: 1 | 2 | 3 | 4;
  /** The song the clip was cut from (cross-validation keeps a song's clips in one fold). */
  songId?: string;
  /** Where songId came from (labels.csv's song_id when absent but songId is given). */
  songIdSource?: SongIdSource;
  features: EmotionFeatures;
  /** Features of transformed copies of the clip (augmentations or robustness variants), by variant name. */
  variants?: Record<string, EmotionFeatures>;
}

type SongFields = Pick<LabelledFeatures, 'songId' | 'songIdSource' | 'file'>;

/** The song a clip was cut from: its song id, else what its file name says (EMOPIA's clip name, or the clip). */
export function songOf(e: SongFields): string {
  return e.songId ?? songFromClipFile(e.file).songId;
}

/** Where `songOf` took the song from. */
export function songSourceOf(e: SongFields): SongIdSource {
  return e.songId !== undefined ? (e.songIdSource ?? 'song_id') : songFromClipFile(e.file).source;
}
