import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { builtinOutputText, parseClassifierOutput } from '../../src/metrics/emotion-command.js';
import { classifyFileWithBuiltin } from '../../src/metrics/edge/builtin-classify-file.js';
import { loadClassifier } from '../../src/metrics/edge/classifier-file.js';
import { isEmbeddedClassifier } from '../../src/run/in-process/commands.js';
import { emotune, paritySampleCopy, requireBuiltCli } from '../support/cli-runs.js';

beforeAll(requireBuiltCli);

describe('emotune analyze: validity warnings and --strict (real processes)', () => {
  it('prints every warning of the extended file, and --strict exits 1 after writing the results', async () => {
    const dir = paritySampleCopy();
    const args = [
      'analyze',
      join(dir, 'exp'),
      '--config',
      join(dir, 'config.json'),
      '--out',
      join(dir, 'results.json'),
      '--no-table',
      '--allow-failures',
    ];
    // The parity sample's classifier fails for some files (analysis problems): --allow-failures keeps exit 0,
    // so that the exit code below is --strict's alone.
    const plain = await emotune(args);
    expect(plain.exitCode).toBe(0);
    const ext = JSON.parse(readFileSync(join(dir, 'evaluation_results_extended.json'), 'utf8')) as {
      warnings: Array<{ code: string }>;
    };
    const codes = new Set(ext.warnings.map((w) => w.code));
    for (const code of ['incomplete-grid', 'analysis-problems', 'classifier-out-of-range'])
      expect(codes).toContain(code);
    expect(plain.stdout).toContain(`VALIDITY WARNINGS (${ext.warnings.length}; see docs/methodology.md):`);
    const warningLine = (l: string) => /^ {2}\[([a-z-]+)\] /.exec(l)?.[1];
    expect(plain.stdout.split('\n').filter((l) => codes.has(warningLine(l) ?? ''))).toHaveLength(ext.warnings.length);

    const strict = await emotune([...args, '--strict']);
    expect(strict.exitCode).toBe(1);
    expect(strict.stderr.trim().split('\n').at(-1)).toBe(
      `emotune: --strict: ${ext.warnings.length} validity warning(s) raised (listed above and in evaluation_results_extended.json)`,
    );
    expect(existsSync(join(dir, 'results.json'))).toBe(true);
  });

  it('classifies in process exactly as the `emotune classify` process prints it', async () => {
    const midi = join(repoRoot, 'kernel-lib', 'test', 'fixtures', 'midi', 'small-piano.mid');
    const viaProcess = parseClassifierOutput((await emotune(['classify', midi])).stdout);
    // What the worker thread prints for the file, read back as the process's output is read.
    const inProcess = await classifyFileWithBuiltin(midi, loadClassifier());
    expect(parseClassifierOutput(builtinOutputText(inProcess).stdout)).toEqual(viaProcess);
    expect(isEmbeddedClassifier(['emotune', 'classify', '{midi}'])).toBe(true);
    expect(isEmbeddedClassifier(['emotune', 'classify', '--model', 'm.json', '{midi}'])).toBe(false);
    expect(await classifyFileWithBuiltin(join(repoRoot, 'README.md'), loadClassifier())).toMatchObject({
      ok: false,
      file: join(repoRoot, 'README.md'),
    });
  });
});
