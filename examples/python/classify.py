#!/usr/bin/env python3
"""A minimal emotion classifier that follows EmoTune Lab's classifier contract (docs/generator-contract.md).

`python3 classify.py --file X.mid` (or `classify.py X.mid`) prints `<file> is emotion Q<n>` and
`Inference values: [...]` on stdout and exits 0; on any error it prints one line on stderr and exits 1.
Standard library only. Its "model" is a rule of thumb (loud = high arousal, major third = positive
valence), enough to show the contract; put your classifier's inference (e.g. EMOPIA_cls) in its place.
"""
import struct
import sys


def fail(message):
    print(f'classify.py: {message}', file=sys.stderr)
    sys.exit(1)


def read_notes(data):
    """(pitch, velocity) of every note-on of a standard MIDI file."""
    if data[:4] != b'MThd':
        raise ValueError('not a MIDI file (no MThd header)')
    notes = []
    pos = 8 + struct.unpack('>I', data[4:8])[0]
    while pos + 8 <= len(data):
        chunk, length = data[pos:pos + 4], struct.unpack('>I', data[pos + 4:pos + 8])[0]
        end = pos + 8 + length
        if end > len(data):
            raise ValueError('truncated track')
        p, status = pos + 8, 0
        while chunk == b'MTrk' and p < end:
            for _ in range(4):  # delta time (variable length)
                b = data[p]
                p += 1
                if not b & 0x80:
                    break
            if data[p] & 0x80:
                status = data[p]
                p += 1
            if status == 0xFF:
                p += 1  # meta type
            if status in (0xFF, 0xF0, 0xF7):
                n = 0
                for _ in range(4):
                    b = data[p]
                    p += 1
                    n = (n << 7) | (b & 0x7F)
                    if not b & 0x80:
                        break
                p += n
                continue
            kind = status & 0xF0
            if kind == 0x90 and data[p + 1] > 0:
                notes.append((data[p], data[p + 1]))
            p += 1 if kind in (0xC0, 0xD0) else 2
        pos = end
    return notes


args = sys.argv[1:]
path = args[1] if args[:1] == ['--file'] and len(args) > 1 else (args[0] if args else None)
if not path:
    fail('usage: classify.py [--file] <midi file>')
try:
    with open(path, 'rb') as f:
        notes = read_notes(f.read())
except (OSError, ValueError, IndexError, struct.error) as e:
    fail(f'cannot read {path}: {e}')
if not notes:
    fail(f'{path} has no notes')

loudness = sum(v for _, v in notes) / len(notes) / 127
pcs = [0] * 12
for pitch, _ in notes:
    pcs[pitch % 12] += 1
tonic = pcs.index(max(pcs))
major = pcs[(tonic + 4) % 12] >= pcs[(tonic + 3) % 12]
arousal = loudness >= 0.55
quadrant = (1 if major else 2) if arousal else (4 if major else 3)
values = [0.7 if q == quadrant else 0.1 for q in range(1, 5)]  # a real classifier prints its softmax here
print(f'{path} is emotion Q{quadrant}')
print('Inference values: [' + ' '.join(f'{v:.4f}' for v in values) + ']')
