import { resolveCommand } from '../package-paths.js';
import type { BuiltinEmotionPrediction } from './emotion-builtin/classify.js';

/**
 * The external emotion classifier's protocol (docs/generator-contract.md, "The classifier"): one process per MIDI
 * file, its command from the config with `{midi}` replaced by the file's path (argument array, never a shell); the
 * process itself is started in edge/classifier-process.ts. Its output must contain
 * `is emotion Q<n>`; `Inference values: [v1 v2 ...]` is optional (read when present, and then it must hold
 * numbers). Anything else (exit code not 0, time-out, no emotion line) is a failure kept with its reason,
 * never an exception.
 */

export interface EmotionPrediction {
  ok: true;
  file: string;
  /** The predicted quadrant n of `Q<n>`. */
  emotion: number;
  /** The numbers of `Inference values: [...]` (empty when the classifier prints no such line). */
  values: number[];
}

export interface EmotionFailure {
  ok: false;
  file: string;
  reason: string;
}

export type EmotionOutcome = EmotionPrediction | EmotionFailure;

const EMOTION_RE = /is emotion Q(\d+)/;
const VALUES_RE = /Inference values:\s*\[([^\]]*)\]/;
/** What Python's float() reads (without digit underscores). */
const PY_FLOAT_RE = /^[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|nan|inf|infinity)$/i;

/** Parse the classifier's stdout; a string is the reason it could not be parsed. */
export function parseClassifierOutput(stdout: string): { emotion: number; values: number[] } | string {
  const e = EMOTION_RE.exec(stdout);
  if (e === null)
    return 'no "is emotion Q<n>" line in the classifier output (the classifier must print it on stdout, e.g. "x.mid is emotion Q2")';
  const emotion = Number(e[1]);
  // Counted as a miss, a zero-based Q0..Q3 would silently lower every figure (and Q4 would never match).
  if (!(emotion >= 1 && emotion <= 4))
    return `"is emotion Q${e[1]}" is not one of EMOPIA's quadrants Q1..Q4 (is the classifier counting from 0? EMOPIA_cls prints Q1..Q4)`;
  const v = VALUES_RE.exec(stdout);
  if (v === null) return { emotion, values: [] };
  // numpy prints arrays with spaces (and sometimes commas, when printed as a list).
  const parts = v[1]!.split(/[\s,]+/).filter((s) => s !== '');
  const bad = parts.find((p) => !PY_FLOAT_RE.test(p));
  if (bad !== undefined) return `unreadable inference value ${JSON.stringify(bad)} in [${v[1]}]`;
  const values = parts.map((p) =>
    /nan/i.test(p) ? NaN : /inf/i.test(p) ? (p.startsWith('-') ? -Infinity : Infinity) : Number(p),
  );
  return { emotion, values };
}

/** Argument array for one file: `{midi}` replaced, a leading `emotune` meaning this package's own CLI. */
export function classifierArgv(command: readonly string[], midiPath: string): string[] {
  return resolveCommand(command.map((a) => a.split('{midi}').join(midiPath)));
}

export function oneLine(s: string, max = 200): string {
  const line =
    s
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .pop() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** What a classifier run for one file left: exit code and output (a process, or the in-process classifier). */
export interface ClassifierRunOutput {
  returncode: number | null;
  stdout: string;
  stderr: string;
}

/** The outcome of one file from its classifier's exit code and output (failures keep the reason). */
export function outcomeFromOutput(midiPath: string, o: ClassifierRunOutput): EmotionOutcome {
  if (o.returncode !== 0) {
    const tail = oneLine(o.stderr) || oneLine(o.stdout);
    return { ok: false, file: midiPath, reason: `exit code ${o.returncode}${tail ? `: ${tail}` : ''}` };
  }
  const parsed = parseClassifierOutput(o.stdout);
  if (typeof parsed === 'string') return { ok: false, file: midiPath, reason: parsed };
  return { ok: true, file: midiPath, emotion: parsed.emotion, values: parsed.values };
}

/** Probabilities printed as numpy prints an array: space separated inside brackets. */
export function inferenceLine(probabilities: readonly number[]): string {
  return `Inference values: [${probabilities.map((p) => p.toFixed(6)).join(' ')}]`;
}

/** The block the built-in classifier prints for one file (the lines the reference notebook parses). */
export function classifierBlock(file: string, quadrant: number, probabilities: readonly number[]): string {
  return `${file} is emotion Q${quadrant}\n${inferenceLine(probabilities)}\n`;
}

/** One file through the built-in classifier: its prediction, or the one-line reason (naming the file) it failed. */
export type BuiltinFileResult =
  { ok: true; file: string; prediction: BuiltinEmotionPrediction } | { ok: false; file: string; message: string };

/** What `emotune classify FILE` prints for a result: the reference notebook's two lines, or its stderr line. */
export function builtinOutputText(r: BuiltinFileResult): { stdout: string; stderr: string } {
  return r.ok
    ? { stdout: classifierBlock(r.file, r.prediction.quadrant, r.prediction.probabilities), stderr: '' }
    : { stdout: '', stderr: `emotune classify: ${r.message}\n` };
}
