import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import {
  chooseBestKeyMethod,
  validateKeyMethods,
  type MethodGroupFigures,
} from '../../src/metrics/key-methods/key-validation.js';
import { wilsonInterval } from '../../src/stats/wilson.js';
import { parseCsv, register } from '../../src/cli/commands/validate.js';
import { encodeMidi } from '../../src/formats/midi-write.js';
import type { MidiNote } from '../../src/formats/types.js';
import { loadClassifier } from '../../src/metrics/edge/classifier-file.js';
import { fixtureDir } from '../metrics/emotion-builtin/helpers.js';

const scale = (tonic: number, minor: boolean): MidiNote[] => {
  const steps = minor ? [0, 2, 3, 5, 7, 8, 11, 12, 7, 3, 0] : [0, 2, 4, 5, 7, 9, 11, 12, 7, 4, 0];
  return steps.map((s, i) => ({
    pitch: 60 + tonic + s,
    start: i * 480,
    end: i * 480 + (s % 12 === 0 || s === 7 ? 960 : 480),
    velocity: 80,
    channel: 0,
    track: 0,
  }));
};

describe('parseCsv', () => {
  it('reads quoted fields with commas and doubled quotes, and CRLF line ends', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
  });
});

describe('chooseBestKeyMethod', () => {
  const fig = (method: string, acc: number, mirex: number): MethodGroupFigures => ({
    method,
    group: 'all',
    n: 10,
    accuracy: { ...wilsonInterval(acc, 10) },
    mirex: { estimate: mirex, lower: 0, upper: 1, confidence: 0.95, n: 10, method: 'bootstrap-percentile' },
    mirexAscending: mirex,
    categories: { correct: acc, fifth: 0, relative: 0, parallel: 0, other: 10 - acc },
  });
  it('takes the highest MIREX, then the higher accuracy, then the earlier method', () => {
    expect(chooseBestKeyMethod([fig('a', 8, 0.9), fig('b', 7, 0.95)], ['a', 'b'])).toBe('b');
    expect(chooseBestKeyMethod([fig('a', 8, 0.9), fig('b', 9, 0.9)], ['a', 'b'])).toBe('b');
    expect(chooseBestKeyMethod([fig('a', 9, 0.9), fig('b', 9, 0.9)], ['a', 'b'])).toBe('a');
  });
});

describe('validateKeyMethods', () => {
  it("reports every method per group, pairs each with the reference notebook's method, and builds confusion matrices", () => {
    const pieces = [
      { file: 'x/c.mid', reference: 'C:maj', groups: ['x', 'clear'], notes: scale(0, false) },
      { file: 'x/a.mid', reference: 'A:min', groups: ['x', 'clear'], notes: scale(9, true) },
      { file: 'y/d.mid', reference: 'D:maj', groups: ['y', 'modal:mix'], notes: scale(2, false) },
    ];
    const v = validateKeyMethods(pieces, ['kk-cosine', 'albrecht-cosine'], { seed: 1, resamples: 200 });
    expect(v.groups).toEqual(['all', 'x', 'clear', 'y', 'modal:mix']);
    expect(v.figures).toHaveLength(10);
    const all = v.figures.find((f) => f.method === 'albrecht-cosine' && f.group === 'all')!;
    expect(all.accuracy).toMatchObject({ estimate: 1, upper: 1 });
    expect(Object.keys(v.versusReference)).toEqual(['albrecht-cosine']);
    expect(v.confusion['kk-cosine']!.total).toBe(3);
    expect(v.pieces[1]!.detected['albrecht-cosine']).toBe('A:min');
  });
});

