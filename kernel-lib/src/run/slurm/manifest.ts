import { readFile } from 'node:fs/promises';
import { EmotuneError, describeValue, errorMessage } from '../../errors.js';
import type { SlurmManifest, SlurmTaskSpec } from './types.js';

function bad(file: string, field: string, expected: string, found: unknown): EmotuneError {
  return new EmotuneError('bad Slurm task manifest', {
    file,
    field,
    expected,
    found: describeValue(found),
    code: 'slurm.manifest',
  });
}

function checkTask(file: string, i: number, t: unknown): SlurmTaskSpec {
  const f = `tasks[${i}]`;
  if (typeof t !== 'object' || t === null) throw bad(file, f, 'an object', t);
  const o = t as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof o[k] !== 'string' || o[k] === '') throw bad(file, `${f}.${k}`, 'a non-empty string', o[k]);
    return o[k] as string;
  };
  if (!Array.isArray(o.argv) || o.argv.length === 0 || !o.argv.every((a) => typeof a === 'string')) {
    throw bad(file, `${f}.argv`, 'a non-empty array of strings', o.argv);
  }
  if (typeof o.index !== 'number' || !Number.isInteger(o.index)) throw bad(file, `${f}.index`, 'an integer', o.index);
  if (typeof o.timeout_s !== 'number' || !(o.timeout_s > 0))
    throw bad(file, `${f}.timeout_s`, 'a positive number', o.timeout_s);
  return {
    index: o.index,
    id: str('id'),
    argv: o.argv as string[],
    cwd: str('cwd'),
    out_dir: str('out_dir'),
    timeout_s: o.timeout_s,
    result: str('result'),
    stdout_log: str('stdout_log'),
    stderr_log: str('stderr_log'),
  };
}

/** Read one task of a manifest, checking the fields it needs (a clear message if the file is damaged). */
export async function readManifestTask(file: string, taskIndex: number): Promise<SlurmTaskSpec> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new EmotuneError(`cannot read the Slurm task manifest: ${errorMessage(e)}`, {
      file,
      code: 'slurm.manifest',
      cause: e,
    });
  }
  const m = data as Partial<SlurmManifest>;
  if (typeof m !== 'object' || m === null || m.format !== 'emotune-slurm-manifest')
    throw bad(file, 'format', '"emotune-slurm-manifest"', m?.format);
  if (m.version !== 1) throw bad(file, 'version', '1', m.version);
  if (!Array.isArray(m.tasks)) throw bad(file, 'tasks', 'an array', m.tasks);
  if (!Number.isInteger(taskIndex) || taskIndex < 0 || taskIndex >= m.tasks.length) {
    throw bad(file, 'tasks', `an entry at task index ${taskIndex}`, `${m.tasks.length} tasks`);
  }
  return checkTask(file, taskIndex, m.tasks[taskIndex]);
}
