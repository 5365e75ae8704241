/**
 * The one place that sends MIME bundles. Inside tslab, bundles go through the kernel's display hook
 * (`lastWriteDisplayData` in tslab's `dist/jupyter` module, set for the cell being executed); tslab's public
 * `display.raw` only sends one MIME type as a string, which is not enough for JSON payloads with fallbacks.
 * Elsewhere (plain Node, tests, the CLI) a pluggable sink receives the bundle; the default prints text/plain.
 * kernel-lib does not import tslab, so its types stay independent of it.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { MimeBundle } from './types.js';

/** Receives a bundle; `update` means "replace the output with the same transient.display_id". */
export type DisplaySink = (bundle: MimeBundle, update: boolean) => void;

type WriteDisplayData = (bundle: MimeBundle, update: boolean) => void;

let customSink: DisplaySink | null = null;

/** Route every bundle to `sink` (null restores the default). Returns the previous sink so tests can restore it. */
export function setDisplaySink(sink: DisplaySink | null): DisplaySink | null {
  const previous = customSink;
  customSink = sink;
  return previous;
}

const JUPYTER_MODULE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/**
 * The running tslab kernel's display hook, if this process is one. Looked up in Node's module cache because the
 * kernel's copy of tslab may be installed elsewhere than the one kernel-lib would resolve, and only the
 * kernel's own module instance holds the hook of the executing cell.
 */
export function findKernelDisplayHook(): WriteDisplayData | null {
  let cache: Record<string, { exports?: unknown } | undefined>;
  try {
    cache = createRequire(import.meta.url).cache as Record<string, { exports?: unknown } | undefined>;
  } catch {
    return null;
  }
  for (const [file, mod] of Object.entries(cache)) {
    if (!JUPYTER_MODULE.test(file)) continue;
    const exported = mod?.exports as { lastWriteDisplayData?: unknown } | undefined;
    const hook = exported?.lastWriteDisplayData;
    if (typeof hook === 'function') return (bundle, update) => (hook as WriteDisplayData)(bundle, update);
  }
  return null;
}

/** Default outside a kernel: the text/plain part on stdout, so scripts and the CLI still read well. */
function printPlain(bundle: MimeBundle): void {
  const text = bundle.data['text/plain'];
  process.stdout.write(`${typeof text === 'string' ? text : JSON.stringify(text)}\n`);
}

export interface PublishOptions {
  /** Jupyter display id; with `update: true` the earlier output with this id is replaced. */
  displayId?: string;
  update?: boolean;
}

/** Send one bundle to the custom sink, else the tslab kernel, else stdout. */
export function publishDisplay(bundle: MimeBundle, options: PublishOptions = {}): void {
  const out: MimeBundle = {
    data: bundle.data,
    metadata: bundle.metadata ?? {},
    transient:
      options.displayId === undefined
        ? { ...bundle.transient }
        : { ...bundle.transient, display_id: options.displayId },
  };
  const update = options.update === true;
  if (customSink) {
    customSink(out, update);
    return;
  }
  const hook = findKernelDisplayHook();
  if (hook) hook(out, update);
  else printPlain(out);
}

/** A fresh display id for outputs updated in place. */
export function newDisplayId(): string {
  return `emotune-${randomUUID()}`;
}