/** Runs the command on a fresh program, capturing what it prints (stderr into `warned`). */
async function runValidate(argv: string[], warned: string[] = []): Promise<string> {
  const program = new Command().exitOverride();
  register(program);
  const write = process.stdout.write;
  const writeErr = process.stderr.write;
  let printed = '';
  process.stdout.write = ((s: string) => {
    printed += s;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => {
    warned.push(s);
    return true;
  }) as typeof process.stderr.write;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
  return printed;
}

describe('emotune validate', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes a Markdown report with every method, the reference notebook's baseline and the reproduce command", async () => {
    dir = await mkdtemp(join(tmpdir(), 'emotune-validate-'));
    await mkdir(join(dir, 'keys', 'set'), { recursive: true });
    const labels = ['file,key,confidence,source,source_path'];
    for (const [name, tonic, minor] of [
      ['c', 0, false],
      ['g', 7, false],
      ['e', 4, true],
      ['b', 11, true],
    ] as const) {
      await writeFile(
        join(dir, 'keys', 'set', `${name}.mid`),
        encodeMidi({ ticksPerBeat: 480, notes: scale(tonic, minor) }),
      );
      labels.push(
        `set/${name}.mid,${['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'][tonic]}:${minor ? 'min' : 'maj'},clear,hand-made,-`,
      );
    }
    await writeFile(join(dir, 'keys', 'labels.csv'), `${labels.join('\n')}\n`);
    const out = join(dir, 'docs', 'validation.md');
    const printed = await runValidate(['validate', '--keys', join(dir, 'keys'), '--out', out, '--resamples', '200']);
    const md = await readFile(out, 'utf8');
    expect(md).toContain('**kk-cosine** (reference notebook, baseline)');
    for (const m of ['kk-pearson', 'temperley-cosine', 'aarden-pearson', 'bellman-cosine', 'albrecht-pearson'])
      expect(md).toContain(`| ${m}`);
    expect(md).toContain(`validate --keys ${join(dir, 'keys')} --out ${out} --resamples 200`);
    expect(md).toContain('4 MIDI files with known keys (set: 4; clear: 4)');
    expect(md).toMatch(/Not measured in this run: no --emopia folder given/);
    expect(printed).toMatch(/best \S+ accuracy 100\.0%/);
    // Same data, same seed: the same file.
    await rm(out);
    await runValidate(['validate', '--keys', join(dir, 'keys'), '--out', out, '--resamples', '200']);
    expect(await readFile(out, 'utf8')).toBe(md);
  });

  it('flags EMOPIA clips from songs the classifier was trained on, read from clip names when labels.csv has no song_id', async () => {
    const emopia = join(dir, 'emopia');
    await mkdir(join(emopia, 'midis'), { recursive: true });
    // Three val clips, and one copied under the name of a song the shipped classifier was trained on.
    const trainedSong = loadClassifier().training.songs![0]!;
    const names = ['Q1_0vLPYiPN7qY_0', 'Q1_8rupdevqfuI_1', 'Q1_9v2WSpn4FCw_2'];
    for (const n of names) await copyFile(join(fixtureDir, 'midis', `${n}.mid`), join(emopia, 'midis', `${n}.mid`));
    await copyFile(join(fixtureDir, 'midis', `${names[0]}.mid`), join(emopia, 'midis', `Q1_${trainedSong}_9.mid`));
    const rows = [...names, `Q1_${trainedSong}_9`].map((n) => `midis/${n}.mid,Q1,val`);
    await writeFile(join(emopia, 'labels.csv'), `file,quadrant,split\n${rows.join('\n')}\n`);
    const out = join(dir, 'docs', 'validation-emopia.md');
    const warned: string[] = [];
    await runValidate(
      ['validate', '--keys', join(dir, 'keys'), '--emopia', emopia, '--out', out, '--resamples', '200'],
      warned,
    );
    const md = await readFile(out, 'utf8');
    expect(md).toContain(
      '(4 clips; **not song-disjoint from training**: 1 of its 4 clips (1 of 4 songs) come from songs',
    );
    expect(warned.join('')).toContain(
      'emotune validate: warning: 1 of 4 clips of split "val" come from songs the classifier was trained on',
    );
  });

  it('says on stderr and in the exit code that an --emopia folder it cannot read left the classifier unmeasured', async () => {
    const out = join(dir, 'docs', 'validation-bad-emopia.md');
    const warned: string[] = [];
    try {
      await runValidate(
        [
          'validate',
          '--keys',
          join(dir, 'keys'),
          '--emopia',
          join(dir, 'no-emopia'),
          '--out',
          out,
          '--resamples',
          '200',
        ],
        warned,
      );
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = undefined;
    }
    expect(warned.join('')).toMatch(
      /^emotune validate: classifier figures not measured: .*no-emopia\/labels\.csv: cannot read labels/,
    );
    expect(await readFile(out, 'utf8')).toContain('Not measured in this run:');
  });

  it('names labels.csv when the folder has none', async () => {
    await expect(runValidate(['validate', '--keys', join(tmpdir(), 'no-such-emotune-dir')])).rejects.toThrow(
      /labels\.csv/,
    );
  });
});
