/**
 * Issue 13: small or strange inputs that used to hang, exhaust memory or escape as untyped errors (items 5, 9, 10,
 * 11, 12, 13 and the "Also" list). Anything that could hang before the fix runs in a child process with a
 * time-out, so a regression fails the test instead of stalling the suite.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmotuneError } from '../../src/errors.js';
import { parseConfig, withExperimentFolder } from '../../src/config/load.js';
import { parseJsonText } from '../../src/formats/meta.js';
import { readInputFile, readInputFileSync } from '../../src/formats/read-input.js';
import { encodeMidi } from '../../src/formats/midi-write.js';
import { parseMidi, readMidi } from '../../src/formats/midi-read.js';
import { encodeNpy } from '../../src/formats/npy.js';
import { parsePickle } from '../../src/vocab/pickle.js';

/** The pickle reader's integer cap (bytes), as documented. */
const MAX_LONG_BYTES = 1024;
import { qualityMetrics } from '../../src/metrics/quality/index.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { checkRunOutputs } from '../../src/run/check-outputs.js';
import { runPlan } from '../../src/run/run-plan.js';
import type { MidiScore, Word2Event } from '../../src/formats/types.js';
import { fakeGenerator, fixtureVocab, repoRoot, referenceConfig, tempDir, writeConfig } from '../helpers.js';

const dist = join(repoRoot, 'kernel-lib', 'dist');
const cli = join(dist, 'cli', 'main.js');
const vocab = JSON.parse(readFileSync(fixtureVocab('pretrained'), 'utf8')) as Word2Event;
const ON_LINUX = process.platform === 'linux';

/** Runs an ES module snippet against the built library in a child process; a hang is killed after `ms`. */
function isolated(code: string, ms = 20_000): { out: string; err: string; timedOut: boolean; status: number | null } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import fs from 'node:fs'; ${code}`], {
    cwd: dist,
    timeout: ms,
    encoding: 'utf8',
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 20,
  });
  return { out: r.stdout, err: r.stderr, timedOut: r.error !== undefined || r.signal === 'SIGKILL', status: r.status };
}

function toFile(bytes: Uint8Array): string {
  const file = join(tempDir(), 'input.pkl');
  writeFileSync(file, bytes);
  return file;
}

function typed(f: () => unknown): EmotuneError {
  try {
    f();
  } catch (e) {
    if (!(e instanceof EmotuneError))
      throw new Error(`untyped error: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, { cause: e });
    return e;
  }
  throw new Error('expected an EmotuneError');
}

async function typedAsync(p: Promise<unknown>): Promise<EmotuneError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof EmotuneError)) throw new Error(`expected an EmotuneError, got ${String(e)}`);
  return e;
}

/** The config of the fake-generator grid, with overrides. */
const cfg = (extra: Record<string, unknown>) => {
  const dir = tempDir();
  return parseConfig(
    referenceConfig({ generator: { command: [process.execPath, fakeGenerator], timeout_s: 20 }, ...extra }),
    dir,
    join(dir, 'config.json'),
  );
};

