/**
 * The sound and the vibration of "you have the floor": a short chime made with WebAudio (no audio
 * file) and `navigator.vibrate` where the browser has it.
 *
 * Browsers let a page make sound only once the person has touched it: the first tap or key press
 * anywhere on the page (asking for the floor, say) unlocks the audio context, so that the chime
 * can sound when the chair gives the floor later. Without that, the signal is silent but still
 * shows and vibrates.
 */

type AudioContextClass = typeof AudioContext;

let context: AudioContext | null = null;

function audioContextClass(): AudioContextClass | null {
  if (typeof window === "undefined") return null;
  const w = window as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

function audio(): AudioContext | null {
  if (context) return context;
  const Context = audioContextClass();
  if (!Context) return null;
  try {
    context = new Context();
  } catch {
    return null;
  }
  return context;
}

/** Resumes the audio context inside a user gesture, so that a later chime may sound. */
function unlock(): void {
  const ctx = audio();
  if (ctx && ctx.state === "suspended") void ctx.resume().catch(() => undefined);
}

let listening = false;

/** Listens for the page's first gestures to unlock the sound (once per page; idempotent). */
export function prepareFloorAlert(): void {
  if (listening || typeof window === "undefined" || !audioContextClass()) return;
  listening = true;
  const onGesture = () => {
    unlock();
    if (context?.state === "running") {
      window.removeEventListener("pointerdown", onGesture, true);
      window.removeEventListener("keydown", onGesture, true);
    }
  };
  window.addEventListener("pointerdown", onGesture, true);
  window.addEventListener("keydown", onGesture, true);
}

/** Three rising tones, about a second in all: distinct from a notification ping. */
const CHIME: readonly { hz: number; at: number }[] = [
  { hz: 660, at: 0 },
  { hz: 880, at: 0.22 },
  { hz: 1175, at: 0.44 },
];
const TONE_S = 0.18;

/** Plays the chime (if the browser allows sound now) and vibrates (if it can). */
export function floorAlert(): void {
  try {
    navigator.vibrate?.([300, 150, 300, 150, 300]);
  } catch {
    /* some browsers throw without a user gesture */
  }
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state === "suspended") void ctx.resume().catch(() => undefined);
  const start = ctx.currentTime + 0.02;
  for (const { hz, at } of CHIME) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = hz;
    // A soft attack and release: no click at either end.
    gain.gain.setValueAtTime(0.0001, start + at);
    gain.gain.exponentialRampToValueAtTime(0.35, start + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + at + TONE_S);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start + at);
    oscillator.stop(start + at + TONE_S + 0.02);
  }
}
