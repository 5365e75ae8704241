import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifierArgv, parseClassifierOutput } from '../../src/metrics/emotion-command.js';
import { classifyMidi } from '../../src/metrics/edge/classifier-process.js';
import { cliMainPath } from '../../src/package-paths.js';
import { tempDir } from '../helpers.js';

describe('parseClassifierOutput', () => {
  it('reads "is emotion Q<n>" and the inference values (numpy spacing, commas, nan)', () => {
    expect(
      parseClassifierOutput('loading\nfile x.mid is emotion Q3\nInference values: [ 0.1 -2.5e-01  3.  nan]\n'),
    ).toEqual({ emotion: 3, values: [0.1, -0.25, 3, NaN] });
    expect(parseClassifierOutput('is emotion Q1\nInference values: [1.0, 2.0]')).toEqual({
      emotion: 1,
      values: [1, 2],
    });
  });

  it('explains what is missing or unreadable', () => {
    expect(parseClassifierOutput('Inference values: [1 2]')).toMatch(/is emotion Q/);
    expect(parseClassifierOutput('is emotion Q2')).toEqual({ emotion: 2, values: [] }); // the values line is optional
    expect(parseClassifierOutput('is emotion Q2\nInference values: [1 abc]')).toMatch(/"abc"/);
  });

  it('refuses a quadrant outside Q1..Q4 (a zero-based classifier) instead of counting it as a miss', () => {
    for (const q of ['0', '5', '12', '007'])
      expect(parseClassifierOutput(`x.mid is emotion Q${q}\nInference values: [1 2 3 4]`), q).toMatch(
        new RegExp(`"is emotion Q${q}" is not one of EMOPIA's quadrants Q1..Q4`),
      );
    expect(parseClassifierOutput('is emotion Q04')).toEqual({ emotion: 4, values: [] });
  });
});

describe('parseClassifierOutput on random output', () => {
  it('never throws: an answer or a reason', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const r = parseClassifierOutput(s);
        expect(typeof r === 'string' || (Number.isInteger(r.emotion) && Array.isArray(r.values))).toBe(true);
      }),
    );
  });

  it('reads back what a classifier prints, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 6 }),
        fc.string({ maxLength: 40 }).filter((s) => !s.includes('is emotion') && !s.includes('Inference')),
        (q, vals, noise) => {
          const out = `${noise}\nfile a.mid is emotion Q${q}\nInference values: [${vals.map((v) => v.toFixed(4)).join(' ')}]\n${noise}`;
          expect(parseClassifierOutput(out)).toEqual({ emotion: q, values: vals.map((v) => Number(v.toFixed(4))) });
        },
      ),
    );
  });
});

describe('classifierArgv', () => {
  it('replaces {midi} inside any argument and keeps the rest as given', () => {
    expect(classifierArgv(['python3', 'cls.py', '--file={midi}', '{midi}'], '/a b/x.mid')).toEqual([
      'python3',
      'cls.py',
      '--file=/a b/x.mid',
      '/a b/x.mid',
    ]);
  });

  it('maps a leading "emotune" to this package\'s CLI run by the current node', () => {
    const argv = classifierArgv(['emotune', 'classify', '{midi}'], 'x.mid');
    expect(argv[0]).toBe(process.execPath);
    expect(argv[1]).toBe(cliMainPath);
    expect(argv[1]).toMatch(/dist[/\\]cli[/\\]main\.js$/);
    expect(argv.slice(2)).toEqual(['classify', 'x.mid']);
  });
});

function script(dir: string, name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}

describe('classifyMidi runs the command per file', () => {
  const dir = tempDir('emotune-cls-');
  const midi = join(dir, 'song.mid');
  writeFileSync(midi, 'not really midi');

  it('returns the prediction, running in the configured folder with the path as an argument', async () => {
    const s = script(
      dir,
      'ok.mjs',
      "import {existsSync} from 'node:fs'; if (!existsSync('ok.mjs')) process.exit(3); console.log(`${process.argv[2]} is emotion Q4`); console.log('Inference values: [0.5 1.5 -1 2]');",
    );
    const r = await classifyMidi(midi, { command: [process.execPath, s, '{midi}'], cwd: dir, timeout_s: 30 });
    expect(r).toEqual({ ok: true, file: midi, emotion: 4, values: [0.5, 1.5, -1, 2] });
  });

  it('keeps a non-zero exit as a failure with the exit code and the last stderr line', async () => {
    const s = script(
      dir,
      'fail.mjs',
      "console.error('Traceback...'); console.error('model load failed'); process.exit(1);",
    );
    const r = await classifyMidi(midi, { command: [process.execPath, s, '{midi}'], cwd: dir, timeout_s: 30 });
    expect(r).toEqual({ ok: false, file: midi, reason: 'exit code 1: model load failed' });
  });

  it('keeps unparsable output as a failure', async () => {
    const s = script(dir, 'odd.mjs', "console.log('happy');");
    const r = await classifyMidi(midi, { command: [process.execPath, s, '{midi}'], cwd: dir, timeout_s: 30 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/is emotion Q/);
  });

  it('reports a command that cannot start', async () => {
    const r = await classifyMidi(midi, { command: [join(dir, 'no-such-program'), '{midi}'], cwd: dir, timeout_s: 30 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/could not start/);
  });

  it('kills the whole process tree on time-out and reports it', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const s = script(
      dir,
      'hang.mjs',
      `import {spawn} from 'node:child_process'; import {writeFileSync} from 'node:fs';
       const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'});
       writeFileSync(${JSON.stringify(pidFile)}, String(c.pid));
       setInterval(() => {}, 1000);`,
    );
    const r = await classifyMidi(midi, { command: [process.execPath, s, '{midi}'], cwd: dir, timeout_s: 1 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/time-out/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // The group got SIGKILL; allow the OS a moment to reap it.
    for (let i = 0; i < 100 && alive(); i++) await new Promise((res) => setTimeout(res, 50));
    expect(alive()).toBe(false);
  }, 20000);
});
