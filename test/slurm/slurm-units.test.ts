// Pure parts of the Slurm backend (no cluster needed): the array script, quoting, queue parsing,
// manifests and records of tasks that ended without a result.
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../kernel-lib/src/errors.js';
import {
  buildSbatchScript,
  cancelledRecord,
  expandTaskIds,
  formatSlurmTime,
  isFinalState,
  parseSacct,
  parseScontrol,
  parseSqueue,
  readManifestTask,
  recordFromSlurmState,
  shQuote,
} from '../../kernel-lib/src/run/slurm/index.js';
import { fakeRun } from './helpers.js';

const base = {
  tasks: 10,
  throttle: 3,
  time_limit_s: 600,
  task_command: ['/usr/bin/node', '/opt/emotune/dist/cli/main.js'],
};

describe('sbatch job-array script', () => {
  it('sets the array range with the %N throttle, the time limit and per-task logs', () => {
    const s = buildSbatchScript({ ...base, slurm: {} });
    expect(s.startsWith('#!/bin/bash\n')).toBe(true);
    expect(s).toContain('#SBATCH --array=0-9%3\n');
    expect(s).toContain('#SBATCH --time=0-00:10:00\n');
    expect(s).toContain('#SBATCH --output=logs/%a.out\n');
    expect(s).toContain('#SBATCH --error=logs/%a.err\n');
    expect(s).toContain(
      `exec '/usr/bin/node' '/opt/emotune/dist/cli/main.js' slurm-task "$SLURM_SUBMIT_DIR/manifest.json" "$SLURM_ARRAY_TASK_ID"`,
    );
    expect(s).not.toMatch(/--partition|--gres|--mem|--cpus-per-task/);
  });

  it('runs manifest entry offset + task id in a later chunk, with its own log names', () => {
    const s = buildSbatchScript({ ...base, slurm: {}, tasks: 4, offset: 1000, log_prefix: 'c1_' });
    expect(s).toContain('#SBATCH --array=0-3%3\n');
    expect(s).toContain('#SBATCH --output=logs/c1_%a.out\n');
    expect(s).toMatch(/slurm-task "\$SLURM_SUBMIT_DIR\/manifest.json" "\$\(\(SLURM_ARRAY_TASK_ID \+ 1000\)\)"\n/);
    expect(() => buildSbatchScript({ ...base, slurm: {}, log_prefix: 'a b' })).toThrow(RangeError);
  });

  it('never throttles above the number of tasks', () => {
    expect(buildSbatchScript({ ...base, tasks: 2, throttle: 8, slurm: {} })).toContain('--array=0-1%2\n');
  });

  it('writes partition, GPUs, CPUs, memory, extra options and setup lines from the config, setup before the task', () => {
    const s = buildSbatchScript({
      ...base,
      slurm: {
        partition: 'gpu',
        gpus_per_task: 1,
        cpus_per_task: 4,
        mem: '16G',
        extra_sbatch: ['--account=musiclab', '--qos=short'],
        setup: ['module load cuda/12.1', 'source /home/u/venv/bin/activate'],
      },
    });
    for (const line of [
      '#SBATCH --partition=gpu',
      '#SBATCH --gres=gpu:1',
      '#SBATCH --cpus-per-task=4',
      '#SBATCH --mem=16G',
      '#SBATCH --account=musiclab',
      '#SBATCH --qos=short',
    ]) {
      expect(s).toContain(`${line}\n`);
    }
    const setupAt = s.indexOf('module load cuda/12.1\nsource /home/u/venv/bin/activate\n');
    expect(setupAt).toBeGreaterThan(s.lastIndexOf('#SBATCH'));
    expect(setupAt).toBeLessThan(s.indexOf('exec '));
  });

  it('refuses option values that would smuggle a line into the script, naming the field', () => {
    expect(() =>
      buildSbatchScript({ ...base, slurm: { partition: 'gpu\nrm -rf ~' }, config_file: 'eval.json' }),
    ).toThrow(/eval\.json: slurm\.partition/);
    expect(() =>
      buildSbatchScript({ ...base, slurm: { extra_sbatch: ['--account=a', '--qos=x\r\ntouch /x'] } }),
    ).toThrow(EmotuneError);
    expect(() => buildSbatchScript({ ...base, slurm: { extra_sbatch: ['account=a'] } })).toThrow(
      /slurm\.extra_sbatch\[0\]/,
    );
    expect(() => buildSbatchScript({ ...base, slurm: { setup: ['source a\nsource b'] } })).toThrow(/slurm\.setup\[0\]/);
  });

  it('rounds time limits up to whole minutes in D-HH:MM:SS', () => {
    expect(formatSlurmTime(1)).toBe('0-00:01:00');
    expect(formatSlurmTime(60)).toBe('0-00:01:00');
    expect(formatSlurmTime(61)).toBe('0-00:02:00');
    expect(formatSlurmTime(3600 + 120)).toBe('0-01:02:00');
    expect(formatSlurmTime(2 * 86400 + 3 * 3600)).toBe('2-03:00:00');
  });
});

describe('shQuote', () => {
  it('round-trips any string through bash as one word', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 20 },
        ),
        (words) => {
          const out = execFileSync('bash', ['-c', `printf '%s\\0' ${words.map(shQuote).join(' ')}`]);
          expect(out.toString('utf8').split('\0').slice(0, -1)).toEqual(
            words.map((w) => Buffer.from(w, 'utf8').toString('utf8')),
          );
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });
});

