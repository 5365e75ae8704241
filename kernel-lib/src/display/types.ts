/**
 * MIME bundle and payload shapes shared by the display functions. The payloads are versioned (`version: 1`)
 * so that the JupyterLab extension can refuse a payload it does not understand instead of drawing nonsense.
 * extension/README.md documents the same schemas for readers of the notebook files.
 */

export const TABLE_MIME = 'application/vnd.emotune.table+json';
export const PIANOROLL_MIME = 'application/vnd.emotune.pianoroll+json';
/**
 * The extension's own MIME type for its plotly figures: it renders these (themed) and leaves every other
 * plotly output of a notebook to whatever renders `application/vnd.plotly.v1+json` there (jupyterlab-plotly).
 */
export const PLOTLY_MIME = 'application/vnd.emotune.plotly+json';
/** Plotly's own MIME type: every chart bundle carries the figure under it too, for frontends without the extension. */
export const STANDARD_PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** What a Jupyter `display_data` message carries. */
export interface MimeBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** A record from the pipeline (aggregate rows, comparison rows): fields are read by name, nothing is assumed. */
export type ResultRecord = Record<string, unknown>;

export type CellValue = string | number | null;

export interface TableColumn {
  key: string;
  label: string;
  kind: 'text' | 'number';
  /**
   * Number format: digits after the point; `percent` multiplies by 100 and appends `%`; `signed` puts `+` before
   * positive values (differences). One format per kind: display/format.ts.
   */
  format?: { digits: number; percent?: boolean; signed?: boolean };
  /** Colour the cell by value in [0, 1] (adherence ratios). */
  heat?: boolean;
  /** `up`: higher is better (shown as ↑ in the header). */
  better?: 'up' | 'down';
  /** What the column measures (the header's tooltip). */
  description?: string;
  /** Kept in view when the table scrolls sideways (identifying columns such as model and mode). */
  pinned?: boolean;
  /** Why a cell of this column can be empty (`–`): the empty cell's tooltip, so "not measured" reads as such. */
  emptyNote?: string;
}

/** What a click on a row shows: facts (label, value) and optionally the run's piano-roll (with play). */
export interface RowDetail {
  title: string;
  facts: Array<[string, string]>;
  roll?: PianoRollPayloadV1;
}

export interface TableRow {
  values: Record<string, CellValue>;
  /** Confidence intervals [lo, hi] for numeric cells, by column key. */
  intervals?: Record<string, [number, number]>;
  /** Shown under the table when the row is clicked. */
  detail?: RowDetail;
}

/** `application/vnd.emotune.table+json`, version 1. */
export interface TablePayloadV1 {
  version: 1;
  title?: string;
  columns: TableColumn[];
  rows: TableRow[];
  /** Column keys the renderer offers as filters (e.g. model, mode). */
  filters: string[];
}

/** A note as [pitch, start tick, end tick, velocity]. */
export type NoteTuple = [number, number, number, number];

export interface PianoRollV1 {
  title?: string;
  ticksPerBeat: number;
  beatsPerBar: number;
  notes: NoteTuple[];
  /** Indices into `notes` of the notes matching the conditioned value, with a label saying what matched. */
  highlight?: { label: string; notes: number[] };
  /** Lowest and highest pitch shown (fits the notes, at least one octave). */
  pitchRange: [number, number];
  /** Last tick shown on the time axis. */
  endTick: number;
  /** Tempo changes as [tick, beats per minute], for playback (none: 120 BPM, MIDI's default). */
  tempos?: Array<[number, number]>;
}

/** `application/vnd.emotune.pianoroll+json`, version 1: one or several rolls; several share the time axis. */
export interface PianoRollPayloadV1 {
  version: 1;
  title?: string;
  linkedTime: boolean;
  rolls: PianoRollV1[];
  /** `stacked` (default): one full-width roll under the other; `grid`: up to three side by side. */
  layout?: 'stacked' | 'grid';
}

/** Plotly's figure JSON as `application/vnd.plotly.v1+json` carries it. */
export interface PlotlyFigure {
  data: Array<Record<string, unknown>>;
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}
