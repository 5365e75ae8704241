import { readFile } from 'node:fs/promises';
import { EmotuneError } from '../errors.js';

/** Read an input file's bytes; a missing or unreadable file is an EmotuneError naming it (code `<kind>.io`). */
export async function readInputFile(path: string, kind: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new EmotuneError('cannot read file', { file: path, code: `${kind}.io`, cause, found: (cause as Error).message });
  }
}