describe('queue parsing', () => {
  it('expands task-id ranges, lists and throttles', () => {
    expect(expandTaskIds('7')).toEqual([7]);
    expect(expandTaskIds('2-5%2')).toEqual([2, 3, 4, 5]);
    expect(expandTaskIds('1,4-5')).toEqual([1, 4, 5]);
  });

  it('reads squeue lines, including pending ranges not yet split off', () => {
    const m = parseSqueue('0|COMPLETED\n1|RUNNING\n2-4%2|PENDING\n\n');
    expect([...m.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(m.get(3)).toEqual({ state: 'PENDING' });
    expect(m.get(1)).toEqual({ state: 'RUNNING' });
  });

  it('reads exit codes from scontrol -o lines of this array only', () => {
    const text = [
      'JobId=12 ArrayJobId=11 ArrayTaskId=1 ArrayTaskThrottle=2 JobName=emotune JobState=FAILED Reason=NonZeroExitCode ExitCode=7:0 RunTime=00:00:01',
      'JobId=11 ArrayJobId=11 ArrayTaskId=0 JobState=TIMEOUT Reason=TimeLimit ExitCode=0:15',
      'JobId=20 ArrayJobId=20 ArrayTaskId=0 JobState=COMPLETED ExitCode=0:0',
    ].join('\n');
    const m = parseScontrol(text, '11');
    expect(m.get(1)).toEqual({ state: 'FAILED', exit_code: 7, exit_signal: 0 });
    expect(m.get(0)).toEqual({ state: 'TIMEOUT', exit_code: 0, exit_signal: 15 });
    expect(m.size).toBe(2);
  });

  it('reads sacct lines, keeping the first word of states like "CANCELLED by 0"', () => {
    const m = parseSacct(
      '11_0|COMPLETED|0:0\n11_1|CANCELLED by 0|0:15\n11_[2-3%2]|PENDING|0:0\n12_0|FAILED|1:0\n',
      '11',
    );
    expect(m.get(0)).toEqual({ state: 'COMPLETED', exit_code: 0, exit_signal: 0 });
    expect(m.get(1)).toEqual({ state: 'CANCELLED', exit_code: 0, exit_signal: 15 });
    expect(m.get(3)?.state).toBe('PENDING');
    expect(m.size).toBe(4);
  });

  it('knows which states are final', () => {
    for (const s of ['COMPLETED', 'FAILED', 'CANCELLED', 'CANCELLED by 0', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL'])
      expect(isFinalState(s)).toBe(true);
    for (const s of ['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING', 'SUSPENDED', 'REQUEUED'])
      expect(isFinalState(s)).toBe(false);
  });
});

describe('records of tasks without a result file', () => {
  const run = fakeRun('/exp', ['--behaviour', 'ok'], { index: 9, id: 'r9', timeout_s: 30 });
  const at = new Date('2026-01-01T00:01:00Z');
  const started = new Date('2026-01-01T00:00:00Z');

  it('a Slurm time limit is a time-out as the reference notebook records it', () => {
    const r = recordFromSlurmState(
      run,
      { state: 'TIMEOUT', exit_code: 0, exit_signal: 15 },
      'slurmstepd: CANCELLED DUE TO TIME LIMIT',
      '/x/logs/0.err',
      at,
      started,
    );
    expect(r).toMatchObject({
      status: 'timeout',
      returncode: -1,
      stdout: '',
      stderr: 'TIMEOUT',
      backend: 'slurm',
      duration_s: 60,
      index: 9,
      id: 'r9',
    });
    expect(r.reason).toContain('TIMEOUT');
  });

  it('a failed setup keeps the exit code and the task log tail', () => {
    const r = recordFromSlurmState(
      run,
      { state: 'FAILED', exit_code: 7, exit_signal: 0 },
      'e'.repeat(2500) + 'module: not found',
      '/x/logs/0.err',
      at,
    );
    expect(r).toMatchObject({ status: 'failed', returncode: 7 });
    expect(r.stderr.length).toBe(2000);
    expect(r.stderr.endsWith('module: not found')).toBe(true);
    expect(r.reason).toBe('Slurm task ended FAILED (ExitCode 7:0) without a result; see /x/logs/0.err');
  });

  it('an out-of-memory kill is a failure with the signal as a negative code', () => {
    expect(
      recordFromSlurmState(run, { state: 'OUT_OF_MEMORY', exit_code: 0, exit_signal: 9 }, '', 'l', at),
    ).toMatchObject({ status: 'failed', returncode: -9 });
  });

  it('a run cancelled before it started has returncode -2', () => {
    expect(cancelledRecord(run, at)).toMatchObject({
      status: 'cancelled',
      returncode: -2,
      stdout: '',
      duration_s: 0,
      started_at: at.toISOString(),
    });
  });
});

describe('task manifest', () => {
  it('names the file and field of a damaged manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emotune-manifest-'));
    const file = join(dir, 'manifest.json');
    await writeFile(
      file,
      JSON.stringify({
        format: 'emotune-slurm-manifest',
        version: 1,
        created_at: '',
        tasks: [
          {
            index: 1,
            id: 'a',
            argv: 'python main_cp.py',
            cwd: '/',
            out_dir: '/o',
            timeout_s: 5,
            result: '/r',
            stdout_log: '/l1',
            stderr_log: '/l2',
          },
        ],
      }),
    );
    await expect(readManifestTask(file, 0)).rejects.toThrow(
      `${file}: tasks[0].argv: bad Slurm task manifest (expected a non-empty array of strings`,
    );
    await expect(readManifestTask(file, 3)).rejects.toThrow(
      /tasks: bad Slurm task manifest \(expected an entry at task index 3, found "1 tasks"\)/,
    );
    await writeFile(file, '{"format":');
    await expect(readManifestTask(file, 0)).rejects.toThrow(EmotuneError);
  });
});
