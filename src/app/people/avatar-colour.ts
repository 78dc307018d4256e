/**
 * The initials an avatar shows when the person has none: the first letter of the first and last
 * words of the name (one word: its first letter), upper-cased; whole characters, so an emoji or a
 * letter outside the Basic Multilingual Plane is not cut in half.
 */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return '?';
  const first = Array.from(words[0])[0];
  const last = words.length > 1 ? Array.from(words[words.length - 1])[0] : '';
  return (first + last).toLocaleUpperCase();
}

/**
 * The background of a person's initials: a hue from the id (FNV-1a, so the same person has the same
 * colour everywhere) at a saturation and lightness dark enough that white text has at least 4.5:1
 * contrast on every hue (avatar-colour.spec.ts checks all 360).
 */
export function avatarHue(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 360;
}

export const AVATAR_SATURATION = 55;
export const AVATAR_LIGHTNESS = 30;

export function avatarColour(id: string): string {
  return `hsl(${avatarHue(id)} ${AVATAR_SATURATION}% ${AVATAR_LIGHTNESS}%)`;
}
