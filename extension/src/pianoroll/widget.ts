/**
 * The piano-roll renderer: the figure from model.ts drawn by plotly, a play/stop button per roll (Web Audio,
 * audio/player.ts) with a playhead moving over that roll, zoom with Ctrl/⌘ + wheel (a plain wheel scrolls
 * the notebook), and test hooks.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { PIANOROLL_MIME } from '../mime.js';
import type { PlotlyFigureJson } from '../plotly/types.js';
import { PlotlyWidget } from '../plotly/widget.js';
import type { PlotlyWidgetOptions } from '../plotly/widget.js';
import type { ThemeColors } from '../theme.js';
import { drawFirstFrame } from './first-frame.js';
import type { Playback } from '../audio/player.js';
import { countNotes, parsePianoRollPayload, pianoRollFigure } from './model.js';
import type { PianoRollPayload } from './model.js';

/** The parts of plotly's live layout used to map data to screen (plotly keeps it on the graph div). */
interface LiveAxis {
  _offset: number;
  _length?: number;
  range?: [number, number];
  l2p(v: number): number;
  p2l?(px: number): number;
}

type LiveLayout = Record<string, LiveAxis | undefined>;

function liveLayout(plot: HTMLElement): LiveLayout | undefined {
  return (plot as unknown as { _fullLayout?: LiveLayout })._fullLayout;
}

/**
 * Viewport coordinates of a note's centre, or null when it is not drawn. Plotly draws all notes of a velocity
 * group as one SVG path, so there is no element per note to aim at; browser tests call this through
 * `plot.emotuneNotePosition(roll, note)` (the `.emotune-plot` element) to hover or click a given note.
 */
export function notePosition(
  plot: HTMLElement,
  payload: PianoRollPayload,
  roll: number,
  note: number,
): { x: number; y: number } | null {
  const r = payload.rolls[roll];
  const n = r?.notes[note];
  const layout = liveLayout(plot);
  if (!r || !n || !layout) return null;
  const s = roll === 0 ? '' : String(roll + 1);
  const xa = layout[`xaxis${s}`];
  const ya = layout[`yaxis${s}`];
  if (!xa || !ya) return null;
  const box = plot.getBoundingClientRect();
  const beat = (n[1] + Math.max(1, n[2] - n[1]) / 2) / r.ticksPerBeat;
  return { x: box.left + xa._offset + xa.l2p(beat), y: box.top + ya._offset + ya.l2p(n[0]) };
}

/** Playback is loaded on first use: the samples and the mixer stay out of the page until someone presses play. */
type PlayRoll = (roll: PianoRollPayload['rolls'][number]) => Promise<Playback>;

export interface PianoRollWidgetOptions extends PlotlyWidgetOptions {
  /** How a roll is played; tests pass a double. */
  playRoll?: PlayRoll;
}

export class PianoRollRenderer extends PlotlyWidget {
  private payload: PianoRollPayload | null = null;
  private readonly controls = document.createElement('div');
  private readonly playhead = document.createElement('div');
  private readonly playRollFn: PlayRoll;
  private playing: { roll: number; playback: Playback; frame: number } | null = null;

  constructor(options: PianoRollWidgetOptions = {}) {
    super(options);
    this.playRollFn = options.playRoll ?? (async (roll) => (await import('../audio/player.js')).playRoll(roll));
    this.addClass('emotune-pianoroll-widget');
    this.controls.className = 'emotune-roll-controls';
    this.playhead.className = 'emotune-playhead';
    this.playhead.hidden = true;
    this.header.after(this.controls);
    this.node.append(this.playhead);
    (
      this.plot as unknown as { emotuneNotePosition: (roll: number, note: number) => { x: number; y: number } | null }
    ).emotuneNotePosition = (roll, note) => (this.payload ? notePosition(this.plot, this.payload, roll, note) : null);
    this.plot.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
  }

  protected override firstFrame(fig: PlotlyFigureJson, width: number): HTMLElement | null {
    return drawFirstFrame(fig, width);
  }

  protected figure(model: IRenderMime.IMimeModel, theme: ThemeColors): PlotlyFigureJson {
    const payload = parsePianoRollPayload(model.data[PIANOROLL_MIME]);
    this.stop();
    this.payload = payload;
    // The overall title is DOM text (never HTML); per-roll titles are escaped plotly annotations.
    this.header.textContent = payload.title ?? '';
    this.buildControls(payload);
    const fig = pianoRollFigure(payload, theme);
    this.node.dataset['emotuneRolls'] = String(payload.rolls.length);
    this.node.dataset['emotuneNotes'] = String(countNotes(fig));
    this.node.dataset['emotuneNotesPerRoll'] = payload.rolls.map((_, i) => countNotes(fig, i)).join(',');
    this.node.dataset['emotuneHighlighted'] = String(
      payload.rolls.reduce((s, r) => s + (r.highlight?.notes.length ?? 0), 0),
    );
    return fig;
  }

