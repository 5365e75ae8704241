import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { buildGeneratorArgs } from '../../src/generate/command.js';
import { pythonJsonDumps, pythonPathJoin, pythonRepr } from '../../src/formats/python-style.js';
import { referenceConfig } from '../helpers.js';

const config = parseConfig(referenceConfig(), '/base');
const [scratch, pretrained] = config.models as [(typeof config.models)[0], (typeof config.models)[0]];

describe('generator arguments', () => {
  it("lists the flags in the reference notebook's order with Python JSON spelling and --out_dir last", () => {
    const args = buildGeneratorArgs(config, {
      mode: 'inference-deterministic',
      model: scratch,
      emotion: 1,
      conditions: { duration: 'Note_Duration_1080' },
      key: 'A:maj',
      outDir: '/x/out',
    });
    expect(args).toEqual([
      // The config's relative paths reach the generator resolved against its folder (/base).
      '--data_root',
      '/base/dataset/co-representation',
      '--exp_path',
      '/base/exp',
      '--mode',
      'inference-deterministic',
      '--task_type',
      '4-cls',
      '--num_songs',
      '1',
      '--emo_tag',
      '1',
      '--save_tokens_json',
      '1',
      '--load_ckt',
      'checkpoints',
      '--load_ckt_loss',
      '8',
      '--load_dict',
      'train_dictionary.pkl',
      '--conditions',
      '{"duration": "Note_Duration_1080"}',
      '--key_tag',
      'A:maj',
      '--out_dir',
      '/x/out',
    ]);
  });
  it('sends forced conditions as --force_tokens', () => {
    const args = buildGeneratorArgs(config, {
      mode: 'inference-forced',
      model: scratch,
      emotion: 3,
      conditions: { velocity: 'Note_Velocity_58' },
      key: 'E:min',
    });
    expect(args.slice(20)).toEqual(['--force_tokens', '{"velocity": "Note_Velocity_58"}', '--key_tag', 'E:min']);
  });
  it('gives --key_tag only to key-aware models', () => {
    const args = buildGeneratorArgs(config, {
      mode: 'inference-primed',
      model: pretrained,
      emotion: 2,
      conditions: {},
      key: 'A:maj',
    });
    expect(args).not.toContain('--key_tag');
    expect(args).not.toContain('--conditions');
  });
  it('passes hostile labels as single arguments, unchanged apart from JSON escaping', () => {
    const label = '; rm -rf ~ $(touch /tmp/x) ../../';
    const args = buildGeneratorArgs(config, {
      mode: 'inference-primed',
      model: pretrained,
      emotion: 2,
      conditions: { duration: label },
      key: null,
    });
    expect(args[args.indexOf('--conditions') + 1]).toBe(`{"duration": "${label}"}`);
  });
});

describe('Python spellings', () => {
  it('json.dumps with ensure_ascii', () => {
    expect(pythonJsonDumps({ a: 'é"\n', b: [1, true, null] })).toBe('{"a": "\\u00e9\\"\\n", "b": [1, true, null]}');
  });
  it('str(Path) joins', () => {
    expect(pythonPathJoin('dataset/', 'co-representation')).toBe('dataset/co-representation');
    expect(pythonPathJoin('.', 'co-representation')).toBe('co-representation');
    expect(pythonPathJoin('./a//b/./', '..')).toBe('a/b/..');
    expect(pythonPathJoin('/abs', 'x')).toBe('/abs/x');
  });
  it('repr of dicts and strings', () => {
    expect(pythonRepr({ duration: 'Note_Duration_1080' })).toBe("{'duration': 'Note_Duration_1080'}");
    expect(pythonRepr(["it's", null, 1.5, 2])).toBe(`["it's", None, 1.5, 2]`);
  });
});
