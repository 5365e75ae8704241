import type { BackoffTable, Row } from './ngram.js';

/**
 * The numbers a state's contexts are made of (CpState.contextInputs), by position: generation looks each
 * level's row up by the inputs that level reads, as one number, instead of building its context string and
 * hashing it (which took about a third of generation's time). The strings stay the model's truth: the first
 * look-up of a key builds them, and what it finds is kept.
 */
export const IN_CLASS = 0; // previous step class, index in CLASS_LETTERS
export const IN_NOTES = 1; // notes at this position so far, at most 8
export const IN_BEAT = 2; // last beat + 1 (0: none in this bar)
export const IN_BARS = 3; // the class context's tail: 0 none, 1 + bars after a Bar, 100 + octave after a Note
export const IN_TEMPO = 4; // whether a tempo was seen
export const IN_CHORD = 5; // previous chord (vocabulary index)
export const IN_SECOND = 6; // whether this note is a position's second or later (the contexts' `s`)
export const IN_COND = 7; // the condition (emotion, mode), numbered by the index in the order it meets them
export const IN_ATTR = 8; // the song's attribute for the field + 1, 0 when it has none
export const IN_HIST = 9; // IN_HIST + j: the field's (j + 1)-th last value + 1, 0 when the history is shorter
/** Values of the history a context can read (CpState keeps the last 4). */
export const HIST_INPUTS = 4;
export const INPUT_COUNT = IN_HIST + HIST_INPUTS;
export const CLASS_LETTERS = 'SBbNE';

/** How many values each input can take, for a model whose vocabulary indices are below `indices`. */
export function inputSizes(indices: number): number[] {
  const sizes = [CLASS_LETTERS.length, 9, 17, 128, 2, indices, 2, MAX_CONDITIONS, indices + 1];
  for (let j = 0; j < HIST_INPUTS; j++) sizes.push(indices + 1);
  return sizes;
}

/** Conditions an index numbers; a state with another one is looked up by its strings. */
const MAX_CONDITIONS = 64;
/** Keys must stay small integers (exact, and cheap as Map keys). */
const MAX_KEY = 2 ** 30;

/** What the index asks a state: its condition, the inputs of a field's contexts and, on a miss, the contexts. */
export interface ContextInputs<F> {
  readonly cond: string;
  contextInputs(field: F, out: number[]): void;
  contexts(field: F): readonly string[];
}

/** A bound on the keys remembered per level (a long-lived kernel generating for days): past it, start over. */
const MAX_KEYS_PER_LEVEL = 1 << 16;
/** Offset of a level whose context was never counted. */
const ABSENT = -1;

/**
 * One field's table looked up by context inputs and mixed from a flat copy of the rows it met: per row n,
 * distinct successors and the counts over the support, side by side (a row, its counts and their buffer were
 * three objects apart in memory, and generation waited on memory more than on arithmetic). `undefined` from
 * `create` when a level's key would not stay a small integer (a much larger vocabulary): that field is then
 * looked up by its strings.
 */
export class ContextIndex<F> {
  /** Per level: key -> offset of the row in `flat` (ABSENT: never counted). */
  private readonly memo: Map<number, number>[];
  private readonly offsetOfRow = new Map<Row, number>();
  private flat = new Float64Array(1 << 12);
  private used = 0;
  private readonly offsets: number[] = [];
  private readonly uniform: Float64Array;
  private readonly inputs = new Array<number>(INPUT_COUNT).fill(0);
  private readonly condIds = new Map<string, number>();
  private lastCond?: string;
  private lastCondId = 0;
  /** The table's version the copies were made from: counts added since make them stale. */
  private version = -1;

  private constructor(
    private readonly field: F,
    private readonly table: BackoffTable,
    /** Per level, the inputs its context reads. */
    private readonly levelInputs: readonly (readonly number[])[],
    private readonly sizes: readonly number[],
    private readonly support: readonly number[],
  ) {
    this.memo = levelInputs.map(() => new Map());
    // The values `fill(1 / n)` gives, as BackoffTable starts its mix from.
    this.uniform = new Float64Array(support.length).fill(1 / support.length);
  }

