/** Mono float PCM to a 16-bit PCM WAV file (RIFF), through `wavefile`. */
import wavefile from 'wavefile';

export function encodeWav(pcm: Float32Array, sampleRate: number): Uint8Array {
  const ints = new Int16Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) {
    const v = Math.max(-1, Math.min(1, pcm[i] as number));
    ints[i] = Math.round(v < 0 ? v * 0x8000 : v * 0x7fff);
  }
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, sampleRate, '16', ints);
  return wav.toBuffer();
}
