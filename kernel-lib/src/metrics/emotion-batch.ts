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

/** A batch's output split per file: `blocks[i]` is file i's block, undefined where none was found. */
export interface BatchBlocks {
  blocks: Array<string | undefined>;
  /** Why no block could be given to any file, when the output's blocks could not be paired with the files. */
  unpaired?: string;
}

/**
 * Split a batch's output into one block per file. Blocks that name no file are paired with the files by
 * order only when there are exactly as many: with one missing, every later block would go to the wrong file.
 */
export function splitBatchOutput(stdout: string, files: readonly string[]): BatchBlocks {
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
    return { blocks: out };
  }
  if (blocks.length !== files.length) {
    const unpaired =
      blocks.length === 0
        ? undefined
        : `the batch output has ${blocks.length} result block(s) for ${files.length} file(s) and not every 'is emotion' line names its file, so no block can be paired with a file safely (print each file's path on its 'is emotion' line, as EMOPIA_cls does)`;
    return { blocks: out, ...(unpaired ? { unpaired } : {}) };
  }
  blocks.forEach((b, k) => {
    out[k] = b.text;
  });
  return { blocks: out };
}
