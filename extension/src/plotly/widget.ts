/**
 * Base widget for everything drawn by plotly: lazy loading, theme colours, resizing with the panel and
 * `Plotly.purge` on dispose. Subclasses only turn a MIME model into a figure.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { themeColors, watchTheme } from '../theme.js';
import type { ThemeColors } from '../theme.js';
import { bundleFor, loadPlotly, plotlyLoaded } from './load.js';
import type { PlotlyApi, PlotlyBundle, PlotlyFigureJson, PlotlyLoader } from './types.js';

/** A mode-bar button that saves the figure as SVG under the same file name as the PNG button. */
export function withSvgButton(
  config: Record<string, unknown>,
  plotly: PlotlyApi,
  plot: HTMLElement,
): Record<string, unknown> {
  const opts = config['toImageButtonOptions'] as { filename?: string } | undefined;
  if (!plotly.downloadImage || !opts?.filename) return config;
  const filename = opts.filename;
  const download = plotly.downloadImage.bind(plotly);
  const button = {
    name: 'Download as SVG',
    title: 'Download as SVG',
    icon: plotly.Icons?.['disk'] ?? plotly.Icons?.['camera'],
    click: () => void download(plot, { format: 'svg', filename }),
  };
  return { ...config, modeBarButtonsToAdd: [button] };
}

export interface PlotlyWidgetOptions {
  /** How plotly is obtained; tests pass a recording double. */
  loadPlotly?: PlotlyLoader;
  /** Draw a first frame while plotly loads (default: with the bundled plotly, until it has loaded). */
  firstFrame?: boolean;
}

export abstract class PlotlyWidget extends Widget implements IRenderMime.IRenderer {
  protected readonly header = document.createElement('div');
  protected readonly plot = document.createElement('div');
  private readonly load: PlotlyLoader;
  private readonly drawFirst: boolean;
  protected plotly: PlotlyApi | null = null;
  private bundle: PlotlyBundle | null = null;
  private model: IRenderMime.IMimeModel | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private unwatchTheme: () => void = () => undefined;
  private resizeQueued = false;
  /** The figure last handed to plotly (tests and debugging). */
  lastFigure: PlotlyFigureJson | null = null;

  constructor(options: PlotlyWidgetOptions = {}) {
    super();
    this.load = options.loadPlotly ?? loadPlotly;
    this.drawFirst = options.firstFrame ?? this.load === loadPlotly;
    this.header.className = 'emotune-plot-header';
    this.plot.className = 'emotune-plot';
    this.node.append(this.header, this.plot);
  }

  /** The figure for a model, in the current theme; throw to show an error message instead. */
  protected abstract figure(model: IRenderMime.IMimeModel, theme: ThemeColors): PlotlyFigureJson;

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.model = model;
    let fig: PlotlyFigureJson;
    try {
      fig = this.figure(model, themeColors(this.node));
    } catch (e) {
      this.showError((e as Error).message);
      return;
    }
    const bundle = bundleFor(fig.data);
    let preview: HTMLElement | null = null;
    if (this.bundle !== bundle) {
      // A figure that needs the other build: release the plot from the build that drew it.
      if (this.plotly) this.plotly.purge(this.plot);
      // Something to see while plotly loads (a fresh page fetches and compiles 1.5 MB first).
      if (this.drawFirst && !this.plotly && !plotlyLoaded(bundle)) preview = this.showFirstFrame(fig);
      let plotly: PlotlyApi;
      try {
        plotly = await this.load(bundle);
      } catch (e) {
        // Said in the output (not a silent blank); the loader forgets the failure, so a re-run tries again.
        preview?.remove();
        this.showError((e as Error)?.message ?? String(e));
        return;
      }
      if (this.isDisposed) return;
      this.plotly = plotly;
      this.bundle = bundle;
    }
    if (this.isDisposed || !this.plotly) return;
    this.lastFigure = fig;
    this.plot.querySelector(':scope > .emotune-error')?.remove(); // an earlier failure's message
    try {
      await this.plotly.react(this.plot, fig.data, fig.layout, withSvgButton(fig.config ?? {}, this.plotly, this.plot));
    } finally {
      preview?.remove();
      if (preview) this.plot.style.minHeight = '';
    }
    this.plot.dataset['emotuneRendered'] = 'true';
    this.plot.dataset['emotunePlotly'] = bundle;
    this.watch();
    this.rendered();
  }

  /** An error message in place of the figure. */
  private showError(message: string): void {
    this.plot.replaceChildren();
    const pre = document.createElement('pre');
    pre.className = 'emotune-error';
    pre.textContent = message;
    this.plot.appendChild(pre);
  }

  /** Called after each draw (subclasses place overlays on the plot). */
  protected rendered(): void {
    // nothing by default
  }

  /** A static first frame of the figure, drawn before plotly has loaded; null for none (the default). */
  protected firstFrame(_fig: PlotlyFigureJson, _width: number): HTMLElement | null {
    return null;
  }

  private showFirstFrame(fig: PlotlyFigureJson): HTMLElement | null {
    const frame = this.firstFrame(fig, this.plot.clientWidth || 800);
    if (!frame) return null;
    frame.style.position = 'absolute';
    frame.style.left = '0';
    frame.style.top = '0';
    this.plot.style.position = 'relative';
    this.plot.style.minHeight = frame.style.height;
    this.plot.appendChild(frame);
    return frame;
  }

  private watch(): void {
    if (!this.resizeObserver && typeof ResizeObserver !== 'undefined') {
      this.resizeObserver = new ResizeObserver(() => this.queueResize());
      this.resizeObserver.observe(this.node);
    }
    this.unwatchTheme();
    this.unwatchTheme = watchTheme(() => {
      if (this.model && !this.isDisposed) void this.renderModel(this.model);
    });
  }

  /** One resize a frame at most: dragging a panel edge fires many events. */
  private queueResize(): void {
    if (this.resizeQueued || !this.plotly) return;
    this.resizeQueued = true;
    const run = (): void => {
      this.resizeQueued = false;
      if (!this.isDisposed && this.plotly && this.plot.dataset['emotuneRendered'])
        void this.plotly.Plots.resize(this.plot);
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
    else setTimeout(run, 16);
  }

  protected override onResize(_msg: Widget.ResizeMessage): void {
    this.queueResize();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.resizeObserver?.disconnect();
    this.unwatchTheme();
    if (this.plotly) this.plotly.purge(this.plot);
    super.dispose();
  }
}
