// How an analysis classifies: the built-in classifier in worker threads gives what its process gives; a
// `{midis}` command classifies many files with one process (one model load) and one result block per file.
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkClassifierPlaceholders } from '../../src/config/classifier-placeholders.js';
import { batchingClassifier } from '../../src/metrics/classify-batches.js';
import { openClassifierSession } from '../../src/metrics/edge/classifier-session.js';
import { batchClassifierArgv, splitBatchOutput } from '../../src/metrics/emotion-batch.js';
import type { EmotionOutcome } from '../../src/metrics/emotion-command.js';
import { classifyBatch, classifyMidi } from '../../src/metrics/edge/classifier-process.js';
import { cliMainPath, packageRoot } from '../../src/package-paths.js';
import { tempDir } from '../helpers.js';

const parityExp = join(packageRoot, 'test', 'fixtures', 'parity-sample', 'exp');

/** Real MIDI files from the fixtures, copied to a temp folder, plus one file that is not MIDI. */
function midiFolder(): { dir: string; files: string[] } {
  const dir = tempDir('emotune-session-');
  const files: string[] = [];
  for (const run of readdirSync(parityExp)
    .filter((n) => !n.endsWith('.json'))
    .sort()
    .slice(0, 7)) {
    for (const n of readdirSync(join(parityExp, run)).filter((x) => x.endsWith('.mid'))) {
      const to = join(dir, `${run.slice(-4)}-${n}`);
      copyFileSync(join(parityExp, run, n), to);
      files.push(to);
    }
  }
  copyFileSync(join(packageRoot, 'test', 'fixtures', 'midi', 'small-piano.mid'), join(dir, 'small piano.mid'));
  files.push(join(dir, 'small piano.mid'));
  writeFileSync(join(dir, 'broken.mid'), 'not a midi file');
  files.push(join(dir, 'broken.mid'));
  return { dir, files };
}

describe('the built-in classifier in worker threads', () => {
  it('gives each file the outcome its own `emotune classify` process gives (failures included)', async () => {
    const { dir, files } = midiFolder();
    const perProcess = await Promise.all(
      files.map((f) => classifyMidi(f, { command: ['emotune', 'classify', '{midi}'], cwd: dir, timeout_s: 60 })),
    );
    for (const command of [
      ['emotune', 'classify', '{midi}'],
      ['emotune', 'classify', '{midis}'],
    ]) {
      const session = openClassifierSession({ command, cwd: dir, timeout_s: 60 }, 2);
      try {
        expect(await Promise.all(files.map((f) => session.classify(f)))).toEqual(perProcess);
      } finally {
        await session.close();
      }
    }
    expect(perProcess.filter((o) => o.ok).length).toBe(files.length - 1);
    expect(perProcess.at(-1)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^exit code 1: emotune classify: .*broken\.mid/),
    });
  }, 120_000);
});

/** A stand-in external classifier that takes many files: logs each start (a "model load"), prints a block per file. */
function batchScript(
  dir: string,
  opts: { named?: boolean; failOn?: string } = {},
): { script: string; loads: () => number } {
  const log = join(dir, 'loads.log');
  writeFileSync(log, '');
  const script = join(dir, 'batch-cls.mjs');
  writeFileSync(
    script,
    `
import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(log)}, 'load\\n');
let bad = false;
for (const f of process.argv.slice(2)) {
  if (${JSON.stringify(opts.failOn ?? '\u0000')} && f.endsWith(${JSON.stringify(opts.failOn ?? '\u0000')})) { console.error('cannot read ' + f); bad = true; continue; }
  const q = 1 + (f.length % 4);
  console.log('========');
  console.log(${opts.named === false ? "'this file'" : 'f'} + ' is emotion Q' + q);
  console.log('Inference values: [' + [1, 2, 3, 4].map((i) => (i === q ? 0.7 : 0.1).toFixed(6)).join(' ') + ']');
}
process.exit(bad ? 1 : 0);
`,
  );
  return { script, loads: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length };
}

const expected = (f: string): EmotionOutcome => {
  const q = 1 + (f.length % 4);
  return { ok: true, file: f, emotion: q, values: [1, 2, 3, 4].map((i) => (i === q ? 0.7 : 0.1)) };
};

