import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { encodeMidi } from '../../src/formats/midi-write.js';
import { tempDir } from '../helpers.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    const code = await runCli(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

const dir = tempDir('emotune-keycli-');
const song = join(dir, 'c-major.mid');
writeFileSync(
  song,
  encodeMidi({
    ticksPerBeat: 480,
    notes: [60, 64, 67, 72, 65, 62, 71].map((p, i) => ({
      pitch: p,
      start: i * 480,
      end: i * 480 + 480,
      velocity: 80,
      channel: 0,
      track: 0,
    })),
  }),
);
const bad = join(dir, 'broken.mid');
writeFileSync(bad, 'MThd garbage');

afterEach(() => {
  process.exitCode = undefined;
});

describe('emotune key', () => {
  it('prints one JSON line per file with the key, its score and the expected key score', async () => {
    const r = await cli(['key', song, song, '--expected', 'A:min', '--json']);
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ file: song, key: 'C:maj' });
    expect(lines[0].score).toBeGreaterThan(lines[0].expected_score);
  });

  it('prints a readable line without --json, expected_score null in JSON without --expected', async () => {
    expect((await cli(['key', song])).out).toMatch(/c-major\.mid: C:maj \(score 0\.\d{4}\)/);
    expect(JSON.parse((await cli(['key', song, '--json'])).out).expected_score).toBeNull();
  });

  it('names a bad file in one line, goes on with the others and exits 1', async () => {
    const r = await cli(['key', bad, song, '--json']);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('broken.mid');
    expect(JSON.parse(r.out).key).toBe('C:maj');
  });

  it('exits 2 with one line for a bad --expected', async () => {
    const r = await cli(['key', song, '--expected', 'H:major']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--expected/);
    expect(r.out).toBe('');
  });
});
