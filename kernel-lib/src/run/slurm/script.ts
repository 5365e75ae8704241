import { EmotuneError, describeValue } from '../../errors.js';
import type { SlurmConfig } from '../../config/types.js';
import { shQuote } from './shell-quote.js';

/** Everything the job-array script depends on; all paths inside it are relative to the submission folder. */
export interface SbatchScriptOptions {
  slurm: SlurmConfig;
  /** Number of array tasks (one per run). */
  tasks: number;
  /** `%N` throttle: at most this many tasks at once. */
  throttle: number;
  /** Time limit of each task in seconds (rounded up to whole minutes, Slurm's resolution). */
  time_limit_s: number;
  /** argv prefix that starts `emotune` (before `slurm-task`). */
  task_command: string[];
  job_name?: string;
  /**
   * Manifest index of this array's task 0. Grids larger than the cluster's MaxArraySize go out as several
   * arrays (chunks); task N of a chunk runs manifest entry offset + N.
   */
  offset?: number;
  /** Per-task log names: `logs/<log_prefix>%a.out` (default no prefix). */
  log_prefix?: string;
  /** File the config came from, for error messages. */
  config_file?: string;
}

export const MANIFEST_NAME = 'manifest.json';
export const SCRIPT_NAME = 'job.sbatch';

/** Script and log names of chunk `c` of `n` (one chunk keeps the plain names). */
export function chunkNames(c: number, n: number): { script: string; log_prefix: string } {
  return n === 1 ? { script: SCRIPT_NAME, log_prefix: '' } : { script: `job-${c}.sbatch`, log_prefix: `c${c}_` };
}
export const LOG_DIR = 'logs';
export const RESULT_DIR = 'results';

/** Slurm's `D-HH:MM:SS`, rounded up to the minute. */
export function formatSlurmTime(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d}-${p(h)}:${p(m)}:00`;
}

// #SBATCH values are read by sbatch line by line; a line break or control character would smuggle a
// shell line into the script, so such values are refused.
function checkOptionValue(value: string, field: string, file?: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(value) || value.trim() === '') {
    throw new EmotuneError('a Slurm option must be one non-empty line without control characters', {
      file,
      field,
      expected: 'a single line',
      found: describeValue(value),
      code: 'config.invalid',
    });
  }
  return value;
}

/** The sbatch job-array script: directives from the config, the user's setup lines, then `emotune slurm-task`. */
export function buildSbatchScript(o: SbatchScriptOptions): string {
  const s = o.slurm;
  const f = o.config_file;
  if (!Number.isInteger(o.tasks) || o.tasks < 1)
    throw new RangeError(`tasks must be a positive integer, got ${o.tasks}`);
  const throttle = Math.max(1, Math.min(o.throttle, o.tasks));
  const offset = o.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0)
    throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
  const logPrefix = o.log_prefix ?? '';
  if (!/^[A-Za-z0-9_-]*$/.test(logPrefix))
    throw new RangeError(`log_prefix must be letters, digits, _ or -, got ${JSON.stringify(logPrefix)}`);
  const lines = [
    '#!/bin/bash',
    '# Written by EmoTune Lab. One array task per planned run: task N runs entry N of manifest.json',
    '# (argv, working folder, output folder, time-out), so no run data is ever part of this script.',
    `#SBATCH --job-name=${checkOptionValue(o.job_name ?? 'emotune', 'slurm.job_name', f)}`,
    `#SBATCH --array=0-${o.tasks - 1}%${throttle}`,
    `#SBATCH --time=${formatSlurmTime(o.time_limit_s)}`,
    `#SBATCH --output=${LOG_DIR}/${logPrefix}%a.out`,
    `#SBATCH --error=${LOG_DIR}/${logPrefix}%a.err`,
    '#SBATCH --ntasks=1',
  ];
  if (s.partition !== undefined)
    lines.push(`#SBATCH --partition=${checkOptionValue(s.partition, 'slurm.partition', f)}`);
  if (s.gpus_per_task !== undefined && s.gpus_per_task > 0) lines.push(`#SBATCH --gres=gpu:${s.gpus_per_task}`);
  if (s.cpus_per_task !== undefined) lines.push(`#SBATCH --cpus-per-task=${s.cpus_per_task}`);
  if (s.mem !== undefined) lines.push(`#SBATCH --mem=${checkOptionValue(s.mem, 'slurm.mem', f)}`);
  for (const [i, extra] of (s.extra_sbatch ?? []).entries()) {
    const v = checkOptionValue(extra, `slurm.extra_sbatch[${i}]`, f);
    if (!v.startsWith('-')) {
      throw new EmotuneError('an extra sbatch option must start with "-"', {
        file: f,
        field: `slurm.extra_sbatch[${i}]`,
        expected: 'e.g. --account=abc',
        found: describeValue(v),
        code: 'config.invalid',
      });
    }
    lines.push(`#SBATCH ${v}`);
  }
  lines.push('', 'set -e');
  const setup = s.setup ?? [];
  if (setup.length > 0) {
    lines.push('# Setup lines from the config (environment activation, modules).');
    for (const [i, line] of setup.entries()) lines.push(checkOptionValue(line, `slurm.setup[${i}]`, f));
  }
  if (o.task_command.length === 0) throw new RangeError('task_command must not be empty');
  lines.push(
    '',
    `exec ${o.task_command.map(shQuote).join(' ')} slurm-task "$SLURM_SUBMIT_DIR/${MANIFEST_NAME}" ${offset === 0 ? '"$SLURM_ARRAY_TASK_ID"' : `"$((SLURM_ARRAY_TASK_ID + ${offset}))"`}`,
    '',
  );
  return lines.join('\n');
}
