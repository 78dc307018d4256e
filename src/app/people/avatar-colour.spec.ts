import { AVATAR_LIGHTNESS, AVATAR_SATURATION, avatarColour, avatarHue, initialsOf } from './avatar-colour';

/** sRGB of an HSL colour (CSS Color 4's algorithm), each channel 0-1. */
function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

/** WCAG 2 relative luminance. */
function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

describe('avatar initials and colour', () => {
  it('takes the first letters of the first and last words, whole characters, upper-cased', () => {
    expect(initialsOf('Ann Lee')).toBe('AL');
    expect(initialsOf('  ann   marie  lee ')).toBe('AL');
    expect(initialsOf('Ben')).toBe('B');
    expect(initialsOf('élodie durand')).toBe('ÉD');
    expect(initialsOf('𝒜lice Bob')).toBe('𝒜B');
    expect(initialsOf('   ')).toBe('?');
  });

  it('gives one person the same colour every time, and different people different ones', () => {
    expect(avatarColour('u-ann')).toBe(avatarColour('u-ann'));
    const hues = new Set(['u-ann', 'u-ben', 'u-cat', 'u-dee', 'u-eve', 'u-fay'].map(avatarHue));
    expect(hues.size).toBeGreaterThanOrEqual(5);
    expect(avatarColour('u-ann')).toMatch(/^hsl\(\d{1,3} 55% 30%\)$/);
  });

  it('keeps white initials at 4.5:1 contrast or more on every hue', () => {
    let worst = Infinity;
    for (let hue = 0; hue < 360; hue++) {
      const background = luminance(hslToRgb(hue, AVATAR_SATURATION / 100, AVATAR_LIGHTNESS / 100));
      worst = Math.min(worst, 1.05 / (background + 0.05));
    }
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });
});
