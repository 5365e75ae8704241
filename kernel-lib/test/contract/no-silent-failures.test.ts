// `emotune run` / `evaluate` / `analyze` never lose results silently: failed or invalid runs and files the
// analysis had to leave out are printed with their cause and make the exit code non-zero. Real processes,
// on the contract's reference generator and classifier.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli, emotune, referenceConfig, twisted, writeSetup } from './helpers.js';

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`build first (npm run build): ${cli} is missing`);
});

const failingClassifier =
  'process.stderr.write(\'Traceback (most recent call last):\\n  File "inference.py", line 3\\nRuntimeError: checkpoint not found: ./best_weight.pth\\n\'); process.exit(1);';

describe('emotune run: failed and invalid runs', () => {
  it('exits 1 when runs fail, printing the line of each error that names the cause; --allow-failures exits 0', async () => {
    const { file } = writeSetup(referenceConfig({ generator: twisted('crash') }));
    const r = await emotune(['run', '--config', file, '--lines']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('Successful: 0/3');
    expect(r.stdout).toContain('Runs that did not succeed (3), with the first line of each error:');
    expect(r.stdout).toContain(
      "      FileNotFoundError: [Errno 2] No such file or directory: 'dataset/co-representation/train_dictionary.pkl'",
    );
    expect(r.stdout).toMatch(/full log: .*emotune\.stderr\.log/);
    expect(r.stderr).toContain('3 of 3 run(s) did not succeed, so the results are incomplete');
    const allowed = await emotune(['run', '--config', file, '--allow-failures']);
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stderr).toContain('--allow-failures: exit code 0');
  });

  it('"Successful" counts only runs with valid outputs: exit 0 without .meta.json is a failure', async () => {
    const { file } = writeSetup(referenceConfig({ generator: twisted('no-meta') }));
    const r = await emotune(['run', '--config', file, '--lines']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('Successful: 0/3');
    expect(r.stdout).toMatch(/invalid \(no \.meta\.json written in /);
  });

  it('exits 0 when every run succeeded', async () => {
    const { file } = writeSetup(referenceConfig());
    const r = await emotune(['run', '--config', file]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Successful: 3/3');
  });
});

describe('emotune evaluate: analysis problems are listed, counted and make the exit code 1', () => {
  it('reports a missing classifier script before any run starts', async () => {
    const { dir, file } = writeSetup(
      referenceConfig({ classifier: { command: ['python3', '/work/EMOPIA_cls/inference.py', '--file', '{midi}'] } }),
    );
    const r = await emotune(['evaluate', '--config', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /config\.json: classifier\.command\[1\]: script not found \(expected the path of an existing file .*found \/work\/EMOPIA_cls\/inference\.py\)/,
    );
    expect(existsSync(join(dir, 'exp', 'all_runs_metadata.json'))).toBe(false);
  });

  it('a classifier failing for every file: each file on the console, under the table, in the report and the extended results', async () => {
    const { dir, file } = writeSetup(
      referenceConfig({ classifier: { command: [process.execPath, 'cls.mjs', '{midi}'] } }),
      { 'cls.mjs': failingClassifier },
    );
    const r = await emotune(['evaluate', '--config', file]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/ANALYSIS PROBLEMS: 3 file\(s\) count in no figure of their stage \(emotion 3\):/);
    expect(r.stdout).toMatch(
      /\[emotion\] \S+emo2_0\.mid: exit code 1: RuntimeError: checkpoint not found: \.\/best_weight\.pth/,
    );
    expect(r.stdout).toMatch(
      /Note: 3 analysis problem\(s\) \(emotion 3\): those files count in no figure of their stage above\./,
    );
    expect(r.stdout).toMatch(/Total generation time: \d+\.\d\d s/);
    expect(r.stdout).not.toContain('Tiempo total');
    expect(r.stderr).toContain('3 file(s) could not be analysed');
    const exp = join(dir, 'exp');
    expect(readFileSync(join(exp, 'report.html'), 'utf8')).toContain(
      'Analysis problems: files counted in no figure (3)',
    );
    const extended = JSON.parse(readFileSync(join(exp, 'evaluation_results_extended.json'), 'utf8')) as {
      problems: Array<{ stage: string; reason: string; run: string }>;
    };
    expect(extended.problems.filter((p) => p.stage === 'emotion')).toHaveLength(3);
    expect(extended.problems[0]!.run).toMatch(/^reference_inference-/);
    // The reference notebook's results file keeps its shape: rows only, no emotion figure for the failed files.
    const rows = JSON.parse(readFileSync(join(exp, 'evaluation_results_comprehensive.json'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.some((row) => 'emotion_adherence' in row)).toBe(false);
    expect(rows.some((row) => 'duration_adherence' in row)).toBe(true);
  });

  it('a generator writing .midi: emotion and key figures are measured from the file the meta names', async () => {
    const { dir, file } = writeSetup(referenceConfig({ generator: twisted('midi-ext') }));
    const r = await emotune(['evaluate', '--config', file]);
    expect(r.exitCode).toBe(0);
    const rows = JSON.parse(readFileSync(join(dir, 'exp', 'evaluation_results_comprehensive.json'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(typeof row.emotion_adherence).toBe('number');
      expect(typeof row.key_adherence).toBe('number');
    }
  });

  it('a meta file without conditions_indices is a listed problem, not a silently missing row', async () => {
    const { file } = writeSetup(referenceConfig({ generator: twisted('no-conditions') }));
    const r = await emotune(['evaluate', '--config', file]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(
      /\[token\] \S+\.meta\.json: no conditions_indices in the meta file, though the run was conditioned on duration/,
    );
    expect(r.stdout).toMatch(/Note: 2 analysis problem\(s\) \(token 2\)/);
  });

  it('analyze exits 1 with problems and 0 with --allow-failures', async () => {
    const { dir, file } = writeSetup(
      referenceConfig({ classifier: { command: [process.execPath, 'cls.mjs', '{midi}'] } }),
      { 'cls.mjs': failingClassifier },
    );
    expect((await emotune(['run', '--config', file])).exitCode).toBe(0);
    const a = await emotune(['analyze', join(dir, 'exp'), '--config', file]);
    expect(a.exitCode).toBe(1);
    expect(a.stdout).toContain('ANALYSIS PROBLEMS: 3 file(s)');
    expect((await emotune(['analyze', join(dir, 'exp'), '--config', file, '--allow-failures'])).exitCode).toBe(0);
  });

  it('a succeeded run whose folder is gone is a problem, forced runs too (they have no token stage to say it)', async () => {
    const { dir, file } = writeSetup(referenceConfig());
    expect((await emotune(['run', '--config', file])).exitCode).toBe(0);
    const exp = join(dir, 'exp');
    const forced = readdirSync(exp).find((n) => n.includes('inference-forced'))!;
    rmSync(join(exp, forced), { recursive: true });
    const a = await emotune(['analyze', exp, '--config', file]);
    expect(a.exitCode).toBe(1);
    expect(a.stdout).toContain(`[emotion] ${join(exp, forced)}: the run folder is missing`);
    expect(a.stdout).toContain('ANALYSIS PROBLEMS: 1 file(s) or run folder(s) count in no figure');
    expect(a.stderr).toContain('1 file(s) or run folder(s) could not be analysed');
  });
});
