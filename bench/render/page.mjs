// Bench page: the extension's compiled renderers (extension/lib) attached to a plain page, timed to first paint.
import { Widget } from '@lumino/widgets';
import { TableRenderer } from '../../extension/lib/table/widget.js';
import { PianoRollRenderer } from '../../extension/lib/pianoroll/widget.js';
import { PIANOROLL_MIME, TABLE_MIME } from '../../extension/lib/mime.js';

const host = document.getElementById('host');

function model(mime, payload) {
  return { trusted: true, data: { [mime]: payload }, metadata: {}, setData() {} };
}

// Two animation frames: the second callback runs after the frame holding the new DOM has been painted.
function painted() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

let lastJsMs = 0;

async function timed(widget, mime, payload) {
  host.replaceChildren();
  const t0 = performance.now();
  Widget.attach(widget, host);
  await widget.renderModel(model(mime, payload));
  lastJsMs = performance.now() - t0;
  await painted();
  return performance.now() - t0;
}

window.emotuneBench = {
  async table(payload, keep = false) {
    const w = new TableRenderer();
    const t0 = performance.now();
    const ms = await timed(w, TABLE_MIME, payload);
    await w.whenComplete();
    await painted();
    const allMs = performance.now() - t0;
    const rows = w.node.querySelectorAll('tr.emotune-row').length;
    if (!keep) w.dispose();
    return { ms, jsMs: lastJsMs, allMs, rows };
  },
  async roll(payload, keep = false) {
    const w = new PianoRollRenderer();
    // First paint: the first frame painted with the roll's notes on screen (the canvas first frame drawn
    // while plotly loads, or plotly's own shapes when it is already loaded).
    host.replaceChildren();
    const t0 = performance.now();
    Widget.attach(w, host);
    const rendering = w.renderModel(model(PIANOROLL_MIME, payload));
    let firstMs = 0;
    for (let i = 0; i < 600 && !firstMs; i++) {
      const drawn = w.node.querySelector('canvas.emotune-first-frame, .scatterlayer path');
      await painted();
      if (drawn) firstMs = performance.now() - t0;
    }
    await rendering;
    lastJsMs = performance.now() - t0;
    await painted();
    const ms = performance.now() - t0;
    // Notes as the renderer counted them, and the paths plotly actually drew.
    const notes = Number(w.node.dataset.emotuneNotes);
    const paths = w.node.querySelectorAll('.scatterlayer path').length;
    if (!keep) w.dispose();
    return { ms, firstMs, jsMs: lastJsMs, notes, paths };
  },
};
window.emotuneBenchReady = true;
