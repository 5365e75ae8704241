/** Colours from JupyterLab's CSS variables, so plots follow the light or dark theme. */
export interface ThemeColors {
  background: string;
  panel: string;
  text: string;
  grid: string;
  gridMinor: string;
  accent: string;
  font: string;
}

function cssVar(el: Element, name: string, fallback: string): string {
  if (typeof getComputedStyle !== 'function') return fallback;
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}

export function themeColors(el: Element): ThemeColors {
  return {
    background: cssVar(el, '--jp-layout-color0', '#ffffff'),
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
