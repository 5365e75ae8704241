import type { ClassifierConfig } from '../../config/types.js';
import { runProcess } from '../../run/process.js';
import { batchClassifierArgv, splitBatchOutput } from '../emotion-batch.js';
import { classifierArgv, oneLine, outcomeFromOutput, type EmotionOutcome } from '../emotion-command.js';

// The external classifier as a process: the protocols (argument arrays, output parsing) are pure, in
// ../emotion-command.ts (one file a process) and ../emotion-batch.ts (`{midis}`, many files a process).

/** Classify one MIDI file; every failure comes back as `{ok: false, reason}`. */
export async function classifyMidi(
  midiPath: string,
  classifier: Pick<ClassifierConfig, 'command' | 'cwd' | 'timeout_s'>,
): Promise<EmotionOutcome> {
  const argv = classifierArgv(classifier.command, midiPath);
  if (argv.length === 0) return { ok: false, file: midiPath, reason: 'the classifier command is empty' };
  const o = await runProcess(argv, { cwd: classifier.cwd, timeoutS: classifier.timeout_s, keepChars: 20000 });
  if (o.spawnError) return { ok: false, file: midiPath, reason: `could not start ${argv[0]}: ${o.spawnError}` };
  if (o.timedOut)
    return { ok: false, file: midiPath, reason: `time-out after ${classifier.timeout_s} s (process tree killed)` };
  return outcomeFromOutput(midiPath, o);
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
  const { blocks, unpaired } = splitBatchOutput(o.stdout, files);
  return files.map((file, i) => {
    const block = blocks[i];
    if (block !== undefined) {
      const outcome = outcomeFromOutput(file, { returncode: 0, stdout: block, stderr: '' });
      if (outcome.ok || o.returncode === 0) return outcome;
    }
    if (unpaired) {
      const exit = o.returncode !== 0 ? `; the process exited with code ${o.returncode}` : '';
      return { ok: false, file, reason: `${unpaired}${exit}` };
    }
    if (o.returncode !== 0) return outcomeFromOutput(file, { ...o, stdout: '' });
    return {
      ok: false,
      file,
      reason: `no result block for this file in the batch output${oneLine(o.stderr) ? ` (${oneLine(o.stderr)})` : ''}`,
    };
  });
}
