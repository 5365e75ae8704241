import { readFile } from 'node:fs/promises';
import { EmotuneError, describeValue, errorMessage } from '../../errors.js';
import { BackoffTable } from './ngram.js';
import {
  ATTRIBUTE_FIELDS,
  CpModel,
  type CpModelData,
  DEFAULT_SETTINGS,
  FIELDS,
  type Field,
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelSettings,
  TIMING_SPAN,
} from './model.js';
import type { CpVocab } from './vocabulary.js';

const SETTING_KEYS: ReadonlyArray<keyof ModelSettings> = [
  'pitchOrder',
  'durationOrder',
  'velocityOrder',
  'conditioned',
  'conditionedHistory',
  'durationConditionedHistory',
  'pitchChordHistory',
  'pitchChordConditioned',
  'chordBackoffConditioned',
  'backoff',
];

function bad(file: string, field: string, expected: string, found?: unknown): never {
  throw new EmotuneError('not a usable embedded model file', {
    file,
    field,
    expected,
    found: found === undefined ? undefined : describeValue(found),
    code: 'model.invalid',
  });
}

/** Parse and check a model file's text against the vocabulary it will generate with. */
export function parseModel(text: string, file: string, vocab: CpVocab): CpModel {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new EmotuneError('model file is not valid JSON (damaged or not a model)', {
      file,
      code: 'model.invalid',
      found: errorMessage(cause).slice(0, 80),
      cause,
    });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) bad(file, '(root)', 'a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format !== MODEL_FORMAT) bad(file, 'format', `"${MODEL_FORMAT}"`, d.format);
  if (d.version !== MODEL_VERSION) bad(file, 'version', String(MODEL_VERSION), d.version);
  if (typeof d.key_aware !== 'boolean') bad(file, 'key_aware', 'true or false', d.key_aware);
  if (!Array.isArray(d.vocab_order) || d.vocab_order.join(',') !== vocab.order.join(',')) {
    throw new EmotuneError('model and dictionary do not match (check --load_dict)', {
      file,
      field: 'vocab_order',
      expected: describeValue(vocab.order, 120),
      found: describeValue(d.vocab_order, 120),
      code: 'model.vocab-mismatch',
    });
  }
  const s = d.settings as Record<string, unknown> | undefined;
  if (typeof s !== 'object' || s === null) bad(file, 'settings', 'an object');
  for (const k of SETTING_KEYS) {
    const v = s[k];
    if (
      typeof DEFAULT_SETTINGS[k] === 'boolean' ? typeof v !== 'boolean' : typeof v !== 'number' || !Number.isFinite(v)
    )
      bad(file, `settings.${k}`, typeof DEFAULT_SETTINGS[k] === 'boolean' ? 'a boolean' : 'a number', v);
  }
  const tablesIn = d.tables as Record<string, unknown> | undefined;
  if (typeof tablesIn !== 'object' || tablesIn === null) bad(file, 'tables', 'an object');
  const tables = {} as Record<Field, BackoffTable>;
  for (const f of FIELDS) {
    try {
      tables[f] = BackoffTable.fromJSON(tablesIn[f], `tables.${f}`);
    } catch (e) {
      if (e instanceof EmotuneError) throw e;
      bad(file, `tables.${f}`, 'count tables', errorMessage(e));
    }
  }
  const training = d.training as CpModelData['training'];
  const timing = objectField(file, d, 'timing');
  for (const h of ['position', 'spread']) {
    const v = timing[h];
    if (!Array.isArray(v) || v.length !== 2 * TIMING_SPAN + 1 || !v.every((c) => Number.isInteger(c) && c >= 0))
      bad(file, `timing.${h}`, `${2 * TIMING_SPAN + 1} non-negative integer counts`, v);
  }
  for (const [cond, prof] of Object.entries(objectField(file, d, 'key_profiles'))) {
    const pr = prof as { pitch?: unknown; chord?: unknown };
    if (!Array.isArray(pr.pitch) || pr.pitch.length !== 12 || !pr.pitch.every((c) => Number.isInteger(c) && c >= 0))
      bad(file, `key_profiles.${cond}.pitch`, '12 non-negative integer counts', pr.pitch);
    if (typeof pr.chord !== 'object' || pr.chord === null)
      bad(file, `key_profiles.${cond}.chord`, 'an object of chord counts', pr.chord);
  }
  const data: CpModelData = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    name: typeof d.name === 'string' ? d.name : '',
    key_aware: d.key_aware,
    vocab_order: vocab.order,
    settings: s as unknown as ModelSettings,
    keys: objectField(file, d, 'keys') as CpModelData['keys'],
    key_profiles: objectField(file, d, 'key_profiles') as CpModelData['key_profiles'],
    attributes_seen: objectField(file, d, 'attributes_seen') as CpModelData['attributes_seen'],
    song_attributes: songAttributes(file, objectField(file, d, 'song_attributes'), vocab),
    timing: timing as CpModelData['timing'],
    training,
    tables,
  };
  const model = new CpModel(data, vocab);
  // Every counted value must be a vocabulary index of its field, else generation would emit garbage.
  for (const f of FIELDS) {
    const allowed = new Set(model.support(f));
    for (const level of tables[f].levels) {
      for (const [ctx, row] of level)
        for (const v of row.counts.keys()) if (!allowed.has(v)) bad(file, `tables.${f} "${ctx}"`, `indices of ${f}`, v);
    }
  }
  return model;
}

/** `song_attributes`: per emotion, per attribute field, positive integer counts of vocabulary indices of that field. */
function songAttributes(file: string, v: Record<string, unknown>, vocab: CpVocab): CpModelData['song_attributes'] {
  for (const [e, byField] of Object.entries(v)) {
    if (typeof byField !== 'object' || byField === null || Array.isArray(byField))
      bad(file, `song_attributes.${e}`, 'an object of fields', byField);
    for (const [f, counts] of Object.entries(byField as Record<string, unknown>)) {
      const where = `song_attributes.${e}.${f}`;
      if (!(ATTRIBUTE_FIELDS as readonly string[]).includes(f))
        bad(file, where, `one of ${ATTRIBUTE_FIELDS.join(', ')}`, f);
      if (typeof counts !== 'object' || counts === null || Array.isArray(counts))
        bad(file, where, 'an object of counts', counts);
      for (const [i, c] of Object.entries(counts as Record<string, unknown>)) {
        if (vocab.word2event[f]?.[i] === undefined || i === '0') bad(file, `${where}.${i}`, `an index of ${f}`, i);
        if (!Number.isInteger(c) || (c as number) <= 0) bad(file, `${where}.${i}`, 'a positive integer count', c);
      }
    }
  }
  return v as CpModelData['song_attributes'];
}

function objectField(file: string, d: Record<string, unknown>, name: string): Record<string, unknown> {
  const v = d[name];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(file, name, 'an object', v);
  return v as Record<string, unknown>;
}

export async function loadModel(file: string, vocab: CpVocab, flag = '--load_ckt'): Promise<CpModel> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new EmotuneError('cannot read the model file', {
      file,
      field: flag,
      found: (cause as NodeJS.ErrnoException).code ?? errorMessage(cause),
      code: 'model.io',
      cause,
    });
  }
  return parseModel(text, file, vocab);
}
