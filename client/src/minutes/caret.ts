/** Caret colours: dark enough for white label text, distinct from each other. */
const PALETTE = ["#0b3d91", "#b3261e", "#1b6e3a", "#8a4b00", "#6a1b9a", "#00697a", "#a3195b", "#3d5a00"];

/** The colour of a writer's caret, stable for the same participant. */
export function caretColor(seed: string): string {
  let hash = 0;
  for (let i = 0; i < seed.length; i++) hash = (hash * 31 + seed.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}
