/** The piano-roll renderer: the figure from model.ts drawn by plotly, with a DOM title and test hooks. */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PIANOROLL_MIME } from '../mime.js';
import type { PlotlyFigureJson } from '../plotly/types.js';
import { PlotlyWidget } from '../plotly/widget.js';
import type { PlotlyWidgetOptions } from '../plotly/widget.js';
import type { ThemeColors } from '../theme.js';
import { drawFirstFrame } from './first-frame.js';
import { countNotes, parsePianoRollPayload, pianoRollFigure } from './model.js';
import type { PianoRollPayload } from './model.js';

/** The parts of plotly's live layout used to map data to screen (plotly keeps it on the graph div). */
interface LiveAxis {
  _offset: number;
  l2p(v: number): number;
}

/**
 * Viewport coordinates of a note's centre, or null when it is not drawn. Plotly draws all notes of a velocity
 * group as one SVG path, so there is no element per note to aim at; browser tests call this through
 * `plot.emotuneNotePosition(roll, note)` (the `.emotune-plot` element) to hover or click a given note.
 */
export function notePosition(plot: HTMLElement, payload: PianoRollPayload, roll: number, note: number): { x: number; y: number } | null {
  const r = payload.rolls[roll];
  const n = r?.notes[note];
  const layout = (plot as unknown as { _fullLayout?: Record<string, LiveAxis | undefined> })._fullLayout;
  if (!r || !n || !layout) return null;
  const s = roll === 0 ? '' : String(roll + 1);
  const xa = layout[`xaxis${s}`];
  const ya = layout[`yaxis${s}`];
  if (!xa || !ya) return null;
  const box = plot.getBoundingClientRect();
  const beat = (n[1] + Math.max(1, n[2] - n[1]) / 2) / r.ticksPerBeat;
  return { x: box.left + xa._offset + xa.l2p(beat), y: box.top + ya._offset + ya.l2p(n[0]) };
}

export class PianoRollRenderer extends PlotlyWidget {
  private payload: PianoRollPayload | null = null;

  constructor(options: PlotlyWidgetOptions = {}) {
    super(options);
    this.addClass('emotune-pianoroll-widget');
    (this.plot as unknown as { emotuneNotePosition: (roll: number, note: number) => { x: number; y: number } | null }).emotuneNotePosition = (
      roll,
      note,
    ) => (this.payload ? notePosition(this.plot, this.payload, roll, note) : null);
  }

  protected override firstFrame(fig: PlotlyFigureJson, width: number): HTMLElement | null {
    return drawFirstFrame(fig, width);
  }

  protected figure(model: IRenderMime.IMimeModel, theme: ThemeColors): PlotlyFigureJson {
    const payload = parsePianoRollPayload(model.data[PIANOROLL_MIME]);
    this.payload = payload;
    // The overall title is DOM text (never HTML); per-roll titles are escaped plotly annotations.
    this.header.textContent = payload.title ?? '';
    const fig = pianoRollFigure(payload, theme);
    this.node.dataset['emotuneRolls'] = String(payload.rolls.length);
    this.node.dataset['emotuneNotes'] = String(countNotes(fig));
    this.node.dataset['emotuneNotesPerRoll'] = payload.rolls.map((_, i) => countNotes(fig, i)).join(',');
    this.node.dataset['emotuneHighlighted'] = String(payload.rolls.reduce((s, r) => s + (r.highlight?.notes.length ?? 0), 0));
    return fig;
  }
}
