// `emotune doctor` as a user meets it: the contract's reference generators and classifiers pass; each
// mistake of the issue fails with its cause and the fix, exit 1. Real processes throughout.
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, emotune, examplesDir, referenceConfig, twisted, writeSetup } from './helpers.js';

interface Check {
  id: string;
  status: string;
  title: string;
  cause?: string[];
  fix?: string;
}
interface Report {
  ok: boolean;
  checks: Check[];
}

async function doctor(file: string): Promise<{ exitCode: number; report: Report; stdout: string }> {
  const r = await emotune(['doctor', '--config', file, '--json']);
  return { exitCode: r.exitCode ?? -1, report: JSON.parse(r.stdout) as Report, stdout: r.stdout };
}

const failures = (r: Report) => r.checks.filter((c) => c.status === 'fail');

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`build first (npm run build): ${cli} is missing`);
});

describe('emotune doctor on the reference generator and classifier', () => {
  it('passes for the Node reference (examples/config.node.json): config, paths, vocabulary, commands, 3 runs, classifier', async () => {
    const { exitCode, report } = await doctor(join(examplesDir, 'config.node.json'));
    expect(failures(report)).toEqual([]);
    expect(exitCode).toBe(0);
    expect(report.checks.filter((c) => c.id.startsWith('run.') && c.status === 'pass')).toHaveLength(3);
    expect(report.checks.find((c) => c.id === 'classifier.run')?.status).toBe('pass');
  });

  it('passes for the Python reference (examples/config.python.json)', async (ctx) => {
    if ((await execa('python3', ['--version'], { reject: false })).exitCode !== 0) {
      if (process.env.CI) throw new Error('python3 is needed for the Python reference generator');
      ctx.skip();
    }
    const { exitCode, report } = await doctor(join(examplesDir, 'config.python.json'));
    expect(failures(report)).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('prints a readable checklist ending in "Ready"', async () => {
    const r = await emotune(['doctor', '--config', join(examplesDir, 'config.node.json')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/✓ test run reference \/ inference-forced/);
    expect(r.stdout).toMatch(/0 failed/);
    expect(r.stdout).toContain('Ready:');
  });
});

describe('emotune doctor names the cause and the fix of each mistake', () => {
  it('a generator that crashes: its exception line, the log and a command to reproduce', async () => {
    const { file } = writeSetup(referenceConfig({ generator: twisted('crash') }));
    const { exitCode, report } = await doctor(file);
    expect(exitCode).toBe(1);
    const run = failures(report).find((c) => c.id.startsWith('run.'))!;
    expect(run.title).toContain(
      "exit code 1: FileNotFoundError: [Errno 2] No such file or directory: 'dataset/co-representation/train_dictionary.pkl'",
    );
    expect(run.cause?.join('\n')).toContain('Traceback (most recent call last)');
    expect(run.fix).toMatch(/full log .*emotune\.stderr\.log\); to reproduce: cd /);
  });

  it('a classifier script that does not exist (the README example path)', async () => {
    const { file } = writeSetup(
      referenceConfig({ classifier: { command: ['python3', '/work/EMOPIA_cls/inference.py', '--file', '{midi}'] } }),
    );
    const { exitCode, report } = await doctor(file);
    expect(exitCode).toBe(1);
    const c = failures(report).find((x) => x.id === 'classifier.command')!;
    expect(c.title).toBe('classifier.command[1]: script not found: /work/EMOPIA_cls/inference.py');
    expect(c.fix).toContain('existing file');
  });

  it('a classifier whose output has no "is emotion Q<n>" line', async () => {
    const { file } = writeSetup(
      referenceConfig({ classifier: { command: [process.execPath, 'says-q2.mjs', '{midi}'] } }),
      { 'says-q2.mjs': "console.log('Q2 0.7');" },
    );
    const { exitCode, report } = await doctor(file);
    expect(exitCode).toBe(1);
    const c = failures(report).find((x) => x.id === 'classifier.run')!;
    expect(c.title).toMatch(/no "is emotion Q<n>" line in the classifier output/);
    expect(c.fix).toContain('print "<file> is emotion Q<n>"');
  });

  it('a meta file without conditions_indices', async () => {
    const { file } = writeSetup(referenceConfig({ generator: twisted('no-conditions') }));
    const { exitCode, report } = await doctor(file);
    expect(exitCode).toBe(1);
    const c = failures(report).find((x) => x.id === 'run.reference.inference-primed')!;
    expect(c.cause?.join('\n')).toMatch(/conditions_indices has no "duration" \(asked: Note_Duration_\d+, index \d+\)/);
    expect(c.fix).toContain('docs/generator-contract.md');
  });

  it('a run that exits 0 without its .meta.json', async () => {
    const { file } = writeSetup(referenceConfig({ generator: twisted('no-meta') }));
    const { exitCode, report } = await doctor(file);
    expect(exitCode).toBe(1);
    expect(
      failures(report)
        .find((x) => x.id.startsWith('run.'))!
        .cause?.join('\n'),
    ).toMatch(/no \.meta\.json written in/);
  });

  it('a generator writing .midi instead of .mid is fine (the meta file names it)', async () => {
    const { file } = writeSetup(referenceConfig({ generator: twisted('midi-ext') }));
    const { exitCode, report } = await doctor(file);
    expect(failures(report)).toEqual([]);
    expect(exitCode).toBe(0);
    expect(report.checks.find((c) => c.id === 'classifier.run')?.title).toMatch(/\.midi is Q\d/);
  });

  it('a misspelt field: the misspelt name and the nearest valid one; the runs are not tried', async () => {
    const cfg = referenceConfig();
    cfg.tokens_of_intrest = cfg.tokens_of_interest;
    delete cfg.tokens_of_interest;
    const { file } = writeSetup(cfg);
    const { exitCode, report } = await doctor(file);
    expect(exitCode).toBe(1);
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]!.cause![0]).toMatch(
      /config\.json: tokens_of_intrest: unknown field \(expected "tokens_of_interest", the nearest valid field name: fix the spelling\)/,
    );
  });
});
