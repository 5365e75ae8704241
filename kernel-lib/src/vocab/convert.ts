import { EmotuneError, isEmotuneError } from '../errors.js';
import type { Word2Event } from '../formats/types.js';
import { readInputFile } from '../formats/read-input.js';
import { parsePickle } from './pickle.js';
import { parseWord2Event, validateWord2Event } from './word2event.js';

/** The Python one-liner for pickles this reader cannot take (objects other than numpy scalars). */
export function pythonConversionCommand(pkl: string, out: string): string {
  return `python3 -c "import pickle, json; w2e = pickle.load(open('${pkl}', 'rb'))[1]; json.dump({t: {str(int(i)): (l if isinstance(l, str) else int(l)) for i, l in m.items()} for t, m in w2e.items()}, open('${out}', 'w'), indent=1)"`;
}

/**
 * word2event from a dictionary.pkl (or JSON), reading numpy scalars as numbers: what `emotune vocab convert`
 * writes to JSON once, so evaluations then read plain JSON. No Python is needed; only numpy's scalar and
 * dtype globals are allowed (interpreted, never called), every other global is still refused.
 */
export async function convertToWord2Event(path: string, out = 'word2event.json'): Promise<Word2Event> {
  const bytes = await readInputFile(path, 'vocab');
  if (bytes[0] !== 0x80) return parseWord2Event(bytes, path); // JSON or a protocol 0/1 pickle: the plain reader
  try {
    const value = parsePickle(bytes, path, { numpyScalars: true });
    const w2e = Array.isArray(value) && value.length === 2 ? value[1] : value;
    return validateWord2Event(w2e, path, 'word2event');
  } catch (e) {
    if (isEmotuneError(e) && (e.code === 'pickle.forbidden-global' || e.code === 'pickle.forbidden-opcode')) {
      throw new EmotuneError(
        `${e.message.replace(/^.*?: (forbidden|REDUCE|BUILD)/, '$1')}; convert it with Python instead: ${pythonConversionCommand(path, out)}`,
        { file: path, code: e.code, cause: e },
      );
    }
    throw e;
  }
}