  private buildControls(payload: PianoRollPayload): void {
    const buttons = payload.rolls.map((roll, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'emotune-play';
      b.dataset['roll'] = String(i);
      const name = roll.title ?? (payload.rolls.length > 1 ? `roll ${i + 1}` : '');
      b.dataset['label'] = name;
      b.textContent = `▶ Play${name ? ` ${name}` : ''}`;
      b.title = 'Play this roll on a sampled piano (press again to stop)';
      b.addEventListener('click', () => void this.toggle(i));
      return b;
    });
    const hint = document.createElement('span');
    hint.className = 'emotune-roll-hint';
    hint.textContent = 'Drag to zoom · Ctrl/⌘ + wheel zooms time · double-click resets';
    this.controls.replaceChildren(...buttons, hint);
  }

  private button(i: number): HTMLButtonElement | null {
    return this.controls.querySelector<HTMLButtonElement>(`button.emotune-play[data-roll="${i}"]`);
  }

  private async toggle(i: number): Promise<void> {
    const was = this.playing?.roll;
    this.stop();
    if (was === i || !this.payload) return;
    const roll = this.payload.rolls[i];
    const b = this.button(i);
    if (!roll || !b) return;
    b.textContent = '… loading piano';
    b.disabled = true;
    let playback: Playback;
    try {
      playback = await this.playRollFn(roll);
    } catch (e) {
      b.disabled = false;
      b.textContent = `▶ Play ${b.dataset['label'] ?? ''}`.trimEnd();
      this.controls.dataset['emotuneError'] = (e as Error).message;
      return;
    } finally {
      b.disabled = false;
    }
    if (this.isDisposed) {
      playback.stop();
      return;
    }
    b.textContent = `■ Stop ${b.dataset['label'] ?? ''}`.trimEnd();
    b.classList.add('emotune-playing');
    this.node.dataset['emotunePlaying'] = String(i);
    this.playing = { roll: i, playback, frame: 0 };
    void playback.ended.then(() => {
      if (this.playing?.playback === playback) this.stop();
    });
    this.tick();
  }

  /** One animation frame: move the playhead to the audio clock's position. */
  private tick(): void {
    const p = this.playing;
    if (!p || !this.payload) return;
    const t = p.playback.positionTick();
    if (t === null) {
      this.stop();
      return;
    }
    this.placePlayhead(p.roll, t);
    p.frame = requestAnimationFrame(() => this.tick());
  }

  private placePlayhead(rollIndex: number, tick: number): void {
    const roll = this.payload?.rolls[rollIndex];
    const layout = liveLayout(this.plot);
    const s = rollIndex === 0 ? '' : String(rollIndex + 1);
    const xa = layout?.[`xaxis${s}`];
    const ya = layout?.[`yaxis${s}`];
    if (!roll || !xa || !ya) return;
    const beat = tick / roll.ticksPerBeat;
    const node = this.node.getBoundingClientRect();
    const plot = this.plot.getBoundingClientRect();
    const x = xa.l2p(beat);
    const inside = x >= 0 && x <= (xa._length ?? Infinity);
    this.playhead.hidden = !inside;
    this.playhead.style.left = `${plot.left - node.left + xa._offset + x}px`;
    this.playhead.style.top = `${plot.top - node.top + ya._offset}px`;
    this.playhead.style.height = `${ya._length ?? 0}px`;
    this.playhead.dataset['beat'] = beat.toFixed(3);
    this.playhead.dataset['roll'] = String(rollIndex);
  }

  private stop(): void {
    const p = this.playing;
    this.playing = null;
    if (!p) return;
    cancelAnimationFrame(p.frame);
    p.playback.stop();
    const b = this.button(p.roll);
    if (b) {
      b.textContent = `▶ Play ${b.dataset['label'] ?? ''}`.trimEnd();
      b.classList.remove('emotune-playing');
    }
    this.playhead.hidden = true;
    delete this.node.dataset['emotunePlaying'];
  }

  /** Ctrl/⌘ + wheel zooms the time axis around the pointer; a plain wheel is left to the notebook. */
  private onWheel(e: WheelEvent): void {
    if (!(e.ctrlKey || e.metaKey) || !this.plotly || !this.payload) return;
    const xa = liveLayout(this.plot)?.['xaxis'];
    if (!xa?.range || !xa.p2l) return;
    e.preventDefault();
    const [a, b] = xa.range;
    const box = this.plot.getBoundingClientRect();
    const at = xa.p2l(e.clientX - box.left - xa._offset);
    const k = e.deltaY > 0 ? 1.25 : 0.8;
    void this.plotly.relayout(this.plot, { 'xaxis.range': [at - (at - a) * k, at + (b - at) * k] });
  }

  protected override rendered(): void {
    if (this.playing) this.placePlayhead(this.playing.roll, this.playing.playback.positionTick() ?? 0);
  }

  override dispose(): void {
    this.stop();
    super.dispose();
  }
}
