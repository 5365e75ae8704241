import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { stderrHeadline, failedRunLines, runSucceeded } from '../../src/run/failure-lines.js';
import { runSummaryLines } from '../../src/run/summary.js';
import { listMidiFiles } from '../../src/metrics/edge/run-emotion-key.js';
import type { RunRecord } from '../../src/run/types.js';
import { repoRoot, tempDir } from '../helpers.js';

const record = (over: Partial<RunRecord>): RunRecord => ({
  model: 'm',
  mode: 'inference-primed',
  emotion: 1,
  key: null,
  subset: [],
  conditions: {},
  out_dir: '/exp/m_run',
  returncode: 0,
  stdout: '',
  stderr: '',
  id: 'x',
  index: 1,
  status: 'ok',
  started_at: '',
  ended_at: '',
  duration_s: 0,
  backend: 'local',
  ...over,
});

describe('the line of a failed run that names the cause', () => {
  it('a Python traceback gives its exception line, other output its first line', () => {
    const tb =
      'loading model\nTraceback (most recent call last):\n  File "main_cp.py", line 3, in <module>\n    x = load()\nFileNotFoundError: [Errno 2] No such file\n';
    expect(stderrHeadline(tb)).toBe('FileNotFoundError: [Errno 2] No such file');
    expect(stderrHeadline('\n  error: bad flag --mode\nusage: ...\n')).toBe('error: bad flag --mode');
    expect(stderrHeadline('')).toBe('');
  });

  it('lists failed, timed-out and invalid runs (with the log for local runs), not successful ones', () => {
    const lines = failedRunLines([
      record({ index: 1 }),
      record({ index: 2, returncode: 1, status: 'failed', reason: 'exit code 1', stderr: 'ValueError: x\n' }),
      record({ index: 3, returncode: 0, status: 'invalid', reason: 'no .meta.json written in /exp/m_run' }),
    ]);
    expect(lines).toEqual([
      '  [2] m_run: failed (exit code 1)\n      ValueError: x\n      full log: /exp/m_run/emotune.stderr.log',
      '  [3] m_run: invalid (no .meta.json written in /exp/m_run)',
    ]);
  });

  it('"Successful" counts runs with valid outputs only', () => {
    const recs = [record({}), record({ status: 'invalid' }), record({ returncode: 1, status: 'failed' })];
    expect(recs.map(runSucceeded)).toEqual([true, false, false]);
    expect(runSummaryLines(recs, 'm.json')).toContain('Successful: 1/3');
  });
});

describe('the MIDI files of a run folder', () => {
  it("are the reference notebook's *.mid files plus those its meta files name (.midi too); without meta files every *.mid and *.midi", async () => {
    const dir = tempDir();
    const midi = join(repoRoot, 'kernel-lib', 'test', 'fixtures', 'midi', 'small-piano.mid');
    copyFileSync(midi, join(dir, 'a.midi'));
    copyFileSync(midi, join(dir, 'stray.mid'));
    writeFileSync(
      join(dir, 'a.meta.json'),
      JSON.stringify({ paths: { npy: 'a.npy', midi: 'a.midi' }, vocab_order: [] }),
    );
    copyFileSync(midi, join(dir, 'other.midi'));
    expect(await listMidiFiles(dir)).toEqual([join(dir, 'a.midi'), join(dir, 'stray.mid')]);
    const bare = join(dir, 'bare');
    mkdirSync(bare);
    copyFileSync(midi, join(bare, 'x.midi'));
    copyFileSync(midi, join(bare, 'y.mid'));
    expect(await listMidiFiles(bare)).toEqual([join(bare, 'x.midi'), join(bare, 'y.mid')]);
  });
});
