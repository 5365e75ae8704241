import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve, isAbsolute } from 'node:path';
import type { ErrorObject } from 'ajv';
import { lazyValidator } from '../formats/lazy-validator.js';
import { EmotuneError, describeValue, errorMessage } from '../errors.js';
import { normaliseKeyName } from '../formats/key-names.js';
import { configSchema, patternMeaning } from './schema.js';
import { findUnknownField } from './field-names.js';
import { parseJsonText } from '../formats/meta.js';
import { checkJsonDepth } from '../formats/json-depth.js';
import { checkClassifierPlaceholders } from './classifier-placeholders.js';
import type { EvaluationConfig, InferenceMode, ModelConfig } from './types.js';

const validator = lazyValidator(configSchema);

/**
 * Path strings as the generator receives them: absolute paths verbatim, as written (the reference notebook's
 * `str(Path)`), relative ones resolved against the config file's folder (the generator runs in another folder).
 */
export interface RawPaths {
  dataset_root: string;
  transformer: string;
  exp: string;
}

export interface LoadedConfig extends EvaluationConfig {
  /** The path strings for generator arguments: absolute ones as the user wrote them, relative ones resolved. */
  raw_paths: RawPaths;
}

function fieldOf(err: ErrorObject): string {
  // instancePath is a JSON pointer; show it as models[1].key_aware
  const parts = err.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  if (err.keyword === 'required')
    out += `${out ? '.' : ''}${(err.params as { missingProperty: string }).missingProperty}`;
  if (err.keyword === 'additionalProperties')
    out += `${out ? '.' : ''}${(err.params as { additionalProperty: string }).additionalProperty}`;
  return out || '(root)';
}