describe('the {midis} batch protocol', () => {
  it('expands {midis} into one argument per file, nothing else touched', () => {
    expect(batchClassifierArgv(['python3', 'cls.py', '--files', '{midis}', '--cpu'], ['/a b/x.mid', 'y.mid'])).toEqual([
      'python3',
      'cls.py',
      '--files',
      '/a b/x.mid',
      'y.mid',
      '--cpu',
    ]);
  });

  it('classifies 10 files with batch_size 4 in three processes, results in file order', async () => {
    const dir = tempDir('emotune-batch-');
    const { script, loads } = batchScript(dir);
    const files = Array.from({ length: 10 }, (_, i) => join(dir, `${'x'.repeat(i)}song ${i}.mid`));
    const session = openClassifierSession(
      { command: [process.execPath, script, '{midis}'], cwd: dir, timeout_s: 30, batch_size: 4 },
      1,
    );
    expect(await Promise.all(files.map((f) => session.classify(f)))).toEqual(files.map(expected));
    expect(loads()).toBe(3);
  }, 60_000);

  it('keeps the other files of a batch when one fails, and names the failure', async () => {
    const dir = tempDir('emotune-batch-');
    const { script } = batchScript(dir, { failOn: 'bad.mid' });
    const files = ['a.mid', 'bad.mid', 'ccc.mid'].map((n) => join(dir, n));
    const out = await classifyBatch(files, { command: [process.execPath, script, '{midis}'], cwd: dir, timeout_s: 30 });
    expect(out[0]).toEqual(expected(files[0]!));
    expect(out[2]).toEqual(expected(files[2]!));
    expect(out[1]).toEqual({ ok: false, file: files[1], reason: `exit code 1: cannot read ${files[1]}` });
  }, 60_000);

  it('assigns blocks by position when the blocks do not name the files', async () => {
    const dir = tempDir('emotune-batch-');
    const { script } = batchScript(dir, { named: false });
    const files = ['a.mid', 'bb.mid'].map((n) => join(dir, n));
    expect(
      await classifyBatch(files, { command: [process.execPath, script, '{midis}'], cwd: dir, timeout_s: 30 }),
    ).toEqual(files.map(expected));
  }, 60_000);

  it('fails every file of a batch whose unnamed blocks are fewer than its files, instead of shifting answers', async () => {
    const dir = tempDir('emotune-batch-');
    const { script } = batchScript(dir, { named: false, failOn: 'bad.mid' });
    const files = ['a.mid', 'bad.mid', 'ccc.mid'].map((n) => join(dir, n));
    const out = await classifyBatch(files, { command: [process.execPath, script, '{midis}'], cwd: dir, timeout_s: 30 });
    for (const o of out) {
      expect(o.ok).toBe(false);
      expect(!o.ok && o.reason).toMatch(/2 result block\(s\) for 3 file\(s\).*exited with code 1$/);
    }
    expect(out.map((o) => o.file)).toEqual(files);
  }, 60_000);

  it('fails every file of a batch that times out', async () => {
    const dir = tempDir('emotune-batch-');
    const script = join(dir, 'hang.mjs');
    writeFileSync(script, 'setInterval(() => {}, 1000);');
    const out = await classifyBatch(['a.mid', 'b.mid'], {
      command: [process.execPath, script, '{midis}'],
      cwd: dir,
      timeout_s: 0.2,
    });
    expect(out.map((o) => !o.ok && o.reason)).toEqual([
      'time-out after 0.4 s for a batch of 2 file(s) (process tree killed)',
      'time-out after 0.4 s for a batch of 2 file(s) (process tree killed)',
    ]);
  }, 60_000);

  it('the built-in classifier speaks the protocol: `emotune classify {midis}` as a process', async () => {
    const { dir, files } = midiFolder();
    const perFile = await Promise.all(
      files.map((f) => classifyMidi(f, { command: ['emotune', 'classify', '{midi}'], cwd: dir, timeout_s: 60 })),
    );
    const batch = await classifyBatch(files, {
      command: [process.execPath, cliMainPath, 'classify', '{midis}'],
      cwd: dir,
      timeout_s: 60,
    });
    expect(batch.slice(0, -1)).toEqual(perFile.slice(0, -1));
    expect(batch.at(-1)).toMatchObject({ ok: false, reason: expect.stringMatching(/broken\.mid/) });
  }, 120_000);
});

