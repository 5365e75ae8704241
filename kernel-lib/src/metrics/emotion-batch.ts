import type { ClassifierConfig } from '../config/types.js';
import { MIDIS_PLACEHOLDER } from '../config/classifier-placeholders.js';
import { resolveCommand } from '../package-paths.js';
import { runProcess } from '../run/process.js';
import { oneLine, outcomeFromOutput, type EmotionOutcome } from './emotion-command.js';

/**
 * The batch protocol for external classifiers: the command's `{midis}` argument becomes one argument per
 * file, one process classifies them all (one model load), and its output holds one result block per file,
 * each as the single-file protocol: a line with `is emotion Q<n>` then `Inference values: [...]`. A block
 * belongs to the file its `is emotion` line names, or else (no line names a file) to the files in order.
 */

/** Argument array for a batch: `{midis}` replaced by the paths, a leading `emotune` meaning this package's CLI. */
export function batchClassifierArgv(command: readonly string[], files: readonly string[]): string[] {
  return resolveCommand(command.flatMap((a) => (a === MIDIS_PLACEHOLDER ? [...files] : [a])));
}

const EMOTION_LINE = /^.*is emotion Q\d+.*$/gm;

/** Split a batch's output into one block per file (undefined where no block was found for a file). */
export function splitBatchOutput(stdout: string, files: readonly string[]): Array<string | undefined> {
  const starts = [...stdout.matchAll(EMOTION_LINE)];
  const blocks = starts.map((m, i) => ({
    line: m[0],
    text: stdout.slice(m.index, starts[i + 1]?.index ?? stdout.length),
  }));
  const out: Array<string | undefined> = files.map(() => undefined);
  // By name when every block names one of the files (longest path first, so /a/b.mid never claims /a/bb.mid).
  const byLength = files.map((f, i) => ({ f, i })).sort((a, b) => b.f.length - a.f.length);
  const named = blocks.map((b) => byLength.find(({ f, i }) => out[i] === undefined && b.line.includes(f))?.i);
  if (blocks.length > 0 && named.every((i) => i !== undefined)) {
    blocks.forEach((b, k) => {
      out[named[k]!] = b.text;
    });
    return out;
  }
  blocks.slice(0, files.length).forEach((b, k) => {
    out[k] = b.text;
  });
  return out;
}

/** One classifier process over a batch of files; every file gets an outcome, failures keep their reason. */
export async function classifyBatch(
  files: readonly string[],
  classifier: Pick<ClassifierConfig, 'command' | 'cwd' | 'timeout_s'>,
): Promise<EmotionOutcome[]> {
  const argv = batchClassifierArgv(classifier.command, files);
  const fail = (reason: string) => files.map((file): EmotionOutcome => ({ ok: false, file, reason }));
  if (argv.length === 0) return fail('the classifier command is empty');
  const timeoutS = classifier.timeout_s * files.length;
  const o = await runProcess(argv, { cwd: classifier.cwd, timeoutS, keepChars: 20000 + 2000 * files.length });
  if (o.spawnError) return fail(`could not start ${argv[0]}: ${o.spawnError}`);
  if (o.timedOut)
    return fail(`time-out after ${timeoutS} s for a batch of ${files.length} file(s) (process tree killed)`);
  const blocks = splitBatchOutput(o.stdout, files);
  return files.map((file, i) => {
    const block = blocks[i];
    if (block !== undefined) {
      const outcome = outcomeFromOutput(file, { returncode: 0, stdout: block, stderr: '' });
      if (outcome.ok || o.returncode === 0) return outcome;
    }
    if (o.returncode !== 0) return outcomeFromOutput(file, { ...o, stdout: '' });
    return {
      ok: false,
      file,
      reason: `no result block for this file in the batch output${oneLine(o.stderr) ? ` (${oneLine(o.stderr)})` : ''}`,
    };
  });
}
