/**
 * EMOPIA's `labels.csv`: the one reader, used by the classifier's training, the generator's training and the
 * reference builder.
 */
import { join } from 'node:path';
import { describeValue, EmotuneError } from '../errors.js';
import { readInputTextSync } from './read-input.js';

/** One row of EMOPIA's `labels.csv` (file, quadrant, valence, arousal, song_id, seg, split). */
export interface EmopiaClip {
  /** Path relative to the data folder, e.g. `midis/Q1_0vLPYiPN7qY_0.mid`. */
  file: string;
  quadrant: 1 | 2 | 3 | 4;
  songId: string;
  /** `train`, `val`, `none` (or any other split name the file uses). */
  split: string;
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
    return {
      file: cell('file'),
      quadrant: Number(q[1]) as 1 | 2 | 3 | 4,
      songId: col('song_id') >= 0 ? cell('song_id') : cell('file'),
      split: cell('split'),
    };
  });
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
