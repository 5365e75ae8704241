import { EmotuneError, describeValue } from '../errors.js';
import type { ClassifierConfig } from './types.js';

/** The argument that becomes the paths of a batch of files (one argument per file). */
export const MIDIS_PLACEHOLDER = '{midis}';

/**
 * A classifier command takes one file (`{midi}` inside an argument) or a batch (an argument that is exactly
 * `{midis}`), never both; `batch_size` only means something with `{midis}`.
 */
export function checkClassifierPlaceholders(c: Pick<ClassifierConfig, 'command' | 'batch_size'>, file?: string): void {
  const found = describeValue(c.command);
  const batch = c.command.filter((a) => a === MIDIS_PLACEHOLDER).length;
  const single = c.command.some((a) => a.includes('{midi}'));
  if (c.command.some((a) => a.includes(MIDIS_PLACEHOLDER) && a !== MIDIS_PLACEHOLDER)) {
    throw new EmotuneError('{midis} must be an argument of its own (it becomes one argument per file)', {
      file,
      field: 'classifier.command',
      expected: 'an argument exactly "{midis}"',
      found,
      code: 'config.invalid',
    });
  }
  if (batch > 1 || (batch === 1 && single)) {
    throw new EmotuneError('the classifier command mixes placeholders', {
      file,
      field: 'classifier.command',
      expected: 'either {midi} (one file per process) or one {midis} argument (a batch per process)',
      found,
      code: 'config.invalid',
    });
  }
  if (batch === 0 && !single) {
    throw new EmotuneError('the classifier command has no {midi} placeholder', {
      file,
      field: 'classifier.command',
      expected: 'an argument containing {midi}, or an argument {midis} for a batch of files',
      found,
      code: 'config.invalid',
    });
  }
  if (batch === 0 && c.batch_size !== undefined) {
    throw new EmotuneError('batch_size needs a {midis} argument in the command', {
      file,
      field: 'classifier.batch_size',
      expected: 'a command with an argument {midis} (or no batch_size)',
      found: describeValue(c.batch_size),
      code: 'config.invalid',
    });
  }
}
