/** Setups built on the contract's reference generator and classifier (examples/), for tests of the user's view. */
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers.js';
import { cli } from '../support/cli-runs.js';

export { cli };

export const examplesDir = join(repoRoot, 'examples');
export const twistedGenerator = join(repoRoot, 'kernel-lib', 'test', 'contract', 'fixtures', 'twisted-generator.mjs');
export const nodeClassifier = [process.execPath, join(examplesDir, 'node', 'classify.mjs'), '--file', '{midi}'];

export const emotune = (args: string[], cwd = repoRoot) =>
  execa(process.execPath, [cli, ...args], { cwd, reject: false, timeout: 120_000 });

/** A small grid (3 modes x 1 emotion x 1 key x 1 duration value = 3 runs) on the reference vocabulary. */
export function referenceConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    paths: { dataset_root: join(examplesDir, 'dataset'), transformer: join(examplesDir, 'node'), exp: 'exp' },
    models: [
      {
        name: 'reference',
        load_ckt: 'checkpoints',
        load_ckt_loss: '8',
        load_dict: 'word2event.json',
        word2event_path: join(examplesDir, 'dataset', 'co-representation', 'word2event.json'),
        key_aware: true,
      },
    ],
    modes: ['inference-deterministic', 'inference-primed', 'inference-forced'],
    tokens_of_interest: ['duration'],
    emotions: [2],
    keys: ['E:min'],
    max_values_per_token: { duration: 1 },
    generator: { command: [process.execPath, 'main_cp.mjs'], timeout_s: 60 },
    classifier: { command: nodeClassifier, timeout_s: 30 },
    folder_names: 'hash',
    ...overrides,
  };
}

/** The reference generator made to commit one mistake (see fixtures/twisted-generator.mjs). */
export function twisted(twist: 'ok' | 'crash' | 'midi-ext' | 'no-conditions' | 'no-meta'): {
  command: string[];
  timeout_s: number;
} {
  return { command: [process.execPath, twistedGenerator, twist], timeout_s: 60 };
}

/** Write a config into a fresh folder; returns the folder and the file. */
export function writeSetup(
  config: Record<string, unknown>,
  extraFiles: Record<string, string> = {},
): { dir: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(dir, name), text);
  return { dir, file };
}
