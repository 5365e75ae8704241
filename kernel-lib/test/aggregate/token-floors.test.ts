import { describe, expect, it } from 'vitest';
import { buildExtendedResults, type ExtendedRunInput } from '../../src/aggregate/extended-results.js';
import { tokenFloors } from '../../src/aggregate/token-floors.js';
import { floorPermutations } from '../../src/stats/permutation.js';
import type { NoteAdherence } from '../../src/metrics/note-adherence.js';
import { mulberry32 } from '../../src/stats/prng.js';
import { modeSummaryRecords, tokenFloorLines, tokenFloorRecords } from '../../src/display/extended-tables.js';
import { tablePayload } from '../../src/display/table.js';

const LABELS: Record<number, string> = { 2: 'Note_Duration_120', 3: 'Note_Duration_480', 4: 'Note_Duration_1080' };

/** One song's duration column: `counts` note steps per value index, `metrical` other steps (padding, index 0). */
function song(target: number, counts: Record<number, number>, metrical = 10): NoteAdherence {
  const noteSteps = Object.values(counts).reduce((a, b) => a + b, 0);
  const matches = counts[target] ?? 0;
  return {
    token: 'duration',
    targetIndex: target,
    targetLabel: LABELS[target]!,
    noteSteps,
    matches,
    ratio: matches / noteSteps,
    allSteps: { matches, total: noteSteps + metrical },
    distance: null,
    histogram: Object.entries(counts).map(([i, count]) => ({
      index: Number(i),
      label: LABELS[Number(i)]!,
      count,
      isTarget: Number(i) === target,
    })),
    otherSteps: [{ index: 0, count: metrical }],
  };
}

/** A run of `songs` songs asked for duration `target` in the cell of `emotion`. */
function run(mode: string, emotion: number, target: number, songs: NoteAdherence[]): ExtendedRunInput {
  const out_dir = `${mode}-${emotion}-${target}`;
  return {
    run: {
      model: 'scratch',
      mode,
      emotion,
      key: null,
      subset: ['duration'],
      conditions: { duration: LABELS[target]! },
      out_dir,
      returncode: 0,
    },
    tokenFiles: songs.map((note, i) => ({ meta: `${out_dir}/${i}.meta.json`, note: [note] })),
    midiFiles: [],
    problems: [],
  };
}

/** Songs whose duration mix does not depend on what was asked: a generator that ignores the condition. */
function ignoring(mode: string, seed: number): ExtendedRunInput[] {
  const next = mulberry32(seed);
  const mix = () => ({
    2: 20 + Math.floor(next() * 20),
    3: 10 + Math.floor(next() * 10),
    4: 5 + Math.floor(next() * 5),
  });
  return [1, 2, 3, 4].flatMap((emotion) =>
    [3, 4].map((target) => run(mode, emotion, target, [song(target, mix()), song(target, mix()), song(target, mix())])),
  );
}

/** Songs asked for a value hold more of it: a generator that obeys. */
function obeying(mode: string): ExtendedRunInput[] {
  return [1, 2, 3, 4].flatMap((emotion) =>
    [3, 4].map((target) =>
      run(
        mode,
        emotion,
        target,
        [0, 1, 2].map((k) => song(target, { 2: 20, 3: target === 3 ? 14 + k : 6, 4: target === 4 ? 14 + k : 6 })),
      ),
    ),
  );
}

