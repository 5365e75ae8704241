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
    const ms = await timed(w, PIANOROLL_MIME, payload);
    // Notes as the renderer counted them, and the paths plotly actually drew.
    const notes = Number(w.node.dataset.emotuneNotes);
    const paths = w.node.querySelectorAll('.scatterlayer path').length;
    if (!keep) w.dispose();
    return { ms, jsMs: lastJsMs, notes, paths };
  },
};
window.emotuneBenchReady = true;
