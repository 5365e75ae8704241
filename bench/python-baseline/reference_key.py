#!/usr/bin/env python3
"""Independent Python implementation of the reference notebook's key method, written from docs/architecture.md ("Reference semantics").

Used only to check the TypeScript port (kernel-lib/src/metrics/key-reference.ts). Needs numpy and mido
(Debian: python3-numpy python3-mido); run with /usr/bin/python3.

- Notes are paired as pretty_midi pairs them (per track, key (channel, pitch)): a note_off (or note_on with
  velocity 0) closes every open note of that key that did not start on the same tick; if all open notes of
  that key started on this tick, they are dropped. Notes never closed are dropped.
- Pitch-class histogram over all notes, each weighted by max(1, end - start) ticks, normalised to sum 1.
- Score of a key = cosine with the Krumhansl-Kessler profile rotated to its tonic, dot / (|h||p| + 1e-8).
- 24 keys: tonics C C# ... B, major before minor per tonic; the first strictly better score wins.

Usage: reference_key.py FILE... [--expected KEY]   -> one JSON line per file {file, key, score, expected_score}
"""
import json
import sys
from collections import defaultdict

import mido
import numpy as np

TONICS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B']
FLATS = {'Db': 'C#', 'Eb': 'D#', 'Gb': 'F#', 'Ab': 'G#', 'Bb': 'A#', 'Cb': 'B', 'Fb': 'E', 'E#': 'F', 'B#': 'C'}
KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def read_notes(path):
    """[(pitch, start_tick, end_tick)] paired like pretty_midi."""
    mid = mido.MidiFile(path)
    notes = []
    for track in mid.tracks:
        tick = 0
        open_notes = defaultdict(list)
        for msg in track:
            tick += msg.time
            if msg.type == 'note_on' and msg.velocity > 0:
                open_notes[(msg.channel, msg.note)].append(tick)
            elif msg.type == 'note_off' or (msg.type == 'note_on' and msg.velocity == 0):
                key = (msg.channel, msg.note)
                if key not in open_notes:
                    continue
                starts = open_notes[key]
                close = [s for s in starts if s != tick]
                keep = [s for s in starts if s == tick]
                for s in close:
                    notes.append((msg.note, s, tick))
                if close and keep:
                    open_notes[key] = keep
                else:
                    del open_notes[key]
    return notes


def histogram(notes):
    h = np.zeros(12)
    for pitch, start, end in notes:
        h[pitch % 12] += max(1, end - start)
    total = h.sum()
    if total > 0:
        h = h / total
    return h


def key_names():
    for t in TONICS:
        yield f'{t}:maj'
        yield f'{t}:min'


def key_score(h, name):
    tonic, mode = name.split(':')
    tonic = FLATS.get(tonic, tonic)
    i = TONICS.index(tonic)
    prof = np.roll(KK_MAJOR if mode == 'maj' else KK_MINOR, i)
    return float(np.dot(h, prof) / (np.linalg.norm(h) * np.linalg.norm(prof) + 1e-8))


def detect(h):
    best, best_score = None, -np.inf
    for name in key_names():
        s = key_score(h, name)
        if s > best_score:
            best, best_score = name, s
    return best, best_score


def main(argv):
    expected = None
    files = []
    i = 0
    while i < len(argv):
        if argv[i] == '--expected':
            expected = argv[i + 1]
            i += 2
            continue
        files.append(argv[i])
        i += 1
    for f in files:
        try:
            h = histogram(read_notes(f))
        except Exception as e:  # noqa: BLE001
            print(json.dumps({'file': f, 'error': str(e)}))
            continue
        k, s = detect(h)
        out = {'file': f, 'key': k, 'score': s}
        if expected:
            out['expected_score'] = key_score(h, expected)
        print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1:])