describe('a process per file ({midi})', () => {
  it('never runs more classifier processes than the concurrency asked for, however many files are asked at once', async () => {
    const dir = tempDir('emotune-perfile-');
    const log = join(dir, 'events.log');
    writeFileSync(log, '');
    const script = join(dir, 'cls.mjs');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(log)}, '+\\n');
await new Promise((r) => setTimeout(r, 600));
appendFileSync(${JSON.stringify(log)}, '-\\n');
console.log(process.argv[2] + ' is emotion Q1');
console.log('Inference values: [1 0 0 0]');
`,
    );
    const session = openClassifierSession(
      { command: [process.execPath, script, '{midi}'], cwd: dir, timeout_s: 60 },
      2,
    );
    const files = Array.from({ length: 6 }, (_, i) => join(dir, `f${i}.mid`));
    const out = await Promise.all(files.map((f) => session.classify(f)));
    expect(out.every((o) => o.ok)).toBe(true);
    let running = 0;
    let most = 0;
    for (const e of readFileSync(log, 'utf8').split('\n').filter(Boolean))
      most = Math.max(most, (running += e === '+' ? 1 : -1));
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2); // unlimited, the six 0.6 s processes would overlap far more
  }, 60_000);
});

describe('splitBatchOutput', () => {
  it('gives each file its block by name, whatever the order, and undefined where none', () => {
    const out =
      'loading model\n/x/b.mid is emotion Q2\nInference values: [1 2]\n/x/a.mid is emotion Q1\nInference values: [3 4]\n';
    expect(splitBatchOutput(out, ['/x/a.mid', '/x/b.mid', '/x/c.mid']).blocks).toEqual([
      '/x/a.mid is emotion Q1\nInference values: [3 4]\n',
      '/x/b.mid is emotion Q2\nInference values: [1 2]\n',
      undefined,
    ]);
  });

  it('never claims a longer name for a shorter path', () => {
    const out = '/x/ab.mid is emotion Q2\nInference values: [1]\n/x/a is emotion Q1\nInference values: [2]\n';
    expect(splitBatchOutput(out, ['/x/a', '/x/ab.mid']).blocks).toEqual([
      '/x/a is emotion Q1\nInference values: [2]\n',
      '/x/ab.mid is emotion Q2\nInference values: [1]\n',
    ]);
  });

  it('pairs blocks that name no file by order only when there are as many blocks as files', () => {
    const block = (q: number) => `song is emotion Q${q}\nInference values: [${q}]\n`;
    const files = ['/x/a.mid', '/x/b.mid', '/x/c.mid'];
    expect(splitBatchOutput(block(1) + block(2) + block(3), files)).toEqual({
      blocks: [block(1), block(2), block(3)],
    });
    // One file skipped: pairing by order would give b's answer to c; no file gets a block, and the reason says why.
    const short = splitBatchOutput(block(1) + block(3), files);
    expect(short.blocks).toEqual([undefined, undefined, undefined]);
    expect(short.unpaired).toMatch(/2 result block\(s\) for 3 file\(s\).*print each file's path/);
    expect(splitBatchOutput(block(1) + block(2) + block(3) + block(4), files).blocks).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(splitBatchOutput('loading model\n', files)).toEqual({ blocks: [undefined, undefined, undefined] });
  });

  it('on any output: one entry per file, each a piece of the output holding an emotion line', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        (out, files) => {
          const { blocks } = splitBatchOutput(out, files);
          expect(blocks).toHaveLength(files.length);
          for (const b of blocks) if (b !== undefined) expect(out.includes(b) && /is emotion Q\d+/.test(b)).toBe(true);
        },
      ),
    );
  });
});

describe('batchingClassifier', () => {
  it('sends full batches at once and a partial one after a quiet spell, never more than `parallel` at a time', async () => {
    const sizes: number[] = [];
    let running = 0;
    let most = 0;
    const classify = batchingClassifier(
      async (files) => {
        sizes.push(files.length);
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return files.map((file): EmotionOutcome => ({ ok: true, file, emotion: 1, values: [] }));
      },
      { batchSize: 4, parallel: 2, waitMs: 5 },
    );
    const files = Array.from({ length: 11 }, (_, i) => `f${i}`);
    const out = await Promise.all(files.map((f) => classify(f)));
    expect(out.map((o) => o.file)).toEqual(files);
    expect(sizes).toEqual([4, 4, 3]);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2); // unlimited, the six 0.6 s processes would overlap far more
  });

  it('fails the files of a batch that throws, with the reason', async () => {
    const classify = batchingClassifier(
      async () => {
        throw new Error('model missing');
      },
      { batchSize: 2, parallel: 1, waitMs: 1 },
    );
    expect(await Promise.all(['a', 'b', 'c'].map((f) => classify(f)))).toEqual(
      ['a', 'b', 'c'].map((file) => ({ ok: false, file, reason: 'model missing' })),
    );
  });
});

describe('classifier placeholders in the config', () => {
  it('accepts {midi} or a {midis} argument, and explains every other combination', () => {
    expect(() => checkClassifierPlaceholders({ command: ['cls', '--file={midi}'] })).not.toThrow();
    expect(() => checkClassifierPlaceholders({ command: ['cls', '{midis}'], batch_size: 8 })).not.toThrow();
    expect(() => checkClassifierPlaceholders({ command: ['cls', '--files={midis}'] }, 'c.json')).toThrow(
      /c\.json: classifier\.command: \{midis\} must be an argument of its own/,
    );
    expect(() => checkClassifierPlaceholders({ command: ['cls', '{midi}', '{midis}'] })).toThrow(/mixes placeholders/);
    expect(() => checkClassifierPlaceholders({ command: ['cls'] })).toThrow(/no \{midi\} placeholder/);
    expect(() => checkClassifierPlaceholders({ command: ['cls', '{midi}'], batch_size: 8 })).toThrow(
      /classifier\.batch_size: batch_size needs a \{midis\} argument/,
    );
  });
});
