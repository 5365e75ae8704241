import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { EmotuneError } from '../../src/errors.js';
import { referenceConfig, tempDir, writeConfig } from '../helpers.js';

function errorOf(fn: () => unknown): EmotuneError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EmotuneError) return e;
    throw e;
  }
  throw new Error('expected an EmotuneError');
}

describe('config validation', () => {
  it("fills the reference notebook's defaults and resolves relative paths from the config folder", () => {
    const c = parseConfig(referenceConfig(), '/base');
    expect(c.paths.exp).toBe('/base/exp');
    expect(c.raw_paths.exp).toBe('/base/exp'); // relative paths reach the generator resolved
    expect(c.generator).toEqual({ command: ['python', 'main_cp.py'], cwd: '/base', timeout_s: 30 }); // common_args.generation_timeout drives it
    expect(c.concurrency).toBe(1);
    expect(c.folder_names).toBe('timestamp');
    expect(c.models.map((m) => m.key_aware)).toEqual([true, false]);
  });

  it('names an unknown mode and lists the allowed ones', () => {
    const e = errorOf(() => parseConfig(referenceConfig({ modes: ['inference-normal'] }), '/b', 'c.json'));
    expect(e.field).toBe('modes[0]');
    expect(e.message).toContain('c.json: modes[0]');
    expect(e.message).toContain('inference-primed');
  });

  it('rejects an emotion outside 1-4', () => {
    const e = errorOf(() => parseConfig(referenceConfig({ emotions: [1, 5] }), '/b'));
    expect(e.field).toBe('emotions[1]');
    expect(e.expected).toContain('<= 4');
  });

  it('rejects a key tag not of the form <tonic>:maj|min', () => {
    const e = errorOf(() => parseConfig(referenceConfig({ keys: ['A:major'] }), '/b'));
    expect(e.field).toBe('keys[0]');
    expect(e.message).toContain('A:maj');
  });

  it('rejects negative sampling sizes', () => {
    expect(errorOf(() => parseConfig(referenceConfig({ max_values_per_token: { duration: -1 } }), '/b')).field).toBe(
      'max_values_per_token.duration',
    );
    expect(errorOf(() => parseConfig(referenceConfig({ condition_set_sizes: [-2] }), '/b')).field).toBe(
      'condition_set_sizes[0]',
    );
  });

  it('names a misspelt field', () => {
    const e = errorOf(() => parseConfig(referenceConfig({ tokens_of_intrest: [] }), '/b'));
    expect(e.field).toBe('tokens_of_intrest');
  });

  it('requires {midi} in the classifier command', () => {
    const e = errorOf(() => parseConfig(referenceConfig({ classifier: { command: ['python3', 'cls.py'] } }), '/b'));
    expect(e.field).toBe('classifier.command');
  });

  it('reports a missing vocabulary file by field', async () => {
    const dir = tempDir();
    const cfg = referenceConfig();
    (cfg.models as Array<Record<string, unknown>>)[1]!.word2event_path = 'nope.json';
    const file = writeConfig(dir, cfg);
    await expect(loadConfig(file)).rejects.toThrow(/models\[1\]\.word2event_path.*nope\.json/);
  });

  it('reports malformed JSON with the file name', async () => {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, '{"paths": '));
    await expect(loadConfig(file)).rejects.toThrow(/config\.json: malformed JSON/);
  });
});
