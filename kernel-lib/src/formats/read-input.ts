import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { EmotuneError, errorMessage } from '../errors.js';

/**
 * Largest input accepted per kind of file (bytes). Generated songs, vocabularies and meta files are small; the
 * caps only stop a wrong path (a device, a huge log) from filling memory. `/dev/zero` is not a file at all.
 */
export const MAX_INPUT_BYTES: Record<string, number> = {
  midi: 64 * 2 ** 20,
  npy: 1024 * 2 ** 20,
  meta: 16 * 2 ** 20,
  vocab: 64 * 2 ** 20,
  runs: 512 * 2 ** 20,
  emopia: 16 * 2 ** 20,
  classifier: 64 * 2 ** 20,
  reference: 64 * 2 ** 20,
};
const DEFAULT_MAX_BYTES = 256 * 2 ** 20;
/**
 * Files up to this size are read with synchronous calls: an analysis reads hundreds of small files, and each
 * asynchronous stat, open, read and close is a round trip through the thread pool that costs more CPU than
 * the read itself (about 0.1 ms a file), while reading a small cached file blocks for microseconds.
 */
const SYNC_READ_BYTES = 2 ** 20;

/** The buffer to read on into: `buf` while it has room, else one twice as large, never past maxBytes + 1. */
function withRoom(buf: Uint8Array, got: number, maxBytes: number, tooLarge: (size: string) => Error): Uint8Array {
  if (got < buf.length) return buf;
  if (buf.length > maxBytes) throw tooLarge(`more than ${maxBytes} bytes`);
  const bigger = new Uint8Array(Math.min(maxBytes + 1, buf.length * 2));
  bigger.set(buf);
  return bigger;
}

function kindOfNode(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** What an unreadable file's error says, when the caller knows better than "cannot read file" what it wanted. */
export interface ReadInputWords {
  message?: string;
  expected?: string;
}

/**
 * Read an input file's bytes, at most `maxBytes`. A missing or unreadable file is an EmotuneError naming it
 * (code `<kind>.io`); so is a FIFO, device or folder (never opened: reading a FIFO would block for ever), and a
 * file over the cap (`<kind>.too-large`).
 */
export async function readInputFile(
  path: string,
  kind: string,
  maxBytes = MAX_INPUT_BYTES[kind] ?? DEFAULT_MAX_BYTES,
): Promise<Uint8Array> {
  const steps = readSteps(path, kind, maxBytes, false, {});
  let step = steps.next();
  while (!step.done) {
    let value: unknown;
    try {
      value = await step.value;
    } catch (cause) {
      step = steps.throw(cause);
      continue;
    }
    step = steps.next(value);
  }
  return step.value;
}

/**
 * readInputFile with synchronous calls only, for the few loaders that must not await (a model or statistics file
 * read once by a notebook cell or at a command's start): the same checks, caps and errors.
 */
export function readInputFileSync(
  path: string,
  kind: string,
  words: ReadInputWords = {},
  maxBytes = MAX_INPUT_BYTES[kind] ?? DEFAULT_MAX_BYTES,
): Uint8Array {
  const steps = readSteps(path, kind, maxBytes, true, words);
  let step = steps.next();
  while (!step.done) step = steps.next(step.value);
  return step.value;
}

/** readInputFileSync's bytes as text, as `readFileSync(path, 'utf8')` decodes them (a BOM kept). */
export function readInputTextSync(path: string, kind: string, words: ReadInputWords = {}): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(readInputFileSync(path, kind, words));
}

/**
 * The read, written once for both: each step yields what it waits for, a value from a synchronous call or a
 * promise from the thread pool, and gets it back (or its error thrown in). Small files always go synchronously.
 */
function* readSteps(
  path: string,
  kind: string,
  maxBytes: number,
  syncOnly: boolean,
  words: ReadInputWords,
): Generator<unknown, Uint8Array, unknown> {
  const io = (cause: unknown, found: string) =>
    new EmotuneError(words.message ?? 'cannot read file', {
      file: path,
      code: `${kind}.io`,
      cause,
      found,
      expected: words.expected ?? 'a readable regular file',
    });
  let s: Stats;
  try {
    s = statSync(path);
  } catch (cause) {
    throw io(cause, errorMessage(cause));
  }
  if (!s.isFile()) throw io(undefined, kindOfNode(s));
  const tooLarge = (size: string) =>
    new EmotuneError('file too large', {
      file: path,
      code: `${kind}.too-large`,
      expected: `at most ${maxBytes} bytes`,
      found: size,
    });
  if (s.size > maxBytes) throw tooLarge(`${s.size} bytes`);
  const file = syncOnly || s.size <= SYNC_READ_BYTES ? syncFile : asyncFile;
  let handle: FileHandleLike;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since the stat, opening it must not wait for a writer.
    handle = (yield file.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))) as FileHandleLike;
  } catch (cause) {
    throw io(cause, errorMessage(cause));
  }
  try {
    const again = (yield handle.stat()) as Stats;
    if (!again.isFile()) throw io(undefined, kindOfNode(again));
    // Read at most maxBytes + 1 whatever the size said: a file can grow while it is read.
    let buf: Uint8Array = new Uint8Array(Math.min(maxBytes + 1, again.size + 1));
    let got = 0;
    for (;;) {
      buf = withRoom(buf, got, maxBytes, tooLarge);
      const bytesRead = (yield handle.read(buf, got, buf.length - got, got)) as number;
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } catch (cause) {
    if (cause instanceof EmotuneError) throw cause;
    throw io(cause, errorMessage(cause));
  } finally {
    yield handle.close();
  }
}

/** An open file as readInputFile uses it, through synchronous calls or through the thread pool. */
interface FileHandleLike {
  stat(): Stats | Promise<Stats>;
  read(buf: Uint8Array, offset: number, length: number, position: number): number | Promise<number>;
  close(): void | Promise<void>;
}

const syncFile = {
  open(path: string, flags: number): FileHandleLike {
    const fd = openSync(path, flags);
    return {
      stat: () => fstatSync(fd),
      read: (buf, offset, length, position) => readSync(fd, buf, offset, length, position),
      close: () => closeSync(fd),
    };
  },
};

const asyncFile = {
  async open(path: string, flags: number): Promise<FileHandleLike> {
    const fh = await open(path, flags);
    return {
      stat: () => fh.stat(),
      read: async (buf, offset, length, position) => (await fh.read(buf, offset, length, position)).bytesRead,
      close: () => fh.close(),
    };
  },
};
