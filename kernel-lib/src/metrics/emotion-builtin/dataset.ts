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

/** The song a clip was cut from and where that came from: its song id, else what its file name says. */
export function songKeyOf(e: Pick<LabelledFeatures, 'songId' | 'songIdSource' | 'file'>): {
  songId: string;
  source: SongIdSource;
} {
  return e.songId !== undefined ? { songId: e.songId, source: e.songIdSource ?? 'song_id' } : songFromClipFile(e.file);
}

/** The song a clip was cut from (songKeyOf's id). */
export function songOf(e: Pick<LabelledFeatures, 'songId' | 'songIdSource' | 'file'>): string {
  return songKeyOf(e).songId;
}
