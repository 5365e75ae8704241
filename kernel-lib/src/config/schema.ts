import { INFERENCE_MODES } from './types.js';

/**
 * Longest time-out accepted (30 days). JSON has no Infinity, but 1e400 parses as Infinity; caps keep every
 * number finite, and the runner's timer takes delays beyond Node's 2^31 ms limit.
 */
export const MAX_TIMEOUT_S = 30 * 24 * 3600;
export const MAX_CONCURRENCY = 256;

/** JSON Schema of the config file (before defaults and path resolution). Messages name the field that breaks it. */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['paths', 'models', 'modes', 'tokens_of_interest', 'emotions'],
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    random_seed: { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
    paths: {
      type: 'object',
      additionalProperties: false,
      required: ['dataset_root', 'transformer', 'exp'],
      properties: {
        dataset_root: { type: 'string', minLength: 1 },
        transformer: { type: 'string', minLength: 1 },
        exp: { type: 'string', minLength: 1 },
      },
    },
    models: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'load_ckt', 'load_ckt_loss', 'load_dict', 'word2event_path'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
          load_ckt: { type: 'string' },
          load_ckt_loss: { type: ['string', 'number'] },
          load_dict: { type: 'string' },
          word2event_path: { type: 'string', minLength: 1 },
          key_aware: { type: 'boolean' },
        },
      },
    },
    // Grid values are listed once each: a repeat would give one folder several writers and count figures twice.
    modes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...INFERENCE_MODES] } },
    tokens_of_interest: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$' },
    },
    emotions: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 1, maximum: 4 } },
    keys: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^[A-G](#|b)?:(maj|min)$' } },
    common_args: {
      type: 'object',
      additionalProperties: false,
      properties: {
        task_type: { type: 'string' },
        num_songs: { type: 'integer', minimum: 1, maximum: 100_000 },
        save_tokens_json: { type: 'integer', minimum: 0, maximum: 1 },
        generation_timeout: { type: 'number', exclusiveMinimum: 0, maximum: MAX_TIMEOUT_S },
      },
    },
    max_values_per_token: { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 1_000_000 } },
    condition_set_sizes: { type: 'array', uniqueItems: true, items: { type: 'integer', minimum: 0, maximum: 64 } },
    generator: {
      type: 'object',
      additionalProperties: false,
      properties: {
        command: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        cwd: { type: 'string', minLength: 1 },
        timeout_s: { type: 'number', exclusiveMinimum: 0, maximum: MAX_TIMEOUT_S },
        isolate: { type: 'boolean' },
      },
    },
    classifier: {
      type: 'object',
      additionalProperties: false,
      required: ['command'],
      properties: {
        command: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        cwd: { type: 'string', minLength: 1 },
        timeout_s: { type: 'number', exclusiveMinimum: 0, maximum: MAX_TIMEOUT_S },
        isolate: { type: 'boolean' },
        batch_size: { type: 'integer', minimum: 1, maximum: 1000 },
      },
    },
    concurrency: { type: 'integer', minimum: 1, maximum: MAX_CONCURRENCY },
    folder_names: { enum: ['timestamp', 'hash'] },
    backend: { enum: ['local', 'slurm'] },
    slurm: {
      type: 'object',
      additionalProperties: false,
      properties: {
        partition: { type: 'string' },
        max_parallel: { type: 'integer', minimum: 1, maximum: 100_000 },
        gpus_per_task: { type: 'integer', minimum: 0 },
        cpus_per_task: { type: 'integer', minimum: 1 },
        mem: { type: 'string' },
        setup: { type: 'array', items: { type: 'string' } },
        extra_sbatch: { type: 'array', items: { type: 'string', pattern: '^--' } },
        poll_s: { type: 'number', exclusiveMinimum: 0, maximum: 86_400 },
      },
    },
  },
} as const;

/** Words for a pattern in an error message: what a user should write instead. */
export const patternMeaning: Record<string, string> = {
  '^[A-G](#|b)?:(maj|min)$': 'a key tag <tonic>:maj|min such as A:maj or E:min',
  '^[A-Za-z0-9][A-Za-z0-9._-]*$': 'a name of letters, digits, ".", "_" or "-"',
  '^[A-Za-z][A-Za-z0-9_-]*$': 'a token type name such as duration',
  '^--': 'an sbatch option starting with --',
};
