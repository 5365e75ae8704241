import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The generator as the runner sees it: a real `emotune generate` subprocess with main_cp.py's flags, run in
 * kernel-lib/embedded. Uses the built CLI (`npx tsc -b kernel-lib`) when present, else the sources via tsx.
 */
const KERNEL = join(import.meta.dirname, '..', '..', '..');
const EMBEDDED = join(KERNEL, 'embedded');
const DIST_MAIN = join(KERNEL, 'dist', 'cli', 'main.js');
const useDist = existsSync(DIST_MAIN) && existsSync(join(KERNEL, 'dist', 'generate', 'embedded', 'generate-songs.js'));
const cli = useDist
  ? [DIST_MAIN]
  : ['--import', createRequire(import.meta.url).resolve('tsx'), join(KERNEL, 'src', 'cli', 'main.ts')];

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'emotune-contract-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function generate(args: string[], cwd = EMBEDDED) {
  return execa('node', [...cli, 'generate', ...args], { cwd, reject: false });
}

/** The reference notebook's argument list for one run (docs/generator-contract.md order). */
function referenceArgs(
  model: 'scratch' | 'pretrained',
  mode: string,
  tokenFlag: string,
  json: string,
  key: string | null,
  outDir: string,
): string[] {
  const m = model === 'scratch' ? ['8', 'train_dictionary.pkl'] : ['pre', 'dictionary.pkl'];
  return [
    '--data_root',
    join(EMBEDDED, 'dataset', 'co-representation'),
    '--exp_path',
    tmp,
    '--mode',
    mode,
    '--task_type',
    '4-cls',
    '--num_songs',
    '1',
    '--emo_tag',
    '3',
    '--save_tokens_json',
    '1',
    '--load_ckt',
    'checkpoints',
    '--load_ckt_loss',
    m[0]!,
    '--load_dict',
    m[1]!,
    tokenFlag,
    json,
    ...(key ? ['--key_tag', key] : []),
    '--out_dir',
    outDir,
  ];
}

