import type { SongIdSource } from '../../formats/emopia-labels.js';
import type { EmotionModel } from './model.js';

// Whether clips a classifier is scored on are new music to it: the songs it was trained on (recorded in the
// model) against the songs of the clips, and whether the two were named alike, so "no song shared" means
// song-disjoint rather than "named differently".

/** How a side named its songs: one source, several, or (older models) not recorded. */
export type SongNaming = SongIdSource | 'mixed' | 'unrecorded';

export interface TrainingSongCheck {
  /** Songs the model was trained on. */
  trainingSongs: number;
  /** Per clip: its song is among the training songs. */
  shared: boolean[];
  /** Clips from training songs, and how many songs they are. */
  clips: number;
  songs: number;
  /** Whether no shared clip means song-disjoint: both sides named their songs the same way, by more than the file. */
  comparable: boolean;
  modelNaming: SongNaming;
  splitNaming: SongNaming;
}

/** One naming for a set of clips: their common source, or 'mixed'. */
export function namingOf(sources: readonly SongIdSource[]): SongIdSource | 'mixed' {
  const kinds = new Set(sources);
  return kinds.size === 1 ? [...kinds][0]! : 'mixed';
}

/** The check, or undefined when the model records no training songs (older models). */
export function checkTrainingSongs(
  clips: ReadonlyArray<{ songId: string; source: SongIdSource }>,
  model: EmotionModel,
): TrainingSongCheck | undefined {
  if (!model.training.songs) return undefined;
  const trained = new Set(model.training.songs);
  const shared = clips.map((c) => trained.has(c.songId));
  const modelNaming: SongNaming = model.training.songIdsFrom ?? 'unrecorded';
  const splitNaming = namingOf(clips.map((c) => c.source));
  return {
    trainingSongs: trained.size,
    shared,
    clips: shared.filter(Boolean).length,
    songs: new Set(clips.filter((_, i) => shared[i]).map((c) => c.songId)).size,
    comparable: modelNaming === splitNaming && (modelNaming === 'song_id' || modelNaming === 'clip-name'),
    modelNaming,
    splitNaming,
  };
}

const NAMING_WORDS: Record<SongNaming, string> = {
  song_id: "labels.csv's song_id column",
  'clip-name': "EMOPIA's clip names (Q<n>_<song>_<segment>)",
  file: 'the clip files alone',
  mixed: 'a mix of song_id and file names',
  unrecorded: 'a source the model does not record',
};

/** Why "no shared song" does not establish song-disjointness (for a check that is not comparable). */
export function incomparableReason(c: Pick<TrainingSongCheck, 'modelNaming' | 'splitNaming'>): string {
  if (c.modelNaming === 'file' && c.splitNaming === 'file')
    return "labels.csv names no songs (no song_id column, and the clip names are not EMOPIA's Q<n>_<song>_<segment>), so clips of one song cannot be matched";
  return `the model's training songs were named by ${NAMING_WORDS[c.modelNaming]} and these clips' by ${NAMING_WORDS[c.splitNaming]}`;
}
