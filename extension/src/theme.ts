/** Colours from JupyterLab's CSS variables, so plots follow the light or dark theme. */
export interface ThemeColors {
  background: string;
  panel: string;
  text: string;
  grid: string;
  gridMinor: string;
  accent: string;
  font: string;
  /** A dark theme (background luminance below one half): figures pick colours that stay visible on it. */
  dark?: boolean;
}

/** Relative luminance (0 black .. 1 white) of a #rgb/#rrggbb or rgb() colour; 1 when unreadable. */
export function luminance(color: string): number {
  let rgb: number[] | undefined;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1] as string;
    rgb =
      h.length === 3 ? [...h].map((c) => parseInt(c + c, 16)) : [0, 2, 4].map((k) => parseInt(h.slice(k, k + 2), 16));
  } else {
    const m = /rgba?\(([^)]+)\)/i.exec(color);
    if (m)
      rgb = (m[1] as string)
        .split(',')
        .slice(0, 3)
        .map((x) => parseFloat(x));
  }
  if (!rgb || rgb.some((v) => !Number.isFinite(v))) return 1;
  const [r, g, b] = rgb.map((v) => v / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function cssVar(el: Element, name: string, fallback: string): string {
  if (typeof getComputedStyle !== 'function') return fallback;
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}

export function themeColors(el: Element): ThemeColors {
  const background = cssVar(el, '--jp-layout-color0', '#ffffff');
  return {
    dark: luminance(background) < 0.5,
    background,
    panel: cssVar(el, '--jp-layout-color1', '#fafafa'),
    text: cssVar(el, '--jp-ui-font-color1', '#222222'),
    grid: cssVar(el, '--jp-border-color1', '#bdbdbd'),
    gridMinor: cssVar(el, '--jp-border-color3', '#eeeeee'),
    accent: cssVar(el, '--jp-error-color1', '#d32f2f'),
    font: cssVar(el, '--jp-ui-font-family', 'sans-serif'),
  };
}

/** Calls `onChange` when JupyterLab switches theme (it flips `data-jp-theme-light` on <body>). */
export function watchTheme(onChange: () => void): () => void {
  if (typeof MutationObserver === 'undefined' || typeof document === 'undefined') return () => undefined;
  const obs = new MutationObserver(onChange);
  obs.observe(document.body, { attributes: true, attributeFilter: ['data-jp-theme-light', 'data-jp-theme-name'] });
  return () => obs.disconnect();
}

/** Plotly interprets a few HTML tags and entities in text; escaping makes data strings show literally. */
export function plotlyText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
