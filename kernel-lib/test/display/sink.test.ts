import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createProgressDisplay,
  findKernelDisplayHook,
  publishDisplay,
  setDisplaySink,
  showTable,
} from '../../src/display/index.js';
import type { MimeBundle } from '../../src/display/index.js';

afterEach(() => {
  setDisplaySink(null);
  vi.restoreAllMocks();
});

describe('publishDisplay', () => {
  it('sends the whole bundle to a configured sink', () => {
    const got: Array<[MimeBundle, boolean]> = [];
    setDisplaySink((b, u) => got.push([b, u]));
    showTable([{ model: 'm', duration_adherence: 0.5 }]);
    expect(got).toHaveLength(1);
    expect(Object.keys(got[0]?.[0].data ?? {})).toEqual([
      'application/vnd.emotune.table+json',
      'text/html',
      'text/plain',
    ]);
    expect(got[0]?.[1]).toBe(false);
  });

  it('prints text/plain outside a kernel when no sink is set', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    publishDisplay({ data: { 'text/plain': 'hello', 'text/html': '<b>x</b>' }, metadata: {} });
    expect(write).toHaveBeenCalledWith('hello\n');
  });

  it("finds tslab's display hook in the module cache and sends through it", () => {
    const cache = createRequire(import.meta.url).cache as Record<string, unknown>;
    const file = '/somewhere/node_modules/tslab/dist/jupyter.js';
    const calls: Array<[MimeBundle, boolean]> = [];
    cache[file] = {
      id: file,
      filename: file,
      loaded: true,
      exports: { lastWriteDisplayData: (b: MimeBundle, u: boolean) => calls.push([b, u]) },
    };
    try {
      expect(findKernelDisplayHook()).not.toBeNull();
      publishDisplay({ data: { 'text/plain': 'x' }, metadata: {} }, { displayId: 'd1', update: true });
      expect(calls).toEqual([[{ data: { 'text/plain': 'x' }, metadata: {}, transient: { display_id: 'd1' } }, true]]);
    } finally {
      delete cache[file];
    }
    expect(findKernelDisplayHook()).toBeNull();
  });
});

describe('createProgressDisplay', () => {
  it('shows once, then replaces the same display id with each update', () => {
    const got: Array<[MimeBundle, boolean]> = [];
    setDisplaySink((b, u) => got.push([b, u]));
    const p = createProgressDisplay({ title: 'Eval <x>', total: 4, minIntervalMs: 0 });
    p.update({ done: 1, failed: 1, running: 2, total: 4, elapsedS: 65, etaS: 3725 });
    p.update({ done: 3, failed: 1, running: 0, total: 4, elapsedS: 130 });
    expect(got.map(([, u]) => u)).toEqual([false, true, true]);
    const ids = new Set(got.map(([b]) => b.transient?.display_id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBe(p.displayId);
    expect(got[1]?.[0].data['text/plain']).toBe(
      'Eval <x>: 2/4 (50%) — done 1, failed 1, running 2; elapsed 1m05s, ETA 1h02m',
    );
    const html = got[2]?.[0].data['text/html'] as string;
    expect(html).toContain('Eval &lt;x&gt;');
    expect(html).toContain('data-emotune-done="3"');
  });

  it('throttles intermediate updates but always sends the final one', () => {
    const got: MimeBundle[] = [];
    setDisplaySink((b) => got.push(b));
    const p = createProgressDisplay({ total: 3, minIntervalMs: 60_000 });
    p.update({ done: 1, failed: 0, running: 1, total: 3 });
    p.update({ done: 2, failed: 0, running: 1, total: 3 });
    p.update({ done: 3, failed: 0, running: 0, total: 3 });
    // Initial display, the first update (no earlier update to throttle against), the final one.
    expect(got.map((b) => b.data['text/plain'])).toEqual([
      'Evaluation: 0/3 (0%) — done 0, failed 0, running 0; elapsed –, ETA –',
      'Evaluation: 1/3 (33%) — done 1, failed 0, running 1; elapsed –, ETA –',
      'Evaluation: 3/3 (100%) — done 3, failed 0, running 0; elapsed –, ETA –',
    ]);
  });

  it('shows the latest throttled state once the interval has passed (two runs going shows running 2)', () => {
    vi.useFakeTimers();
    try {
      const got: MimeBundle[] = [];
      setDisplaySink((b) => got.push(b));
      const p = createProgressDisplay({ total: 4, minIntervalMs: 200 });
      p.update({ done: 0, failed: 0, running: 1, total: 4 });
      p.update({ done: 0, failed: 0, running: 2, total: 4 });
      expect(got.at(-1)?.data['text/plain']).toContain('running 1');
      vi.advanceTimersByTime(250);
      expect(got.at(-1)?.data['text/plain']).toContain('running 2');
      expect(got).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