describe('item 5: only regular files are read, and every read is bounded', () => {
  it.skipIf(!ON_LINUX)(
    'a FIFO in place of an output is refused at once, naming it (the output check does not hang)',
    () => {
      const dir = tempDir();
      const run = join(dir, 'run');
      mkdirSync(run);
      writeFileSync(join(run, 'song.npy'), encodeNpy([2, 1], [1, 2]));
      expect(spawnSync('mkfifo', [join(run, 'song.mid')]).status).toBe(0);
      writeFileSync(
        join(run, 'song.meta.json'),
        JSON.stringify({ paths: { npy: 'song.npy', midi: 'song.mid' }, vocab_order: ['duration'] }),
      );
      const r = isolated(
        `import { checkRunOutputs } from './run/check-outputs.js'; console.log(JSON.stringify(await checkRunOutputs(${JSON.stringify(run)}, 1)));`,
      );
      expect(r.timedOut, 'the output check hung on a FIFO').toBe(false);
      const check = JSON.parse(r.out) as { ok: boolean; reason: string };
      expect(check.ok).toBe(false);
      expect(check.reason).toContain(join(run, 'song.mid'));
      expect(check.reason).toContain('a FIFO');
    },
  );

  it.skipIf(!ON_LINUX)('emotune classify /dev/zero fails at once with one line instead of reading for ever', () => {
    const r = spawnSync(process.execPath, [cli, 'classify', '/dev/zero'], {
      timeout: 20_000,
      encoding: 'utf8',
      killSignal: 'SIGKILL',
    });
    expect(r.signal, 'killed after 20 s: it kept reading /dev/zero').toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      'emotune classify: /dev/zero: cannot read file (expected a readable regular file, found a device)',
    );
  });

  it('a file over the cap is refused with its size; folders are refused as not files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'big.mid'), Buffer.alloc(5000));
    const e = await typedAsync(readInputFile(join(dir, 'big.mid'), 'midi', 4096));
    expect(e.code).toBe('midi.too-large');
    expect(e.message).toContain('expected at most 4096 bytes, found 5000 bytes');
    expect((await typedAsync(readMidi(dir))).message).toContain('found a folder');
    expect(Buffer.from(await readInputFile(join(dir, 'big.mid'), 'midi', 5000)).length).toBe(5000);
  });

  it('the synchronous reader has the same caps and errors, and reads the same bytes as the asynchronous one', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'big.mid'), Buffer.alloc(5000));
    const e = typed(() => readInputFileSync(join(dir, 'big.mid'), 'midi', {}, 4096));
    expect(e.code).toBe('midi.too-large');
    expect(e.message).toContain('expected at most 4096 bytes, found 5000 bytes');
    expect(typed(() => readInputFileSync(dir, 'midi')).message).toContain('found a folder');
    const missing = typed(() => readInputFileSync(join(dir, 'none.json'), 'reference', { message: 'cannot read x' }));
    expect([missing.code, missing.message]).toEqual([
      'reference.io',
      expect.stringMatching(/none\.json: cannot read x \(expected a readable regular file, found .*ENOENT/),
    ]);
    // Past 1 MiB the asynchronous reader goes through the thread pool: both give the file's bytes.
    const bytes = Buffer.from(Array.from({ length: 3 * 2 ** 20 + 7 }, (_, i) => (i * 31) % 256));
    writeFileSync(join(dir, 'large.npy'), bytes);
    expect(Buffer.from(readInputFileSync(join(dir, 'large.npy'), 'npy')).equals(bytes)).toBe(true);
    expect(Buffer.from(await readInputFile(join(dir, 'large.npy'), 'npy')).equals(bytes)).toBe(true);
  });

  it.skipIf(!ON_LINUX)(
    'labels.csv, a classifier model and reference statistics that are FIFOs are refused at once, naming them',
    () => {
      const dir = tempDir();
      for (const name of ['labels.csv', 'model.json', 'stats.json'])
        expect(spawnSync('mkfifo', [join(dir, name)]).status).toBe(0);
      const r = isolated(
        [
          "import { readEmopiaLabels } from './formats/emopia-labels.js';",
          "import { loadClassifier } from './metrics/edge/classifier-file.js';",
          "import { loadReferenceStats } from './reference/stats-file.js';",
          `const dir = ${JSON.stringify(dir)};`,
          'for (const f of [() => readEmopiaLabels(dir), () => loadClassifier(dir + "/model.json"), () => loadReferenceStats(dir + "/stats.json")])',
          '  try { f(); console.log("read"); } catch (e) { console.log(e.code + " " + e.message); }',
        ].join('\n'),
      );
      expect(r.timedOut, 'a loader hung on a FIFO').toBe(false);
      expect(r.out.trim().split('\n')).toEqual([
        `emopia.io ${join(dir, 'labels.csv')}: cannot read labels (expected an EMOPIA folder with labels.csv and midis/, found a FIFO (named pipe))`,
        `classifier.io ${join(dir, 'model.json')}: cannot read classifier model (expected a model JSON written by \`emotune train-classifier\`, found a FIFO (named pipe))`,
        `reference.io ${join(dir, 'stats.json')}: cannot read reference statistics (expected the JSON written by \`emotune build-reference\`, found a FIFO (named pipe))`,
      ]);
    },
  );
});

