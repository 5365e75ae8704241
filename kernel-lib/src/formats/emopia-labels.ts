/**
 * EMOPIA's `labels.csv`: the one reader, used by the classifier's training, the generator's training and the
 * reference builder.
 */
import { join } from 'node:path';
import { describeValue, EmotuneError } from '../errors.js';
import { readInputTextSync } from './read-input.js';

/**
 * Where a clip's song id comes from: labels.csv's `song_id` column; EMOPIA's clip name `Q<n>_<song>_<segment>`
 * (the same id for EMOPIA's own files); or only the clip's file name, when neither names a song (then two clips
 * of one song look like two songs, and song-disjointness cannot be checked).
 */
export type SongIdSource = 'song_id' | 'clip-name' | 'file';

/** One row of EMOPIA's `labels.csv` (file, quadrant, valence, arousal, song_id, seg, split). */
export interface EmopiaClip {
  /** Path relative to the data folder, e.g. `midis/Q1_0vLPYiPN7qY_0.mid`. */
  file: string;
  quadrant: 1 | 2 | 3 | 4;
  songId: string;
  songIdSource: SongIdSource;
  /** `train`, `val`, `none` (or any other split name the file uses). */
  split: string;
}

const EMOPIA_CLIP_NAME = /^Q[1-4]_(.+)_\d+$/;

/**
 * The song of a clip known by its file alone: `<song>` of EMOPIA's `Q<n>_<song>_<segment>.mid`, else the file's
 * name without folder and extension (one clip, one "song"). Folder and extension never matter, so the same clip
 * under another layout keeps its id.
 */
export function songFromClipFile(file: string): { songId: string; source: 'clip-name' | 'file' } {
  const name = (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]*$/, '');
  const m = EMOPIA_CLIP_NAME.exec(name);
  return m ? { songId: m[1]!, source: 'clip-name' } : { songId: name, source: 'file' };
}

const REQUIRED_COLUMNS = ['file', 'quadrant', 'split'] as const;

/** Parses `labels.csv` text (plain comma-separated, no quoting; CRLF or LF line ends). */
export function parseEmopiaLabels(text: string, file?: string): EmopiaClip[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0)
    throw new EmotuneError('empty labels file', { file, code: 'emopia.labels', expected: 'a header line' });
  const header = lines[0]!.split(',').map((h) => h.trim());
  for (const c of REQUIRED_COLUMNS) {
    if (!header.includes(c))
      throw new EmotuneError('labels header lacks a column', {
        file,
        field: 'header',
        expected: `a "${c}" column`,
        found: describeValue(lines[0]),
        code: 'emopia.labels',
      });
  }
  const col = (name: string) => header.indexOf(name);
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    // Called only for header columns, after the row is checked to have one cell per column.
    const cell = (name: string): string => cells[col(name)]!;
    const field = `line ${i + 2}`;
    if (cells.length !== header.length)
      throw new EmotuneError('wrong number of cells', {
        file,
        field,
        expected: `${header.length}`,
        found: `${cells.length}`,
        code: 'emopia.labels',
      });
    const q = /^Q([1-4])$/.exec(cell('quadrant'));
    if (!q)
      throw new EmotuneError('bad quadrant', {
        file,
        field: `${field}.quadrant`,
        expected: 'Q1..Q4',
        found: describeValue(cell('quadrant')),
        code: 'emopia.labels',
      });
    const songId = col('song_id') >= 0 ? cell('song_id') : '';
    return {
      file: cell('file'),
      quadrant: Number(q[1]) as 1 | 2 | 3 | 4,
      ...(songId !== '' ? { songId, songIdSource: 'song_id' as const } : fromFile(cell('file'))),
      split: cell('split'),
    };
  });
}

function fromFile(file: string): { songId: string; songIdSource: SongIdSource } {
  const { songId, source } = songFromClipFile(file);
  return { songId, songIdSource: source };
}

/** Reads and parses `labels.csv` of an EMOPIA folder (labels.csv + midis/); an unreadable file names itself. */
export function readEmopiaLabels(dataDir: string): EmopiaClip[] {
  const file = join(dataDir, 'labels.csv');
  const text = readInputTextSync(file, 'emopia', {
    message: 'cannot read labels',
    expected: 'an EMOPIA folder with labels.csv and midis/',
  });
  return parseEmopiaLabels(text, file);
}
