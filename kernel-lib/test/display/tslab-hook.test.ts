/**
 * kernel-lib reaches tslab's display hook by name (`lastWriteDisplayData` in `tslab/dist/jupyter.js`), a private
 * export. tslab is pinned exactly in the root package.json; this test fails if the pinned tslab no longer has the
 * hook where the sink looks for it (rich output would otherwise silently turn into plain text).
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { findKernelDisplayHook } from '../../src/display/sink.js';
import type { MimeBundle } from '../../src/display/types.js';

const require = createRequire(import.meta.url);
const JUPYTER = 'tslab/dist/jupyter.js';

describe("tslab's display hook", () => {
  let jupyter: { lastWriteDisplayData: unknown } | null = null;
  afterEach(() => {
    if (jupyter) jupyter.lastWriteDisplayData = null;
  });

  it('is still exported by the pinned tslab as lastWriteDisplayData', () => {
    jupyter = require(JUPYTER) as { lastWriteDisplayData: unknown };
    expect(Object.keys(jupyter)).toContain('lastWriteDisplayData');
  });

  it('is found by the display sink once the kernel sets it for a cell, and receives the bundle', () => {
    jupyter = require(JUPYTER) as { lastWriteDisplayData: unknown };
    const seen: Array<[MimeBundle, boolean]> = [];
    jupyter.lastWriteDisplayData = (bundle: MimeBundle, update: boolean) => seen.push([bundle, update]);
    const hook = findKernelDisplayHook();
    expect(hook).not.toBeNull();
    const bundle: MimeBundle = { data: { 'text/plain': 'hi' }, metadata: {} };
    hook!(bundle, true);
    expect(seen).toEqual([[bundle, true]]);
  });
});
