import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const fixtureVocab = (name: 'scratch' | 'pretrained') =>
  join(repoRoot, 'test', 'fixtures', 'vocab', `word2event_${name}.json`);
export const fakeGenerator = join(repoRoot, 'test', 'fixtures', 'fake-generator.mjs');

export function tempDir(prefix = 'emotune-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The reference notebook's configuration (two models; scratch key-aware), with overrides, written to a temp folder. */
export function referenceConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    random_seed: 2084,
    paths: { dataset_root: 'dataset', transformer: '.', exp: 'exp' },
    models: [
      {
        name: 'scratch',
        load_ckt: 'checkpoints',
        load_ckt_loss: '8',
        load_dict: 'train_dictionary.pkl',
        word2event_path: fixtureVocab('scratch'),
        key_aware: true,
      },
      {
        name: 'pretrained',
        load_ckt: 'checkpoints',
        load_ckt_loss: 'pre',
        load_dict: 'dictionary.pkl',
        word2event_path: fixtureVocab('pretrained'),
        key_aware: false,
      },
    ],
    modes: ['inference-deterministic', 'inference-primed', 'inference-forced'],
    tokens_of_interest: ['duration', 'velocity'],
    emotions: [1, 2, 3, 4],
    keys: ['A:maj', 'C:maj', 'E:min'],
    common_args: { task_type: '4-cls', num_songs: 1, save_tokens_json: 1, generation_timeout: 30 },
    max_values_per_token: { duration: 2, velocity: 2 },
    condition_set_sizes: [1],
    ...overrides,
  };
}

export function writeConfig(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Debian's Python, which the parity and muspy-reference tests run (with python3-numpy and python3-mido). */
export const PYTHON = '/usr/bin/python3';

/** Whether PYTHON can import every given module. */
export function pythonHas(modules: readonly string[]): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