describe('token floors: the same songs against shuffled requests', () => {
  it('puts a generator that ignores the condition at its floor (large p) and one that obeys above it', () => {
    const floors = tokenFloors([...ignoring('inference-primed', 4), ...obeying('inference-deterministic')], {
      seed: 1,
    });
    const ignored = floors.get(JSON.stringify(['scratch', 'inference-primed']))!['duration_note_adherence']!;
    expect(ignored.observed).toBeGreaterThanOrEqual(ignored.lower);
    expect(ignored.observed).toBeLessThanOrEqual(ignored.upper);
    expect(ignored.p).toBeGreaterThan(0.05);
    const obeyed = floors.get(JSON.stringify(['scratch', 'inference-deterministic']))!['duration_note_adherence']!;
    expect(obeyed.observed).toBeGreaterThan(obeyed.upper);
    expect(obeyed.p).toBeCloseTo(1 / 1001, 12);
    expect(obeyed.p_adjusted).toBeGreaterThanOrEqual(obeyed.p); // Holm over the file's four floors
    expect(obeyed).toMatchObject({ songs: 24, cells: 4, permutations: 1000, seed: 1 });
  });

  it('scores the all-steps floor over every step, metrical ones included', () => {
    // Metrical steps hold index 3 in every song: asked for 3 or not, a song matches there, so the floor counts them.
    const songs = [3, 4].map((target) => {
      const s = song(target, { 3: 5, 4: 5 }, 0);
      return { ...s, otherSteps: [{ index: 3, count: 10 }], allSteps: { matches: target === 3 ? 15 : 5, total: 20 } };
    });
    const floors = tokenFloors([run('m', 1, 3, [songs[0]!]), run('m', 1, 4, [songs[1]!])], { seed: 2 });
    const all = floors.get(JSON.stringify(['scratch', 'm']))!['duration_adherence']!;
    expect(all.observed).toBeCloseTo(20 / 40, 15);
    // Swapped: the song asked for 3 is scored at 4 (5 of 20) and the other at 3 (15 of 20): the same 50%.
    expect(all.mean).toBeCloseTo(0.5, 15);
  });

  it('shuffles requests only within a grid cell: values that differ by emotion alone give no floor', () => {
    // Emotion 1 always asked for 3, emotion 2 for 4: no cell holds two requests, nothing can be shuffled.
    const floors = tokenFloors([run('m', 1, 3, [song(3, { 3: 9, 4: 1 })]), run('m', 2, 4, [song(4, { 3: 1, 4: 9 })])], {
      seed: 3,
    });
    expect(floors.size).toBe(0);
  });

  it('warns (at-floor) about a token figure not shown above its floor, and only about that one', () => {
    const ext = buildExtendedResults([...ignoring('inference-primed', 4), ...obeying('inference-deterministic')], {
      seed: 1,
      resamples: 200,
    });
    const at = ext.warnings.filter((w) => w.code === 'at-floor');
    expect(at.map((w) => [w.mode, w.figure])).toEqual([
      ['inference-primed', 'duration_adherence'],
      ['inference-primed', 'duration_note_adherence'],
    ]);
    expect(at[0]!.message).toMatch(
      /^scratch inference-primed: duration_adherence \d+\.\d% is not shown above its floor \d+\.\d% \[.*Holm-adjusted p = /,
    );
  });

  it('says when too few songs per cell make the test unable to pass, whatever the generator does', () => {
    // One song per run, two runs per cell, two cells: 4 distinct assignments, so p >= 1/4 before adjustment.
    const few = [1, 2].flatMap((emotion) =>
      [3, 4].map((target) =>
        run('m', emotion, target, [song(target, { 2: 5, 3: target === 3 ? 9 : 1, 4: target === 4 ? 9 : 1 })]),
      ),
    );
    const ext = buildExtendedResults(few, { seed: 2, resamples: 100 });
    const floor = ext.modes[0]!.floors!['duration_adherence']!;
    expect(floor.min_p_adjusted).toBeCloseTo(Math.min(1, 2 * 0.25), 12); // two floors in the family
    const warning = ext.warnings.find((w) => w.code === 'at-floor' && w.figure === 'duration_adherence')!;
    expect(warning.message).toMatch(/this test cannot pass: its smallest possible adjusted p is 0\.50/);
  });

  it('leaves out of the floor the cells where one value was asked (an incomplete grid is not pulled to its figure)', () => {
    // Obeying generator; in emotions 2-4 only the duration-4 runs exist, so only emotion 1 can be shuffled.
    const partial = obeying('inference-primed').filter(
      (r) => r.run.emotion === 1 || r.run.conditions!['duration'] === LABELS[4],
    );
    const full = tokenFloors(obeying('inference-primed'), { seed: 3 }).get(
      JSON.stringify(['scratch', 'inference-primed']),
    )!;
    const part = tokenFloors(partial, { seed: 3 }).get(JSON.stringify(['scratch', 'inference-primed']))!;
    expect(part['duration_note_adherence']).toMatchObject({ songs: 6, cells: 1 });
    // The same level the full grid gives cell by cell, not one dragged up by 9 songs that keep their own score.
    expect(part['duration_note_adherence']!.mean).toBeCloseTo(full['duration_note_adherence']!.mean, 1);
    const ext = buildExtendedResults(partial, { seed: 3, resamples: 100 });
    const mode = ext.modes[0]!;
    expect(mode.floors!['duration_note_adherence']!.songs).toBeLessThan(
      mode.figures['duration_note_adherence']!.n_songs!,
    );
    // The per-mode table shows a floor only beside the songs it rests on; the floor table keeps it with its own figure.
    const [rec] = modeSummaryRecords(ext);
    expect(rec).not.toHaveProperty('duration_note_adherence_floor');
    expect(tokenFloorRecords(ext).find((r) => r['figure'] === 'duration (note steps)')).toMatchObject({ n_songs: 6 });
  });

  it("holds no p below the exact test's smallest, and bounds the smallest Holm p per test, not per family", () => {
    // A large mode (many assignments) beside a small one (one cell of 2 + 2 songs: 6 assignments).
    const small = [3, 4].map((target) =>
      run(
        'small',
        1,
        target,
        [0, 1].map(() => song(target, { 2: 5, 3: target === 3 ? 9 : 1, 4: target === 4 ? 9 : 1 })),
      ),
    );
    const floors = tokenFloors([...obeying('large'), ...small], { seed: 4 });
    const f = floors.get(JSON.stringify(['scratch', 'small']))!['duration_note_adherence']!;
    expect(f.p).toBeGreaterThanOrEqual(1 / 6);
    expect(f.min_p_adjusted).toBeCloseTo(1 / 6, 12); // its own smallest p, not 4 tests x 1/6
    expect(f.p_adjusted).toBeGreaterThanOrEqual(f.min_p_adjusted);
    const big = floors.get(JSON.stringify(['scratch', 'large']))!['duration_note_adherence']!;
    expect(big.min_p_adjusted).toBeCloseTo(4 / 1001, 12);
  });

  it('lists a token figure without a floor in the floor table and under the CLI table, saying why', () => {
    // Every cell asked for one duration only: nothing to shuffle, so no floor; the figure is not silently left out.
    const one = [1, 2].map((emotion) => run('m', emotion, 3, [song(3, { 2: 5, 3: 9, 4: 1 })]));
    const ext = buildExtendedResults(one, { seed: 1, resamples: 100 });
    expect(ext.modes[0]!.floors).toBeUndefined();
    const rows = tokenFloorRecords(ext);
    expect(rows.map((r) => [r['figure'], r['reading']])).toEqual([
      [
        'duration (all steps)',
        'no floor: no grid cell asked for two values of this token; max_values_per_token 2 or more gives one',
      ],
      [
        'duration (note steps)',
        'no floor: no grid cell asked for two values of this token; max_values_per_token 2 or more gives one',
      ],
    ]);
    expect(rows[0]).not.toHaveProperty('adherence_floor');
    expect(tokenFloorLines(ext)[1]).toMatch(
      /^ {2}scratch m: duration \d+\.\d% \(no floor: no grid cell asked for two values of this token; max_values_per_token 2 or more gives one\)$/,
    );
    // Its empty floor cell in the per-mode table is explained under the table.
    const payload = tablePayload([{ ...modeSummaryRecords(ext)[0]!, duration_adherence_floor: null }]);
    expect(payload.columns.find((c) => c.key === 'duration_adherence_floor')!.emptyNote).toMatch(/^no floor: /);
  });

  it('sits in the per-mode results beside the figure it floors, with the same observed value', () => {
    const ext = buildExtendedResults([...obeying('inference-primed')], { seed: 5, resamples: 200 });
    const mode = ext.modes[0]!;
    for (const metric of ['duration_adherence', 'duration_note_adherence']) {
      expect(mode.floors![metric]!.observed).toBeCloseTo(mode.figures[metric]!.estimate, 12);
      expect(mode.floors![metric]!.mean).toBeLessThan(mode.figures[metric]!.estimate);
    }
    expect(ext.definitions['<token>_adherence_floor']).toMatch(/shuffled/);
  });

  it('draws enough permutations that a file of many floors can still pass Holm at .05', () => {
    expect(floorPermutations(16)).toBe(1000);
    expect(floorPermutations(21)).toBe(2000);
    for (const m of [1, 16, 20, 21, 64, 200, 1000]) expect(m / (floorPermutations(m) + 1)).toBeLessThan(0.025);
  });
});