  static create<F>(
    field: F,
    table: BackoffTable,
    levelInputs: readonly (readonly number[])[],
    sizes: readonly number[],
    support: readonly number[],
  ): ContextIndex<F> | undefined {
    if (levelInputs.length !== table.depth) return undefined;
    for (const ins of levelInputs) if (ins.reduce((m, j) => m * sizes[j]!, 1) > MAX_KEY) return undefined;
    return new ContextIndex(field, table, levelInputs, sizes, support);
  }

  /**
   * `table.distribution(state.contexts(field), support, backoff)` into `p`, the same arithmetic in the same
   * order; false (p untouched) when an input is out of range: use the strings.
   */
  mixInto(state: ContextInputs<F>, p: Float64Array, backoff: number): boolean {
    if (!this.offsetsOf(state)) return false;
    const n = this.support.length;
    p.set(this.uniform);
    for (let i = this.offsets.length - 1; i >= 0; i--) {
      const at = this.offsets[i]!;
      if (at === ABSENT) continue;
      const flat = this.flat;
      const t = backoff * flat[at + 1]!;
      const denom = flat[at]! + t;
      const c = at + 2;
      for (let k = 0; k < n; k++) p[k] = (flat[c + k]! + t * p[k]!) / denom;
    }
    return true;
  }

  /** Offset of every level's row into `offsets`; false when an input is out of range. */
  private offsetsOf(state: ContextInputs<F>): boolean {
    const v = this.inputs;
    state.contextInputs(this.field, v);
    v[IN_COND] = this.condId(state.cond);
    for (let j = 0; j < INPUT_COUNT; j++) {
      const x = v[j]!;
      if (!(Number.isInteger(x) && x >= 0 && x < this.sizes[j]!)) return false;
    }
    if (this.table.version !== this.version) this.forget();
    let contexts: readonly string[] | undefined;
    for (let i = 0; i < this.levelInputs.length; i++) {
      const ins = this.levelInputs[i]!;
      let key = 0;
      for (let j = 0; j < ins.length; j++) key = key * this.sizes[ins[j]!]! + v[ins[j]!]!;
      const memo = this.memo[i]!;
      let at = memo.get(key);
      if (at === undefined) {
        contexts ??= state.contexts(this.field);
        const row = this.table.levels[i]!.get(contexts[i]!);
        at = row ? this.copyOf(row) : ABSENT;
        if (memo.size >= MAX_KEYS_PER_LEVEL) memo.clear();
        memo.set(key, at);
      }
      this.offsets[i] = at;
    }
    this.offsets.length = this.levelInputs.length;
    return true;
  }

  /** Offset of a row's flat copy: n, distinct successors, counts over the support (made at its first use). */
  private copyOf(row: Row): number {
    let at = this.offsetOfRow.get(row);
    if (at !== undefined) return at;
    const n = this.support.length;
    if (this.used + n + 2 > this.flat.length) {
      const grown = new Float64Array(Math.max(2 * this.flat.length, this.used + n + 2));
      grown.set(this.flat.subarray(0, this.used));
      this.flat = grown;
    }
    at = this.used;
    this.flat[at] = row.n;
    this.flat[at + 1] = row.counts.size;
    for (const [value, count] of row.counts) {
      const k = this.support.indexOf(value);
      if (k >= 0) this.flat[at + 2 + k] = count;
    }
    this.used += n + 2;
    this.offsetOfRow.set(row, at);
    return at;
  }

  /** Drops every copy and look-up (the counts changed). */
  private forget(): void {
    for (const m of this.memo) m.clear();
    this.offsetOfRow.clear();
    this.flat.fill(0, 0, this.used);
    this.used = 0;
    this.version = this.table.version;
  }

  /** The condition's number (MAX_CONDITIONS, out of range, once that many are numbered). */
  private condId(cond: string): number {
    if (cond === this.lastCond) return this.lastCondId;
    let id = this.condIds.get(cond);
    if (id === undefined) {
      if (this.condIds.size >= MAX_CONDITIONS) return MAX_CONDITIONS;
      id = this.condIds.size;
      this.condIds.set(cond, id);
    }
    this.lastCond = cond;
    this.lastCondId = id;
    return id;
  }
}