describe('emotune generate as a main_cp.py subprocess', () => {
  it.each([
    ['scratch', 'inference-deterministic', '--conditions', 'A:maj'],
    ['scratch', 'inference-primed', '--conditions', 'E:min'],
    ['scratch', 'inference-forced', '--force_tokens', 'C:maj'],
    ['pretrained', 'inference-primed', '--conditions', null],
    ['pretrained', 'inference-forced', '--force_tokens', null],
  ] as const)(
    '%s %s (%s, key %s): exit 0, one line on stdout, npy/mid/meta/tokens written',
    async (model, mode, flag, key) => {
      const out = join(tmp, `${model}-${mode}`);
      const r = await generate(referenceArgs(model, mode, flag, '{"duration": "Note_Duration_1080"}', key, out));
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toContain('generated 1 song(s)');
      const files = readdirSync(out).sort();
      expect(files.map((f) => f.replace(/^emo_3_[0-9a-f]{8}_0/, 'X'))).toEqual([
        'X.meta.json',
        'X.mid',
        'X.npy',
        'X.tokens.json',
      ]);
      const meta = JSON.parse(readFileSync(join(out, files[0]!), 'utf8'));
      expect(meta.inference_mode).toBe(mode);
      expect(meta.key_tag).toBe(key);
      expect(meta[flag === '--force_tokens' ? 'force_indices' : 'conditions_indices']).toEqual({ duration: 2 });
      expect(existsSync(meta.paths.npy) && existsSync(meta.paths.midi)).toBe(true);
    },
  );

  it('gives byte-identical files for the same deterministic command run twice', async () => {
    const out = join(tmp, 'twice');
    const args = referenceArgs(
      'pretrained',
      'inference-deterministic',
      '--conditions',
      '{"velocity": "Note_Velocity_100"}',
      null,
      out,
    );
    expect((await generate(args)).exitCode).toBe(0);
    const first = readdirSync(out).map((f) => readFileSync(join(out, f)));
    expect((await generate(args)).exitCode).toBe(0);
    expect(readdirSync(out).map((f) => readFileSync(join(out, f)))).toEqual(first);
  });

  describe('bad input: exit 2 and a one-line message naming the flag', () => {
    const ok = () =>
      referenceArgs(
        'scratch',
        'inference-primed',
        '--conditions',
        '{"duration": "Note_Duration_1080"}',
        'A:maj',
        join(tmp, 'bad'),
      );
    const replace = (args: string[], flag: string, value: string) =>
      args.map((a, i) => (args[i - 1] === flag ? value : a));
    const cases: Array<[string, () => string[], RegExp, string?]> = [
      ['unknown flag', () => [...ok(), '--temperature', '2'], /unknown option '--temperature'/],
      ['bad JSON', () => replace(ok(), '--conditions', '{duration: 1080'), /--conditions.*malformed JSON/],
      [
        'unknown label',
        () => replace(ok(), '--conditions', '{"duration": "Note_Duration_999"}'),
        /--conditions\.duration.*unknown label/,
      ],
      [
        'unknown token type',
        () => replace(ok(), '--conditions', '{"loudness": "x"}'),
        /--conditions\.loudness.*unknown token type/,
      ],
      ['unknown mode', () => replace(ok(), '--mode', 'inference-creative'), /--mode.*unknown mode/],
      ['bad emotion', () => replace(ok(), '--emo_tag', '5'), /--emo_tag.*out of range/],
      ['unknown key', () => replace(ok(), '--key_tag', 'H:maj'), /--key_tag.*unknown key/],
      [
        'key_tag on the pretrained model',
        () =>
          referenceArgs(
            'pretrained',
            'inference-primed',
            '--conditions',
            '{"duration": "Note_Duration_1080"}',
            'A:maj',
            join(tmp, 'bad'),
          ),
        /--key_tag.*no key token/,
      ],
      [
        '--force_tokens outside forced mode',
        () => [
          ...ok().slice(0, -2),
          '--force_tokens',
          '{"duration": "Note_Duration_1080"}',
          '--out_dir',
          join(tmp, 'bad'),
        ],
        /--force_tokens.*not used by inference-primed/,
      ],
      [
        'missing model file',
        () => replace(ok(), '--load_ckt_loss', '42'),
        /loss_42_params\.json.*cannot read the model file/,
      ],
      [
        'dictionary not matching the model',
        () => replace(ok(), '--load_dict', 'dictionary.pkl'),
        /--key_tag.*no key token|do not match/,
      ],
    ];
    it.each(cases)('%s', async (_name, args, pattern) => {
      const r = await generate(args());
      expect(r.exitCode).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(pattern);
      expect(existsSync(join(tmp, 'bad'))).toBe(false);
    });

    it('corrupt model file', async () => {
      const cwd = join(tmp, 'corrupt');
      mkdirSync(join(cwd, 'checkpoints'), { recursive: true });
      mkdirSync(join(cwd, 'dataset', 'co-representation'), { recursive: true });
      copyFileSync(
        join(EMBEDDED, 'dataset', 'co-representation', 'dictionary.pkl'),
        join(cwd, 'dataset', 'co-representation', 'dictionary.pkl'),
      );
      const good = readFileSync(join(EMBEDDED, 'checkpoints', 'loss_pre_params.json'), 'utf8');
      const args = [
        '--mode',
        'inference-primed',
        '--emo_tag',
        '1',
        '--load_ckt',
        'checkpoints',
        '--load_ckt_loss',
        'pre',
        '--load_dict',
        'dictionary.pkl',
        '--out_dir',
        'out',
      ];
      for (const [text, pattern] of [
        [good.slice(0, 5000), /loss_pre_params\.json: model file is not valid JSON/],
        [
          good.replace('"format":"emotune-cp-ngram"', '"format":"other"'),
          /loss_pre_params\.json: format: not a usable embedded model file/,
        ],
        [
          good.replace(/"pitch":\[\[\["/, '"pitch":[[["x",[9999,1]],["'),
          /tables\.pitch "x": not a usable embedded model file/,
        ],
      ] as const) {
        writeFileSync(join(cwd, 'checkpoints', 'loss_pre_params.json'), text);
        const r = await generate(args, cwd);
        expect(r.exitCode).toBe(2);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(pattern);
      }
      expect(existsSync(join(cwd, 'out'))).toBe(false);
    });
  });

  describe('emotune train: bad input gives exit 2 and one line', () => {
    it.each([
      ['missing data folder', ['--data', '/nonexistent/emopia', '--out', 'x'], /labels\.csv.*cannot read labels/],
      ['bad seed', ['--data', '.', '--out', 'x', '--seed', 'abc'], /--seed: expected a non-negative integer/],
      ['missing --out', ['--data', '.'], /required option '--out <dir>'/],
    ])('%s', async (_name, args, pattern) => {
      const r = await execa('node', [...cli, 'train', ...args], { cwd: tmp, reject: false });
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    });
  });
});
