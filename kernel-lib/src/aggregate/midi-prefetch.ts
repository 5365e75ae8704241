import { setImmediate as nextTurn } from 'node:timers/promises';
import { readInputFile } from '../formats/read-input.js';
import { parseMidi } from '../formats/midi-read.js';
import type { MidiScore } from '../formats/types.js';
import { listMidiFiles } from '../metrics/edge/run-emotion-key.js';
import { midiFigures, type MidiFigures } from './file-figures.js';

/** One MIDI file as the analysis reads it: the parsed score and the figures kept from it (absent if they failed). */
export interface MidiRead {
  score: MidiScore;
  figures?: MidiFigures;
}

/**
 * Reads and measures a MIDI file once: the score for key and emotion, and the per-file figures from the same bytes
 * (a figure that fails here is computed, and its problem named, by the extended results).
 */
export async function readMidiWithFigures(path: string): Promise<MidiRead> {
  const bytes = await readInputFile(path, 'midi');
  const score = parseMidi(bytes, path);
  let figures: MidiFigures | undefined;
  try {
    figures = midiFigures(score, bytes, path);
  } catch {
    figures = undefined;
  }
  return { score, figures };
}

/**
 * MIDI files of finished runs read while other runs are still generating, so the analysis finds them read and
 * measured (the main thread is otherwise idle while worker threads generate). Folders are taken one at a time
 * and the event loop gets a turn between files, so handing runs to the generator threads is never held up.
 * The analysis asks `take(path)`: the read of that file, or undefined (it reads the file itself).
 */
export interface MidiPrefetch {
  /** Read the MIDI files of a finished run's folder (as the analysis lists them), in the background. */
  warm(outDir: string): void;
  /** The read of `path`, once: later calls (a second analysis) read the file again. */
  take(path: string): Promise<MidiRead> | undefined;
  /** Resolves when every folder warmed so far has been read. */
  settled(): Promise<void>;
}

export function createMidiPrefetch(): MidiPrefetch {
  const reads = new Map<string, Promise<MidiRead>>();
  let queue: Promise<void> = Promise.resolve();
  return {
    warm(outDir) {
      queue = queue.then(async () => {
        let files: string[];
        try {
          files = await listMidiFiles(outDir);
        } catch {
          return; // the analysis lists the folder again and reports it
        }
        for (const f of files) {
          if (reads.has(f)) continue;
          await nextTurn();
          const read = readMidiWithFigures(f);
          read.catch(() => undefined); // kept for the analysis, which reports it
          reads.set(f, read);
          await read.catch(() => undefined);
        }
      });
    },
    settled: () => queue,
    take(path) {
      const read = reads.get(path);
      reads.delete(path);
      return read;
    },
  };
}