describe('items 9, 10, 13 and Also: the config and the command line refuse what would mislead', () => {
  it('item 9: repeated grid values are refused, naming the field', () => {
    for (const [field, value] of [
      ['emotions', [1, 1, 2]],
      ['modes', ['inference-primed', 'inference-primed']],
      ['keys', ['A:maj', 'A:maj']],
      ['tokens_of_interest', ['duration', 'duration']],
    ] as const) {
      const e = typed(() => cfg({ [field]: value }));
      expect(e.message).toMatch(
        new RegExp(
          `^.*config\\.json: ${field}: invalid configuration \\(expected each value once \\(items \\d and \\d are the same\\)`,
        ),
      );
    }
  });

  it('item 10: time-outs beyond 30 days (or Infinity from 1e400) are refused, generator and classifier alike', () => {
    expect(typed(() => cfg({ generator: { command: ['x'], timeout_s: 3e6 } })).field).toBe('generator.timeout_s');
    expect(typed(() => cfg({ classifier: { command: ['x', '{midi}'], timeout_s: JSON.parse('1e400') } })).field).toBe(
      'classifier.timeout_s',
    );
    expect(cfg({ generator: { command: ['x'], timeout_s: 2_592_000 } }).generator.timeout_s).toBe(2_592_000);
  });

  it('item 13: random_seed 1e400 (Infinity) is refused', () => {
    const e = typed(() =>
      parseConfig(
        JSON.parse(JSON.stringify(referenceConfig()).replace('"random_seed":2084', '"random_seed":1e400')),
        tempDir(),
      ),
    );
    expect(e.field).toBe('random_seed');
    expect(e.message).toContain('found Infinity');
  });

  it('item 13: a 200,000-deep JSON is a typed one-line error in every JSON reader', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(typed(() => parseJsonText(deep, 'x.json')).code).toBe('json.too-deep');
    const raw = referenceConfig({ description: JSON.parse(deep) });
    const e = typed(() => parseConfig(raw, tempDir(), 'config.json'));
    expect(e.message).toBe(
      'config.json: JSON nested too deeply (expected at most 256 levels of arrays/objects, found deeper nesting)',
    );
  });

  it('Also: --exp "" is refused instead of writing into the current folder', () => {
    expect(typed(() => withExperimentFolder(cfg({}), '')).field).toBe('--exp');
    const dir = tempDir();
    const r = spawnSync(
      process.execPath,
      [
        cli,
        'plan',
        '--config',
        writeConfig(dir, referenceConfig({ paths: { dataset_root: 'd', transformer: '.', exp: 'exp' } })),
        '--exp',
        '',
      ],
      { cwd: dir, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--exp: empty experiment folder');
  });

  it('Also: --concurrency above the config cap (256) is refused before anything runs', async () => {
    const c = cfg({ emotions: [1] });
    const e = await typedAsync(
      runPlan({ config: c, plan: buildPlan(c, { scratch: vocab, pretrained: vocab }), concurrency: 100_000 }),
    );
    expect(e.message).toBe(
      '--concurrency: concurrency out of range (expected a whole number from 1 to 256 (as in the config), found 100000)',
    );
    expect(existsSync(c.paths.exp)).toBe(false);
  });

  it('Also: a misspelt token of interest is refused instead of planning 0 runs for it', () => {
    const c = cfg({ tokens_of_interest: ['duration', 'velocty'] });
    const e = typed(() => buildPlan(c, { scratch: vocab, pretrained: vocab }));
    expect(e.field).toBe('tokens_of_interest[1]');
    expect(e.message).toContain('found "velocty"');
    expect(e.message).toContain('velocity');
  });
});

describe('item 11: a pickle cannot buy unbounded work', () => {
  /** 1.5 KB: 40 levels of lists that each hold the previous one ten times (10^40 leaves when printed). */
  function billionLaughs(): Uint8Array {
    const b: number[] = [0x80, 0x02, 0x5d, 0x71, 0]; // PROTO 2, EMPTY_LIST, BINPUT 0
    for (let level = 1; level <= 40; level++) {
      b.push(0x28); // MARK
      for (let k = 0; k < 10; k++) b.push(0x68, level - 1); // BINGET previous
      b.push(0x6c, 0x71, level); // LIST, BINPUT level
    }
    // (event2word = {}, word2event = {"duration": <level 40>}): the word2event check must describe the bad value.
    b.push(0x7d, 0x7d, 0x8c, 8, ...Buffer.from('duration'), 0x68, 40, 0x73, 0x86, 0x2e);
    return Uint8Array.from(b);
  }

  it('a billion-laughs pickle of shared references is refused at once, with a short message', () => {
    const dir = tempDir();
    const file = join(dir, 'laughs.pkl');
    const bytes = billionLaughs();
    expect(bytes.length).toBeLessThan(1600);
    writeFileSync(file, bytes);
    const r = isolated(
      `import { readDictionaryPkl } from './vocab/pickle.js'; try { await readDictionaryPkl(${JSON.stringify(file)}); console.log('accepted'); } catch (e) { console.log(e.name + ': ' + e.message); }`,
    );
    expect(r.timedOut, 'the error message tried to print 10^40 items').toBe(false);
    expect(r.out).toMatch(/^EmotuneError: .*laughs\.pkl: word2event\.duration: /);
    expect(r.out.length).toBeLessThan(400);
  });

  it('a 400 KB LONG4 integer is refused at once; integers up to the cap still decode exactly', () => {
    const n = 400_000;
    const big = new Uint8Array(7 + n);
    big.set([0x80, 0x02, 0x8b]);
    new DataView(big.buffer).setInt32(3, n, true);
    big.fill(0x11, 7);
    const huge = Uint8Array.from([...big, 0x2e]);
    const r = isolated(
      `import { parsePickle } from './vocab/pickle.js'; const b = new Uint8Array(fs.readFileSync(${JSON.stringify(toFile(huge))})); try { parsePickle(b, 'x.pkl'); console.log('accepted'); } catch (e) { console.log(e.code); }`,
    );
    expect(r.timedOut).toBe(false);
    expect(r.out.trim()).toBe('pickle.too-large');
    // MAX_LONG_BYTES bytes of 0x11 (positive): the value is sum 0x11 * 256^i, i.e. hex "11" repeated.
    const ok = Uint8Array.from([
      0x80,
      0x02,
      0x8b,
      MAX_LONG_BYTES & 0xff,
      (MAX_LONG_BYTES >> 8) & 0xff,
      0,
      0,
      ...new Array(MAX_LONG_BYTES).fill(0x11),
      0x2e,
    ]);
    expect(parsePickle(ok)).toBe(BigInt(`0x${'11'.repeat(MAX_LONG_BYTES)}`));
    const neg = Uint8Array.from([0x80, 0x02, 0x8a, 2, 0x00, 0xff, 0x2e]); // LONG1 0xff00 as signed 16-bit: -256
    expect(parsePickle(neg)).toBe(-256);
  });

  it('a set of 200,000 distinct items is built in linear time (ADDITEMS used to rescan the set per item)', () => {
    const items: number[] = [];
    for (let i = 0; i < 200_000; i++) items.push(0x4a, i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, 0); // BININT i
    const bytes = Uint8Array.from([0x80, 0x04, 0x8f, 0x28, ...items, 0x90, 0x2e]);
    const r = isolated(
      `import { parsePickle } from './vocab/pickle.js'; const b = new Uint8Array(fs.readFileSync(${JSON.stringify(toFile(bytes))})); console.log(parsePickle(b).length);`,
    );
    expect(r.timedOut).toBe(false);
    expect(r.out.trim()).toBe('200000');
  });
});

describe('item 12: absurd durations are a per-file error and never end a batch', () => {
  /** About 2 KB: notes hundreds of thousands of beats long. */
  const longNotes = () =>
    encodeMidi({
      ticksPerBeat: 480,
      notes: Array.from({ length: 60 }, (_, i) => ({
        pitch: 40 + i,
        velocity: 80,
        start: i * 2 ** 27,
        end: (i + 2) * 2 ** 27,
        channel: 0,
        track: 0,
      })),
    });

  it('parseMidi refuses a song of more than 100,000 beats with a one-line typed error', () => {
    const bytes = longNotes();
    expect(bytes.length).toBeLessThan(2500);
    const e = typed(() => parseMidi(bytes, 'long.mid'));
    expect(e.code).toBe('midi.too-long');
    expect(e.message).toMatch(
      /^long\.mid: tracks: song is absurdly long \(expected at most 100000 beats, found \d+ beats/,
    );
  });

  it('emotune classify goes on with the next file after one that fails', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'long.mid'), longNotes());
    const good = join(repoRoot, 'kernel-lib', 'test', 'fixtures', 'midi', 'small-piano.mid');
    const r = spawnSync(process.execPath, [cli, 'classify', join(dir, 'long.mid'), good], {
      timeout: 60_000,
      encoding: 'utf8',
      killSignal: 'SIGKILL',
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('long.mid: tracks: song is absurdly long');
    expect(r.stdout).toMatch(new RegExp(`${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is emotion Q[1-4]`));
  });
});

describe('item 13: groove consistency and odd time signatures', () => {
  const score = (denominator: number): MidiScore => ({
    ticksPerBeat: 480,
    tempos: [],
    keySignatures: [],
    drumChannels: [],
    maxTick: 4000,
    timeSignatures: [{ tick: 0, numerator: 4, denominator }],
    notes: [0, 480, 960, 1920, 2400].map((start) => ({
      pitch: 60,
      velocity: 80,
      start,
      end: start + 240,
      channel: 0,
      track: 0,
    })),
  });

  for (const d of [2 ** 17, 2 ** 30, -4]) {
    it(`a denominator of ${d} is a typed error naming the time signature, not a RangeError`, () => {
      const e = typed(() => qualityMetrics(score(d)));
      expect(e.code).toBe('quality.time-signature');
      expect(e.field).toBe('time_signature');
    });
  }

  it('ordinary denominators still measure', () => {
    expect(Number.isFinite(qualityMetrics(score(4)).groove_consistency)).toBe(true);
  });
});

describe('Also: token indices outside the vocabulary make a run invalid', () => {
  it('an index the vocabulary lacks is named with its row, column and type', async () => {
    const dir = tempDir();
    const order = ['type', 'duration'];
    writeFileSync(join(dir, 'song.npy'), encodeNpy([3, 2], [1, 2, 2, 3, 3, 99]));
    writeFileSync(
      join(dir, 'song.mid'),
      encodeMidi({ ticksPerBeat: 480, notes: [{ pitch: 60, velocity: 80, start: 0, end: 480, channel: 0, track: 0 }] }),
    );
    writeFileSync(
      join(dir, 'song.meta.json'),
      JSON.stringify({ paths: { npy: 'song.npy', midi: 'song.mid' }, vocab_order: order }),
    );
    const check = await checkRunOutputs(dir, 1, vocab);
    expect(check).toMatchObject({ ok: false });
    expect(check.reason).toBe(
      `${join(dir, 'song.npy')}: row 2 column 1 (duration) holds index 99, which the vocabulary does not have`,
    );
    writeFileSync(join(dir, 'song.npy'), encodeNpy([3, 2], [1, 2, 2, 3, 3, 17]));
    expect((await checkRunOutputs(dir, 1, vocab)).ok).toBe(true);
  });
});
