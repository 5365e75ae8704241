import { describe, expect, it } from 'vitest';
import { pianoRollBundle, pianoRollsBundle } from '../../src/display/pianoroll.js';
import { withAudio, MAX_EMBEDDED_AUDIO_S } from '../../src/display/audio.js';
import { PIANOROLL_MIME } from '../../src/display/types.js';

const scale = [60, 62, 64, 65].map((pitch, i) => ({ pitch, start: i * 480, end: i * 480 + 480, velocity: 80 }));

describe('withAudio (sound for frontends without the extension)', () => {
  it('adds the WAV as audio/wav and an <audio> player per roll to the HTML part, keeping the roll payload', async () => {
    const b = await withAudio(
      pianoRollsBundle([
        { title: 'primed', notes: scale },
        { title: '<b>forced</b>', notes: scale.slice(0, 2) },
      ]),
    );
    const wav = Buffer.from(b.data['audio/wav'] as string, 'base64');
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16000);
    const html = b.data['text/html'] as string;
    expect(html.match(/<audio controls/g)).toHaveLength(2);
    expect(html).toContain('data:audio/wav;base64,');
    expect(html).toContain('&lt;b&gt;forced&lt;/b&gt;');
    expect(html).not.toContain('<b>forced</b>');
    expect((b.data[PIANOROLL_MIME] as { rolls: unknown[] }).rolls).toHaveLength(2);
  });

  it('carries the score tempo so audio and playhead run at the MIDI speed', async () => {
    const slow = pianoRollBundle({
      ticksPerBeat: 480,
      notes: scale.map((n) => ({ ...n, channel: 0, track: 0 })),
      tempos: [{ tick: 0, bpm: 60 }],
    });
    const roll = (slow.data[PIANOROLL_MIME] as { rolls: Array<{ tempos?: unknown }> }).rolls[0]!;
    expect(roll.tempos).toEqual([[0, 60]]);
    const wav = Buffer.from((await withAudio(slow)).data['audio/wav'] as string, 'base64');
    // 4 beats at 60 BPM = 4 s, plus the 1 s tail, 16-bit mono at 16,000 Hz.
    expect((wav.length - 44) / 2 / 16000).toBeCloseTo(5, 1);
  });

  it('embeds no audio for a roll longer than the limit and says how to get it', async () => {
    const long = [{ pitch: 60, start: 0, end: 480 * 2 * (MAX_EMBEDDED_AUDIO_S + 10), velocity: 60 }];
    const b = await withAudio(pianoRollBundle(long, { title: 'long' }));
    expect(b.data['audio/wav']).toBeUndefined();
    expect(b.data['text/html'] as string).toContain('emotune audio');
  });
});
