// Key names have one grammar (formats/key-names.ts): a config may spell keys with flats, and they reach the
// generator, its outputs and the key analysis in the sharp spelling of the vocabularies. Before, `Bb:maj` passed
// config validation and then every run for that key failed in the embedded generator's own key parser.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.js';
import { embeddedConfig, emotune } from '../support/cli-runs.js';

describe('keys spelled with flats', () => {
  it('a config with Bb:maj and Eb:min runs end to end on the embedded generator, keys normalised to sharps', async () => {
    const dir = tempDir();
    const config = embeddedConfig(
      join(dir, 'exp'),
      {
        modes: ['inference-primed'],
        tokens_of_interest: ['duration'],
        emotions: [1],
        keys: ['Bb:maj', 'Eb:min'],
        max_values_per_token: { duration: 1 },
      },
      ['scratch'],
    );
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(config));

    const plan = await emotune(['plan', '--config', file, '--json']);
    expect(plan.exitCode, plan.stderr).toBe(0);
    const keyArgs = (JSON.parse(plan.stdout) as Array<{ args: string[] }>).map(
      (r) => r.args[r.args.indexOf('--key_tag') + 1],
    );
    expect(keyArgs).toEqual(['A#:maj', 'D#:min']);

    const r = await emotune(['evaluate', '--config', file, '--exp', join(dir, 'exp'), '--lines']);
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    const runs = JSON.parse(readFileSync(join(dir, 'exp', 'all_runs_metadata.json'), 'utf8')) as Array<{
      status: string;
      out_dir: string;
    }>;
    expect(runs.map((x) => x.status)).toEqual(['ok', 'ok']);
    const tags = runs.map((run) => {
      const meta = readdirSync(run.out_dir).find((n) => n.endsWith('.meta.json'))!;
      return (JSON.parse(readFileSync(join(run.out_dir, meta), 'utf8')) as { key_tag: string }).key_tag;
    });
    expect(tags).toEqual(['A#:maj', 'D#:min']);
  }, 120_000);

  it('names the offending entry when two spellings of one key are listed', async () => {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(embeddedConfig(join(dir, 'exp'), { keys: ['A#:maj', 'Bb:maj'] })));
    const r = await emotune(['plan', '--config', file]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/keys\[1\]: duplicate key .*Bb:maj is A#:maj/);
  });
});
