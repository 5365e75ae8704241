import { MIDIS_PLACEHOLDER } from '../config/classifier-placeholders.js';
import { resolveCommand } from '../package-paths.js';

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
