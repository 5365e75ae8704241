// Config mistakes a user makes, each with a message that names the cause and the fix; paths as the generator sees them.
import { describe, expect, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { commandProblem } from '../../src/config/commands.js';
import { nearestName } from '../../src/config/field-names.js';
import { notebookPaths } from '../../src/config/notebook-paths.js';
import { buildGeneratorArgs } from '../../src/generate/command.js';
import { referenceConfig, tempDir, writeConfig } from '../helpers.js';

const errorText = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('misspelt fields name the nearest valid field', () => {
  it('a misspelt required field is reported as itself, with the right name', () => {
    const cfg = referenceConfig();
    cfg.tokens_of_intrest = cfg.tokens_of_interest;
    delete cfg.tokens_of_interest;
    expect(errorText(() => parseConfig(cfg, '/b', 'c.json'))).toBe(
      'c.json: tokens_of_intrest: unknown field (expected "tokens_of_interest", the nearest valid field name: fix the spelling)',
    );
  });

  it('inside a model and inside generator', () => {
    const cfg = referenceConfig();
    (cfg.models as Array<Record<string, unknown>>)[1]!.load_ckpt = 'x';
    expect(errorText(() => parseConfig(cfg, '/b'))).toContain(
      'models[1].load_ckpt: unknown field (expected "load_ckt"',
    );
    expect(errorText(() => parseConfig(referenceConfig({ generator: { timeout: 5 } }), '/b'))).toContain(
      'generator.timeout: unknown field (expected "timeout_s"',
    );
  });

  it('a name far from every field lists the valid ones instead of guessing', () => {
    expect(errorText(() => parseConfig(referenceConfig({ zzz: 1 }), '/b'))).toMatch(
      /zzz: unknown field \(expected one of \$schema, description, random_seed, paths/,
    );
    expect(nearestName('modez', ['modes', 'models'])).toBe('modes');
    expect(nearestName('completely_else', ['modes'])).toBeUndefined();
  });
});

describe('malformed JSON gives line and column', () => {
  it('points at the place to fix', async () => {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, '{\n  "random_seed": 1,\n  "paths": { "exp": "e" }\n  "models": []\n}\n');
    await expect(loadConfig(file)).rejects.toThrow(
      /config\.json: malformed JSON at line 4 column 3: .*\(fix the JSON syntax there\)/,
    );
  });
});

describe('generator time-out', () => {
  it('common_args.generation_timeout drives it when generator.timeout_s is not set', () => {
    expect(parseConfig(referenceConfig({ common_args: { generation_timeout: 45 } }), '/b').generator.timeout_s).toBe(
      45,
    );
  });

  it('generator.timeout_s wins when both are set; 300 s when neither is', () => {
    expect(
      parseConfig(referenceConfig({ common_args: { generation_timeout: 45 }, generator: { timeout_s: 90 } }), '/b')
        .generator.timeout_s,
    ).toBe(90);
    expect(parseConfig(referenceConfig({ common_args: {} }), '/b').generator.timeout_s).toBe(300);
  });
});

describe('relative paths reach the generator resolved against the config folder', () => {
  it('relative dataset_root and exp are resolved; absolute ones pass verbatim (the reference notebook)', () => {
    const rel = parseConfig(
      referenceConfig({ paths: { dataset_root: 'dataset', transformer: 'transformer', exp: 'exp/v8' } }),
      '/home/u/eval',
    );
    const args = buildGeneratorArgs(rel, {
      mode: 'inference-primed',
      model: rel.models[0]!,
      emotion: 1,
      conditions: {},
      key: 'A:maj',
    });
    expect(args.slice(0, 4)).toEqual([
      '--data_root',
      '/home/u/eval/dataset/co-representation',
      '--exp_path',
      '/home/u/eval/exp/v8',
    ]);
    expect(rel.generator.cwd).toBe('/home/u/eval/transformer');
    const abs = parseConfig(
      referenceConfig({ paths: { dataset_root: '/data/emotune/dataset/', transformer: '/t', exp: '/work/exp' } }),
      '/home/u/eval',
    );
    expect(
      buildGeneratorArgs(abs, {
        mode: 'inference-primed',
        model: abs.models[0]!,
        emotion: 1,
        conditions: {},
        key: null,
      }).slice(0, 4),
    ).toEqual(['--data_root', '/data/emotune/dataset/co-representation', '--exp_path', '/work/exp']);
  });
});

describe('commands are checked before anything runs', () => {
  it('a program not on PATH, a missing script, a present one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cls.py'), 'print(1)');
    expect(commandProblem(['no-such-program-xyz', 'a.py'], dir, 'classifier.command')).toMatchObject({
      field: 'classifier.command[0]',
      message: 'program not found on PATH',
    });
    expect(commandProblem([process.execPath, 'missing.py', '{midi}'], dir, 'classifier.command')).toMatchObject({
      field: 'classifier.command[1]',
      message: 'script not found',
      found: join(dir, 'missing.py'),
    });
    expect(commandProblem([process.execPath, 'cls.py', '--file', '{midi}'], dir, 'classifier.command')).toBeUndefined();
    expect(commandProblem(['emotune', 'classify', '{midi}'], dir, 'classifier.command')).toBeUndefined();
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
    expect(commandProblem(['./tool'], dir, 'generator.command')).toMatchObject({
      message: 'program not found or not executable',
    });
    chmodSync(join(dir, 'tool'), 0o755);
    expect(commandProblem(['./tool'], dir, 'generator.command')).toBeUndefined();
  });
});

describe('notebook paths', () => {
  const defaults = {
    defaultConfig: '/pkg/embedded/config.json',
    defaultExp: '/repo/notebooks/experiments/notebook',
    cwd: '/repo/notebooks',
  };

  it('EMOTUNE_CONFIG and EMOTUNE_EXP are taken relative to the folder Jupyter was started in (PWD), not the notebook folder', () => {
    const p = notebookPaths({
      ...defaults,
      env: { PWD: '/home/u/project', EMOTUNE_CONFIG: 'my-config.json', EMOTUNE_EXP: 'runs/a' },
    });
    expect(p.configPath).toBe('/home/u/project/my-config.json');
    expect(p.expDir).toBe('/home/u/project/runs/a');
  });

  it("without EMOTUNE_EXP a user's config keeps its paths.exp; the demo config uses the default folder", () => {
    expect(
      notebookPaths({ ...defaults, env: { PWD: '/home/u', EMOTUNE_CONFIG: '/abs/c.json' } }).expDir,
    ).toBeUndefined();
    const demo = notebookPaths({ ...defaults, env: {} });
    expect(demo).toMatchObject({
      configPath: '/pkg/embedded/config.json',
      expDir: '/repo/notebooks/experiments/notebook',
      startDir: '/repo/notebooks',
    });
  });

  it('loads a config whose paths.exp then holds', async () => {
    const dir = tempDir();
    const file = writeConfig(dir, referenceConfig({ paths: { dataset_root: 'd', transformer: '.', exp: 'my-exp' } }));
    const p = notebookPaths({ ...defaults, env: { PWD: dir, EMOTUNE_CONFIG: 'config.json' } });
    expect(p.configPath).toBe(file);
    expect((await loadConfig(p.configPath, { checkFiles: false })).paths.exp).toBe(join(dir, 'my-exp'));
  });
});
