/**
 * A first frame of a roll drawn on a canvas the moment it is rendered, before plotly (1.5 MB) has loaded on
 * a fresh page: the filled note shapes of the figure at their places, over the plot backgrounds. Plotly's
 * interactive figure replaces it as soon as it has drawn (the widget removes the canvas).
 */
import type { PlotlyFigureJson } from '../plotly/types.js';

interface Axis {
  domain: [number, number];
  range: [number, number];
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function axisOf(layout: Record<string, unknown>, ref: unknown, letter: 'x' | 'y'): Axis | null {
  const key = `${letter}axis${typeof ref === 'string' ? ref.slice(1) : ''}`;
  const a = layout[key] as { domain?: unknown; range?: unknown } | undefined;
  const r = a?.range;
  if (!Array.isArray(r) || r.length !== 2 || r[0] === r[1]) return null;
  const dom = a?.domain;
  const d = Array.isArray(dom) && dom.length === 2 ? (dom as [number, number]) : [0, 1];
  return { domain: [num(d[0], 0), num(d[1], 1)], range: [num(r[0], 0), num(r[1], 1)] };
}

/** Space plotly keeps on the right for a colour bar (its automargin), roughly, so shapes land near their place. */
const COLORBAR_PX = 84;

/** The canvas for a figure `width` pixels wide, or null where a canvas cannot be drawn (no 2-D context). */
export function drawFirstFrame(fig: PlotlyFigureJson, width: number): HTMLCanvasElement | null {
  const layout = fig.layout;
  const height = num(layout['height'], 400);
  const m = (layout['margin'] ?? {}) as Record<string, unknown>;
  const colorbar = fig.data.some((t) => (t['marker'] as { showscale?: boolean } | undefined)?.showscale === true);
  const left = num(m['l'], 80);
  const right = num(m['r'], 80) + (colorbar ? COLORBAR_PX : 0);
  const top = num(m['t'], 100);
  const bottom = num(m['b'], 80);
  const innerW = Math.max(1, width - left - right);
  const innerH = Math.max(1, height - top - bottom);
  const canvas = document.createElement('canvas');
  const ratio = typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.scale(ratio, ratio);
  ctx.fillStyle = typeof layout['paper_bgcolor'] === 'string' ? layout['paper_bgcolor'] : '#fff';
  ctx.fillRect(0, 0, width, height);
  const panels = new Set<string>();
  for (const t of fig.data) {
    const xa = axisOf(layout, t['xaxis'], 'x');
    const ya = axisOf(layout, t['yaxis'], 'y');
    if (!xa || !ya) continue;
    const px = (v: number) =>
      left +
      (xa.domain[0] + ((v - xa.range[0]) / (xa.range[1] - xa.range[0])) * (xa.domain[1] - xa.domain[0])) * innerW;
    const py = (v: number) =>
      top +
      (1 - (ya.domain[0] + ((v - ya.range[0]) / (ya.range[1] - ya.range[0])) * (ya.domain[1] - ya.domain[0]))) * innerH;
    const panel = `${String(t['xaxis'])}/${String(t['yaxis'])}`;
    if (!panels.has(panel)) {
      panels.add(panel);
      ctx.fillStyle = typeof layout['plot_bgcolor'] === 'string' ? layout['plot_bgcolor'] : '#fafafa';
      ctx.fillRect(
        px(xa.range[0]),
        py(ya.range[1]),
        px(xa.range[1]) - px(xa.range[0]),
        py(ya.range[0]) - py(ya.range[1]),
      );
    }
    const xs = t['x'];
    const ys = t['y'];
    if (t['fill'] !== 'toself' || !Array.isArray(xs) || !Array.isArray(ys) || xs.length < 3) continue;
    // The same path plotly fills: a trace's points in order, closed, non-zero winding.
    ctx.beginPath();
    ctx.moveTo(px(xs[0] as number), py(ys[0] as number));
    for (let i = 1; i < xs.length; i++) ctx.lineTo(px(xs[i] as number), py(ys[i] as number));
    ctx.closePath();
    ctx.fillStyle = typeof t['fillcolor'] === 'string' ? t['fillcolor'] : '#888';
    ctx.fill();
  }
  canvas.className = 'emotune-first-frame';
  canvas.setAttribute('aria-hidden', 'true');
  return canvas;
}
