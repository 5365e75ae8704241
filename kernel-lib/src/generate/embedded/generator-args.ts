import { EmotuneError, describeValue } from '../../errors.js';
import type { Field } from './model.js';
import { INFERENCE_MODES, type InferenceMode, STEERABLE_FIELDS } from './song.js';
import { type CpVocab, parseKey } from './vocabulary.js';

/** main_cp.py's flags as strings, as a command line gives them (undefined = not given). */
export interface GeneratorArgs {
  data_root?: string;
  exp_path?: string;
  mode?: string;
  task_type?: string;
  num_songs?: string;
  emo_tag?: string;
  save_tokens_json?: string;
  load_ckt?: string;
  load_ckt_loss?: string;
  load_dict?: string;
  conditions?: string;
  force_tokens?: string;
  key_tag?: string;
  out_dir?: string;
  seed?: string;
  max_steps?: string;
}

/** Defaults where main_cp.py has them; the embedded generator runs with `kernel-lib/embedded` as its folder. */
export const GENERATOR_DEFAULTS = {
  data_root: 'dataset/co-representation',
  task_type: '4-cls',
  num_songs: '1',
  save_tokens_json: '0',
  load_ckt: 'checkpoints',
  load_ckt_loss: 'pre',
  load_dict: 'dictionary.pkl',
} as const;

export function usage(flag: string, message: string, expected?: string, found?: unknown): EmotuneError {
  return new EmotuneError(message, {
    field: flag,
    expected,
    found: found === undefined ? undefined : describeValue(found),
    code: 'generate.usage',
  });
}

export function parseIntFlag(flag: string, value: string, lo: number, hi: number): number {
  if (!/^\s*[+-]?\d+\s*$/.test(value)) throw usage(flag, 'not an integer', `an integer ${lo}..${hi}`, value);
  const n = Number(value.trim());
  if (n < lo || n > hi) throw usage(flag, 'out of range', `an integer ${lo}..${hi}`, value);
  return n;
}

export function parseMode(value: string | undefined): InferenceMode {
  if (value === undefined) throw usage('--mode', 'missing', INFERENCE_MODES.join(' | '));
  if (!(INFERENCE_MODES as readonly string[]).includes(value))
    throw usage('--mode', 'unknown mode', INFERENCE_MODES.join(' | '), value);
  return value as InferenceMode;
}

/**
 * `{"duration": "Note_Duration_1080"}` (Python's json.dumps style) -> {field: vocabulary index}.
 * Only fields the model predicts may be named; labels must be in the vocabulary of that field.
 */
export function parseTokenJson(flag: string, text: string, vocab: CpVocab): Partial<Record<Field, number>> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw usage(flag, 'malformed JSON', 'a JSON object like {"duration": "Note_Duration_1080"}', text);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw usage(flag, 'not a JSON object', 'a JSON object like {"duration": "Note_Duration_1080"}', text);
  const out: Partial<Record<Field, number>> = {};
  for (const [type, label] of Object.entries(doc)) {
    if (!(STEERABLE_FIELDS as readonly string[]).includes(type)) {
      throw usage(
        `${flag}.${type}`,
        vocab.order.includes(type) ? 'token type cannot be conditioned' : 'unknown token type',
        STEERABLE_FIELDS.join(' | '),
        type,
      );
    }
    if (typeof label !== 'string' && typeof label !== 'number')
      throw usage(`${flag}.${type}`, 'label must be a string', `a ${type} label`, label);
    const index = vocab.event2word[type]!.get(label);
    if (index === undefined || index === 0)
      throw usage(`${flag}.${type}`, 'unknown label', `a ${type} label of the vocabulary`, label);
    out[type as Field] = index;
  }
  if (Object.keys(out).length === 0) throw usage(flag, 'no token given', 'at least one {"type": "label"} entry', text);
  return out;
}

/** Flat spellings the configs may use, as the sharps of the key vocabulary. */
const FLAT_TO_SHARP: Record<string, string> = { Cb: 'B', Db: 'C#', Eb: 'D#', Fb: 'E', Gb: 'F#', Ab: 'G#', Bb: 'A#' };

/** A `--key_tag` in the vocabulary's spelling: `Bb:maj` -> `A#:maj`, `Eb:min` -> `D#:min`; others unchanged. */
export function normaliseKeyTag(value: string): string {
  const m = /^([A-G]b):(maj|min)$/.exec(value);
  return m ? `${FLAT_TO_SHARP[m[1]!]}:${m[2]}` : value;
}

export function checkKeyTag(value: string | undefined, vocab: CpVocab): string | undefined {
  if (value === undefined) return undefined;
  if (!vocab.keyAware)
    throw usage(
      '--key_tag',
      'this model has no key token (use a key-aware model, e.g. --load_ckt_loss 8 --load_dict train_dictionary.pkl)',
      undefined,
      value,
    );
  const key = normaliseKeyTag(value);
  if (!parseKey(key) || vocab.event2word.key!.get(key) === undefined)
    throw usage('--key_tag', 'unknown key', 'a key like C:maj, A#:min or Bb:maj', value);
  return key;
}
