import { expect } from 'vitest';
import { EmotuneError } from '../src/errors.js';

/** Run `f`, expect it to throw an EmotuneError, and return it for assertions on file, field and message. */
export function errorOf(f: () => unknown): EmotuneError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EmotuneError);
    return e as EmotuneError;
  }
  throw new Error('expected an EmotuneError');
}
