import { EmotuneError, describeValue } from '../errors.js';
import { parseJsonText } from '../formats/meta.js';
import type { Word2Event } from '../formats/types.js';
import { parsePickle } from './pickle.js';
import { readInputFile } from '../formats/read-input.js';

/** word2event loading from JSON or a pickled dictionary.pkl, validation, and label/index look-ups. */

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Check that `value` is { token type: { index: label } } with string or number labels. */
export function validateWord2Event(value: unknown, file?: string, field = 'word2event'): Word2Event {
  if (!isObject(value)) {
    throw new EmotuneError('word2event is not an object', {
      file,
      field,
      code: 'vocab.invalid',
      expected: 'an object { token type: { index: label } }',
      found: describeValue(Array.isArray(value) ? 'an array' : value),
    });
  }
  const out: Word2Event = {};
  for (const [type, items] of Object.entries(value)) {
    if (!isObject(items)) {
      throw new EmotuneError('token type is not an object', {
        file,
        field: `${field}.${type}`,
        code: 'vocab.invalid',
        expected: 'an object { index: label }',
        found: describeValue(items),
      });
    }
    const inner: Record<string, string | number> = {};
    for (const [idx, label] of Object.entries(items)) {
      if (typeof label !== 'string' && (typeof label !== 'number' || !Number.isFinite(label))) {
        throw new EmotuneError('label is neither a string nor a number', {
          file,
          field: `${field}.${type}.${idx}`,
          code: 'vocab.invalid',
          expected: 'a string or number label',
          found: describeValue(label),
        });
      }
      Object.defineProperty(inner, idx, { value: label, enumerable: true, writable: true, configurable: true });
    }
    Object.defineProperty(out, type, { value: inner, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** word2event from a parsed document: the object itself, or the second item of an (event2word, word2event) pair. */
function pickWord2Event(value: unknown, file: string | undefined): Word2Event {
  if (Array.isArray(value)) {
    if (value.length !== 2) {
      throw new EmotuneError('expected an (event2word, word2event) pair', {
        file,
        field: '(root)',
        code: 'vocab.invalid',
        expected: '2 items',
        found: `${value.length} items`,
      });
    }
    return validateWord2Event(value[1], file, 'word2event');
  }
  return validateWord2Event(value, file, 'word2event');
}

function looksLikeJson(bytes: Uint8Array, path: string): boolean {
  if (bytes[0] === 0x80) return false; // PROTO opcode: a protocol 2+ pickle
  if (/\.json$/i.test(path)) return true;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b || bytes[i] === 0x5b; // '{' or '[': protocol 0/1 pickles never start so
}

/** Parse word2event from file bytes, JSON or pickle (auto-detected). */
export function parseWord2Event(bytes: Uint8Array, file: string): Word2Event {
  if (looksLikeJson(bytes, file)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new EmotuneError('file is not valid UTF-8 text', { file, code: 'vocab.invalid', cause });
    }
    return pickWord2Event(parseJsonText(text, file), file);
  }
  return pickWord2Event(parsePickle(bytes, file), file);
}

/** Load word2event from a JSON file or a pickled dictionary.pkl (its word2event part). */
export async function loadWord2Event(path: string): Promise<Word2Event> {
  const bytes = await readInputFile(path, 'vocab');
  return parseWord2Event(bytes, path);
}

/** The label of `index` for a token type, or undefined when either is unknown. */
export function labelOf(
  word2event: Word2Event,
  tokenType: string,
  index: number | string,
): string | number | undefined {
  const items = Object.prototype.hasOwnProperty.call(word2event, tokenType) ? word2event[tokenType] : undefined;
  if (items === undefined) return undefined;
  const key = String(index);
  return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : undefined;
}

/** The index whose label is `label` (first in key order), or undefined. */
export function indexOfLabel(word2event: Word2Event, tokenType: string, label: string | number): number | undefined {
  const items = Object.prototype.hasOwnProperty.call(word2event, tokenType) ? word2event[tokenType] : undefined;
  if (items === undefined) return undefined;
  for (const [idx, l] of Object.entries(items)) {
    if (l === label) {
      const n = Number(idx);
      return Number.isInteger(n) ? n : undefined;
    }
  }
  return undefined;
}
