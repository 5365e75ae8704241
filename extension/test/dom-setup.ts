// jsdom has no DragEvent; @lumino/dragdrop (pulled in by @lumino/widgets) subclasses it at load time.
// Import this module before anything from @lumino.
if (typeof globalThis.DragEvent === 'undefined' && typeof globalThis.MouseEvent !== 'undefined') {
  (globalThis as { DragEvent?: unknown }).DragEvent = class DragEvent extends MouseEvent {
    readonly dataTransfer: DataTransfer | null = null;
  };
}
export {};
