import { dirname, isAbsolute, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { lazyValidator } from './lazy-validator.js';
import { EmotuneError, describeValue, errorMessage } from '../errors.js';
import type { GenerationMeta } from './types.js';
import { readInputFile } from './read-input.js';
import { checkJsonDepth } from './json-depth.js';
import { isInsideReal } from '../path-inside.js';

/** `NAME.meta.json` as written by a generator following the main_cp.py contract (docs/generator-contract.md). */

const indexMap = { type: ['object', 'null'], additionalProperties: { type: 'integer' } } as const;

export const metaSchema = {
  type: 'object',
  required: ['paths', 'vocab_order'],
  properties: {
    paths: {
      type: 'object',
      required: ['npy', 'midi'],
      properties: { npy: { type: 'string', minLength: 1 }, midi: { type: 'string', minLength: 1 } },
    },
    inference_mode: { type: ['string', 'null'] },
    emotion_tag: { type: ['integer', 'null'] },
    key_tag: { type: ['string', 'null'] },
    conditions_indices: indexMap,
    force_indices: indexMap,
    vocab_order: { type: 'array', items: { type: 'string' } },
  },
} as const;

const validator = lazyValidator(metaSchema);

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastNl = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastNl = i;
    }
  }
  return { line, column: offset - lastNl };
}

/**
 * Where JSON text first goes wrong. JSON.parse's messages carry no position for many errors on Node 20,
 * so this walks the grammar once more (only after a failure) to find it.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (s: string) => {
    if (text.startsWith(s, i)) i += s.length;
    else fail();
  };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if (text[i] !== undefined && '"\\/bfnrt'.includes(text[i]!)) i++;
        else fail();
      } else i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (depth: number): void => {
    if (depth > 5000) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (m === null) fail();
      i += m![0].length;
    }
  };
  try {
    value(0);
    ws();
    return i < text.length ? i : -1;
  } catch (e) {
    return typeof e === 'number' ? e : -1;
  }
}

/** JSON.parse with an EmotuneError naming the file, line and column on bad syntax. */
export function parseJsonText(text: string, file?: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const offset = jsonErrorOffset(text);
    const field =
      offset >= 0 ? (({ line, column }) => `line ${line} column ${column}`)(lineColumn(text, offset)) : undefined;
    throw new EmotuneError('malformed JSON', {
      file,
      field,
      code: 'json.syntax',
      found: errorMessage(cause).slice(0, 120),
      cause,
    });
  }
  checkJsonDepth(value, file);
  return value;
}

function describeAjvError(err: ErrorObject): { field: string; expected: string } {
  const path = err.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (err.keyword === 'required') {
    const missing = String((err.params as { missingProperty: string }).missingProperty);
    return { field: path ? `${path}.${missing}` : missing, expected: 'a value (the field is required)' };
  }
  if (err.keyword === 'type')
    return {
      field: path || '(root)',
      expected: `type ${String((err.params as { type: unknown }).type).replace(',', ' or ')}`,
    };
  return { field: path || '(root)', expected: err.message ?? err.keyword };
}

function valueAt(doc: unknown, instancePath: string): unknown {
  let v = doc;
  for (const part of instancePath.split('/').slice(1)) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

const KNOWN = new Set([
  'paths',
  'inference_mode',
  'emotion_tag',
  'key_tag',
  'conditions_indices',
  'force_indices',
  'vocab_order',
]);

/** Parse and validate a meta file's text; `file` is its path (relative media paths resolve from its folder). */
export function parseMeta(text: string, file: string): GenerationMeta {
  const doc = parseJsonText(text, file);
  if (!validator()(doc)) {
    const err = validator().errors![0]!;
    const { field, expected } = describeAjvError(err);
    throw new EmotuneError('invalid meta file', {
      file,
      field,
      expected,
      code: 'meta.invalid',
      found: err.keyword === 'required' ? 'nothing' : describeValue(valueAt(doc, err.instancePath)),
    });
  }
  const d = doc as Record<string, unknown> & {
    paths: { npy: string; midi: string };
    inference_mode?: string | null;
    emotion_tag?: number | null;
    key_tag?: string | null;
    conditions_indices?: Record<string, number> | null;
    force_indices?: Record<string, number> | null;
    vocab_order: string[];
  };
  const absFile = resolve(file);
  const folder = dirname(absFile);
  const abs = (p: string) => (isAbsolute(p) ? resolve(p) : resolve(folder, p));
  const extra: Record<string, unknown> = {};
  // defineProperty: a key named __proto__ stays data.
  for (const [k, v] of Object.entries(d)) {
    if (!KNOWN.has(k))
      Object.defineProperty(extra, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  const meta: GenerationMeta = {
    file: absFile,
    paths: { npy: abs(d.paths.npy), midi: abs(d.paths.midi) },
    vocab_order: d.vocab_order,
    extra,
  };
  if (d.inference_mode != null) meta.inference_mode = d.inference_mode;
  if (d.emotion_tag != null) meta.emotion_tag = d.emotion_tag;
  if (d.key_tag !== undefined) meta.key_tag = d.key_tag;
  if (d.conditions_indices != null) meta.conditions_indices = d.conditions_indices;
  if (d.force_indices != null) meta.force_indices = d.force_indices;
  return meta;
}

/**
 * Reads a generated song's `.meta.json`: its files, mode, conditions and token order.
 * @example
 * ```ts
 * const meta = await et.readMeta(metaFile);
 * console.log(meta.inference_mode, meta.conditions_indices, meta.paths.midi);
 * ```
 */
export async function readMeta(path: string): Promise<GenerationMeta> {
  const bytes = await readInputFile(path, 'meta');
  return parseMeta(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), path); // keep a BOM, as Python's json.load would see it
}

/**
 * Refuses a meta file naming a file outside its run folder (as `run` does): in a copied or moved experiment,
 * absolute paths name the original's files, whose figures would pass for this experiment's.
 */
export function checkMetaInside(meta: GenerationMeta, outDir: string): void {
  for (const field of ['npy', 'midi'] as const)
    if (!isInsideReal(outDir, meta.paths[field]))
      throw new Error(
        `paths.${field} points outside the run folder (${meta.paths[field]}), so it is not read: was the experiment copied or moved? Write the meta files' paths relative to their run folder`,
      );
}
