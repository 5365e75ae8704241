/** The part of plotly.js the renderers call; tests pass a recording double with the same shape. */
export interface PlotlyFigureJson {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: unknown[];
}

export interface PlotlyApi {
  react(el: HTMLElement, data: unknown[], layout: Record<string, unknown>, config?: Record<string, unknown>): Promise<unknown>;
  relayout(el: HTMLElement, update: Record<string, unknown>): Promise<unknown>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): unknown };
}

export type PlotlyBundle = 'cartesian' | 'full';

export type PlotlyLoader = (bundle: PlotlyBundle) => Promise<PlotlyApi>;
