import { EmotuneError, describeValue } from '../../errors.js';
import { PITCH_CLASS_NAMES, tryParseKey } from '../../formats/key-names.js';
import type { Word2Event } from '../../formats/types.js';
import { sortPythonStrings } from '../../vocab/python-sort.js';

/** EMOPIA compound-word token types, in column order; a key-aware vocabulary appends `key`. */
export const CP_TYPES = ['tempo', 'chord', 'bar-beat', 'type', 'pitch', 'duration', 'velocity', 'emotion'] as const;
export const KEY_TYPE = 'key';

/** Tonic names as the EMOPIA chord labels spell them (sharps only), pitch class = position. */
export const PITCH_NAMES = PITCH_CLASS_NAMES;

export type Label = string | number;

/** A CP vocabulary ready for lookups both ways. */
export interface CpVocab {
  /** Column order of the rows (`vocab_order` in meta files). */
  order: string[];
  keyAware: boolean;
  word2event: Word2Event;
  /** token type -> label -> index. */
  event2word: Record<string, Map<Label, number>>;
  /** Column index of each token type. */
  column: Record<string, number>;
}

/** Build lookups from word2event; the token types must be EMOPIA's (plus optional `key`). */
export function makeVocab(word2event: Word2Event, file?: string): CpVocab {
  for (const t of CP_TYPES) {
    if (!word2event[t] || typeof word2event[t] !== 'object') {
      throw new EmotuneError('vocabulary lacks a token type', {
        file,
        field: t,
        expected: `the EMOPIA token types ${CP_TYPES.join(', ')}`,
        code: 'vocab.missing-type',
      });
    }
  }
  const keyAware = word2event[KEY_TYPE] !== undefined;
  const order: string[] = [...CP_TYPES, ...(keyAware ? [KEY_TYPE] : [])];
  const event2word: Record<string, Map<Label, number>> = {};
  const column: Record<string, number> = {};
  order.forEach((t, i) => {
    column[t] = i;
    const m = new Map<Label, number>();
    for (const [idx, label] of Object.entries(word2event[t]!)) {
      const n = Number(idx);
      if (!Number.isInteger(n) || n < 0)
        throw new EmotuneError('vocabulary index is not a non-negative integer', {
          file,
          field: `${t}.${idx}`,
          code: 'vocab.bad-index',
        });
      m.set(label, n);
    }
    event2word[t] = m;
  });
  return { order, keyAware, word2event, event2word, column };
}

/** Index of a label; throws an EmotuneError naming the token type when it is not in the vocabulary. */
export function indexOf(vocab: CpVocab, type: string, label: Label, field = type): number {
  const i = vocab.event2word[type]?.get(label);
  if (i === undefined) {
    throw new EmotuneError('label not in the vocabulary', {
      field,
      expected: `a ${type} label of the model's vocabulary`,
      found: describeValue(label),
      code: 'vocab.unknown-label',
    });
  }
  return i;
}

export function labelOf(vocab: CpVocab, type: string, index: number): Label {
  const l = vocab.word2event[type]?.[String(index)];
  if (l === undefined)
    throw new EmotuneError('index not in the vocabulary', {
      field: type,
      found: String(index),
      code: 'vocab.unknown-index',
    });
  return l;
}

/** Numeric suffixes of labels like `Tempo_120` for a token type, sorted ascending (the bins of the dictionary). */
export function numericBins(vocab: CpVocab, type: string, prefix: string): number[] {
  const out: number[] = [];
  for (const label of vocab.event2word[type]!.keys()) {
    if (typeof label === 'string' && label.startsWith(prefix)) {
      const n = Number(label.slice(prefix.length));
      if (Number.isFinite(n)) out.push(n);
    }
  }
  return out.sort((a, b) => a - b);
}

/** The 24 key labels `C:maj` … `B:min`. */
export function keyLabels(): string[] {
  return PITCH_NAMES.flatMap((p) => [`${p}:maj`, `${p}:min`]);
}

/** Parse `A:maj` / `E:min` (flats accepted) into tonic pitch class and mode; undefined when malformed. */
export function parseKey(label: string): { tonic: number; minor: boolean } | undefined {
  const k = tryParseKey(label);
  return k ? { tonic: k.tonic, minor: k.mode === 'min' } : undefined;
}

/** word2event of the key-aware vocabulary: EMOPIA's plus `key` (index 0 padding, labels sorted as Python sorts). */
export function withKeyType(word2event: Word2Event): Word2Event {
  const key: Record<string, Label> = { '0': 0 };
  sortPythonStrings(keyLabels()).forEach((l, i) => (key[String(i + 1)] = l));
  const out: Word2Event = {};
  for (const t of CP_TYPES) out[t] = word2event[t]!;
  out[KEY_TYPE] = key;
  return out;
}
