/**
 * Sound for frontends without the extension (VS Code, nbconvert HTML, the report): each roll rendered to a WAV
 * by the audio stage, put in the bundle as `audio/wav` (the first roll) and as an `<audio>` player per roll in
 * the HTML part. 16 kHz mono keeps notebooks small (a minute of audio is 1.9 MB, 2.6 MB as base64); the CLI writes 44.1 kHz.
 */
import { TAIL_S } from '../audio/mix.js';
import { renderWav } from '../audio/render.js';
import { secondsAt } from '../audio/timing.js';
import { escapeHtml } from './escape.js';
import { PIANOROLL_MIME } from './types.js';
import type { MimeBundle, PianoRollPayloadV1, PianoRollV1 } from './types.js';

/** Rolls longer than this get no embedded audio (the notebook would grow by megabytes). */
export const MAX_EMBEDDED_AUDIO_S = 240;
export const EMBEDDED_AUDIO_RATE = 16000;

/** One roll's WAV as base64, or null when it is longer than `MAX_EMBEDDED_AUDIO_S`. */
export async function rollWavBase64(
  roll: PianoRollV1,
  sampleRate = EMBEDDED_AUDIO_RATE,
): Promise<{ base64: string; seconds: number } | null> {
  const tempos = (roll.tempos ?? []).map(([tick, bpm]) => ({ tick, bpm }));
  // Measured before rendering: a long roll is not rendered at all.
  if (secondsAt(roll.ticksPerBeat, tempos)(roll.endTick) + TAIL_S > MAX_EMBEDDED_AUDIO_S) return null;
  const audio = await renderWav(
    { ticksPerBeat: roll.ticksPerBeat, notes: roll.notes, tempos, endTick: roll.endTick },
    { sampleRate },
  );
  return { base64: Buffer.from(audio.wav).toString('base64'), seconds: audio.seconds };
}

/** An `<audio>` player with a caption (plain HTML, no script). */
export function audioPlayerHtml(base64: string, caption: string): string {
  return `<figure class="emotune-audio" style="margin:4px 0"><figcaption style="font-size:12px">▶ ${escapeHtml(caption)}</figcaption><audio controls preload="none" src="data:audio/wav;base64,${base64}"></audio></figure>`;
}

/** The piano-roll bundle with its sound added (the extension ignores both parts: it plays in the browser). */
export async function withAudio(bundle: MimeBundle): Promise<MimeBundle> {
  const payload = bundle.data[PIANOROLL_MIME] as PianoRollPayloadV1 | undefined;
  if (!payload || !Array.isArray(payload.rolls)) return bundle;
  const players: string[] = [];
  let first: string | undefined;
  for (const [i, roll] of payload.rolls.entries()) {
    const wav = await rollWavBase64(roll);
    const name = roll.title ?? (payload.rolls.length > 1 ? `roll ${i + 1}` : 'this roll');
    if (!wav) {
      players.push(
        `<p class="emotune-audio-omitted"><small>${escapeHtml(`${name}: audio not embedded (longer than ${MAX_EMBEDDED_AUDIO_S} s; use emotune audio <midi> --out file.wav)`)}</small></p>`,
      );
      continue;
    }
    first ??= wav.base64;
    players.push(audioPlayerHtml(wav.base64, `${name} (${wav.seconds.toFixed(1)} s)`));
  }
  const html = typeof bundle.data['text/html'] === 'string' ? bundle.data['text/html'] : '';
  const data: Record<string, unknown> = {
    ...bundle.data,
    'text/html': `${html}<div class="emotune-audio-players">${players.join('')}</div>`,
  };
  if (first !== undefined) data['audio/wav'] = first;
  return { ...bundle, data };
}