function expectedOf(err: ErrorObject): string {
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return 'this field to be present';
    case 'additionalProperties':
      return 'no such field (check its spelling)';
    case 'enum':
      return `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return patternMeaning[p.pattern as string] ?? `text matching ${p.pattern as string}`;
    case 'minimum':
      return `a number >= ${p.limit as number}`;
    case 'maximum':
      return `a number <= ${p.limit as number}`;
    case 'exclusiveMinimum':
      return `a number > ${p.limit as number}`;
    case 'minItems':
      return `at least ${p.limit as number} item(s)`;
    case 'minLength':
      return 'a non-empty string';
    case 'uniqueItems':
      return `each value once (items ${p.j as number} and ${p.i as number} are the same)`;
    case 'type':
      return `a value of type ${String(p.type)}`;
    default:
      return err.message ?? err.keyword;
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * Validate a parsed config object and fill defaults. `baseDir` resolves relative paths (the config file's
 * folder). Throws an EmotuneError naming the field and the expected value.
 */
export function parseConfig(raw: unknown, baseDir: string, file?: string): LoadedConfig {
  checkJsonDepth(raw, file);
  // A misspelt field first: otherwise a misspelt required field reads as the correct one missing.
  const unknown = findUnknownField(raw, configSchema as unknown as Parameters<typeof findUnknownField>[1]);
  if (unknown) {
    throw new EmotuneError('unknown field', {
      file,
      field: unknown.field,
      expected:
        unknown.suggestion !== undefined
          ? `"${unknown.suggestion}", the nearest valid field name: fix the spelling`
          : `one of ${unknown.known.join(', ')}`,
      code: 'config.unknown-field',
    });
  }
  if (!validator()(raw)) {
    const err = validator().errors![0]!;
    const found =
      err.keyword === 'required' || err.keyword === 'additionalProperties'
        ? undefined
        : describeValue(valueAt(raw, err.instancePath));
    throw new EmotuneError('invalid configuration', {
      file,
      field: fieldOf(err),
      expected: expectedOf(err),
      found,
      code: 'config.invalid',
    });
  }
  // The schema has just validated the shape; fields are read as the schema defines them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const r = raw as Record<string, any>;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  // The generator runs in its own folder: a relative path must not reach it as written.
  const forGenerator = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const models: ModelConfig[] = (r.models as any[]).map((m) => ({
    name: m.name,
    load_ckt: m.load_ckt,
    load_ckt_loss: String(m.load_ckt_loss),
    load_dict: m.load_dict,
    word2event_path: abs(m.word2event_path),
    // The reference notebook hard-codes `model['name'] == 'scratch'` for key awareness; the config makes it explicit.
    key_aware: m.key_aware ?? m.name === 'scratch',
  }));
  const names = new Set<string>();
  models.forEach((m, i) => {
    if (names.has(m.name))
      throw new EmotuneError('duplicate model name', {
        file,
        field: `models[${i}].name`,
        expected: 'a name used once',
        found: describeValue(m.name),
        code: 'config.invalid',
      });
    names.add(m.name);
  });
  // Keys reach the generator and the analysis in the sharp spelling the vocabularies use (Bb:maj -> A#:maj).
  const keys: string[] = (r.keys ?? []).map((k: string, i: number) => normaliseKeyName(k, file, `keys[${i}]`));
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i)
      throw new EmotuneError('duplicate key', {
        file,
        field: `keys[${i}]`,
        expected: 'each key once (flats and sharps name the same key: Bb:maj is A#:maj)',
        found: describeValue(r.keys[i]),
        code: 'config.invalid',
      });
  });
  if (models.some((m) => m.key_aware) && keys.length === 0) {
    throw new EmotuneError('a key-aware model needs keys to evaluate', {
      file,
      field: 'keys',
      expected: 'at least one key tag such as A:maj',
      code: 'config.invalid',
    });
  }
  const transformer = abs(r.paths.transformer);
  const gen = r.generator ?? {};
  const timeoutS = generatorTimeout(r);
  const common = {
    task_type: '4-cls',
    num_songs: 1,
    save_tokens_json: 1,
    ...(r.common_args ?? {}),
    generation_timeout: timeoutS,
  };
  const config: LoadedConfig = {
    random_seed: r.random_seed ?? 2084,
    paths: { dataset_root: abs(r.paths.dataset_root), transformer, exp: abs(r.paths.exp) },
    raw_paths: {
      dataset_root: forGenerator(r.paths.dataset_root),
      transformer: forGenerator(r.paths.transformer),
      exp: forGenerator(r.paths.exp),
    },
    models,
    modes: r.modes as InferenceMode[],
    tokens_of_interest: r.tokens_of_interest,
    emotions: r.emotions,
    keys,
    common_args: common,
    max_values_per_token: r.max_values_per_token ?? {},
    condition_set_sizes: r.condition_set_sizes ?? [1],
    generator: {
      command: gen.command ?? ['python', 'main_cp.py'],
      cwd: gen.cwd !== undefined ? abs(gen.cwd) : transformer,
      timeout_s: timeoutS,
      ...(gen.isolate !== undefined ? { isolate: gen.isolate } : {}),
    },
    classifier: r.classifier
      ? {
          command: r.classifier.command,
          cwd: r.classifier.cwd !== undefined ? abs(r.classifier.cwd) : baseDir,
          timeout_s: r.classifier.timeout_s ?? 60,
          ...(r.classifier.isolate !== undefined ? { isolate: r.classifier.isolate } : {}),
          ...(r.classifier.batch_size !== undefined ? { batch_size: r.classifier.batch_size } : {}),
        }
      : undefined,
    concurrency: r.concurrency ?? 1,
    folder_names: r.folder_names ?? 'timestamp',
    backend: r.backend ?? 'local',
    slurm: r.slurm,
    base_dir: baseDir,
    source_file: file,
  };
  if (config.classifier) checkClassifierPlaceholders(config.classifier, file);
  return config;
}

/**
 * The generator's time-out: `generator.timeout_s`, else the reference notebook's `common_args.generation_timeout`
 * (which the reference notebook itself never used: it hard-coded 300 s), else 300 s. When both are given,
 * `generator.timeout_s` wins and `emotune doctor` points at the other one.
 */
export function generatorTimeout(r: {
  generator?: { timeout_s?: number };
  common_args?: { generation_timeout?: number };
}): number {
  return r.generator?.timeout_s ?? r.common_args?.generation_timeout ?? 300;
}

/** A note when both time-outs are set and differ (`common_args.generation_timeout` is then not used). */
export function unusedTimeoutNote(r: {
  generator?: { timeout_s?: number };
  common_args?: { generation_timeout?: number };
}): string | undefined {
  const own = r.generator?.timeout_s;
  const common = r.common_args?.generation_timeout;
  if (own === undefined || common === undefined || own === common) return undefined;
  return `common_args.generation_timeout (${common} s) is not used because generator.timeout_s (${own} s) is set: remove one of them`;
}

/** Check the files a config names exist (vocabularies, generator folder); named in the error. */
export async function checkConfigFiles(config: LoadedConfig): Promise<void> {
  for (const [i, m] of config.models.entries()) {
    try {
      const s = await stat(m.word2event_path);
      if (!s.isFile()) throw new Error('not a file');
    } catch {
      throw new EmotuneError('vocabulary file not found', {
        file: config.source_file,
        field: `models[${i}].word2event_path`,
        expected: 'an existing word2event JSON or dictionary.pkl',
        found: m.word2event_path,
        code: 'config.missing-file',
      });
    }
  }
  try {
    const s = await stat(config.generator.cwd);
    if (!s.isDirectory()) throw new Error('not a folder');
  } catch {
    throw new EmotuneError('generator working directory not found', {
      file: config.source_file,
      field: 'generator.cwd',
      expected: 'an existing folder (default: paths.transformer)',
      found: config.generator.cwd,
      code: 'config.missing-file',
    });
  }
}

/**
 * Read, validate and resolve a config file; relative paths are taken from the file's folder.
 * @example
 * ```ts
 * const config = await et.loadConfig(path.join(et.embeddedDir, "config.json"));
 * console.log(config.models.map((m) => m.name), config.modes);
 * ```
 */
export async function loadConfig(path: string, options: { checkFiles?: boolean } = {}): Promise<LoadedConfig> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new EmotuneError('cannot read the configuration file', {
      file,
      expected: 'a readable JSON file',
      found: (e as NodeJS.ErrnoException).code,
      code: 'config.unreadable',
    });
  }
  let raw: unknown;
  try {
    raw = parseJsonText(text, file);
  } catch (e) {
    const where = e instanceof EmotuneError && e.field ? ` at ${e.field}` : '';
    const detail = e instanceof EmotuneError ? e.found : errorMessage(e);
    throw new EmotuneError(`malformed JSON${where}: ${detail ?? 'syntax error'} (fix the JSON syntax there)`, {
      file,
      code: 'config.malformed-json',
    });
  }
  const config = parseConfig(raw, dirname(file), file);
  if (options.checkFiles !== false) await checkConfigFiles(config);
  return config;
}

/**
 * The same config writing into another experiment folder (`--exp`, or a notebook choosing its own).
 * @example
 * ```ts
 * const config = et.withExperimentFolder(await et.loadConfig("config.json"), path.resolve("experiments", "mine"));
 * console.log(config.paths.exp);
 * ```
 */
export function withExperimentFolder(config: LoadedConfig, exp: string | undefined): LoadedConfig {
  if (exp === undefined) return config;
  // An empty path would resolve to the current folder and scatter run folders there.
  if (exp.trim() === '')
    throw new EmotuneError('empty experiment folder', {
      field: '--exp',
      expected: 'a folder path such as experiments/main',
      found: describeValue(exp),
      code: 'config.invalid',
    });
  const abs = resolve(exp);
  return { ...config, paths: { ...config.paths, exp: abs }, raw_paths: { ...config.raw_paths, exp: abs } };
}
