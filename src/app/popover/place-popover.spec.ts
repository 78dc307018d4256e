import { placePopover } from './place-popover';

const viewport = { width: 390, height: 844 };
const menu = { width: 200, height: 300 };

describe('placePopover', () => {
  it('opens below its button, end edges lined up, where there is room', () => {
    const placed = placePopover({ top: 100, left: 300, width: 40, height: 44 }, menu, viewport);
    expect(placed).toEqual({ top: 144, left: 140, maxHeight: null, side: 'below' });
  });

  it('flips above a button near the bottom edge (the newest message)', () => {
    const placed = placePopover({ top: 760, left: 300, width: 40, height: 44 }, menu, viewport);
    expect(placed).toEqual({ top: 460, left: 140, maxHeight: null, side: 'above' });
  });

  it('shifts sideways to stay inside the left and right edges', () => {
    expect(placePopover({ top: 100, left: 10, width: 40, height: 44 }, menu, viewport).left).toBe(8);
    expect(placePopover({ top: 100, left: 380, width: 40, height: 44 }, menu, viewport).left).toBe(390 - 8 - 200);
  });

  it('takes the roomier side and scrolls inside when neither has room', () => {
    const placed = placePopover({ top: 150, left: 300, width: 40, height: 44 }, menu, { width: 390, height: 400 });
    expect(placed).toEqual({ top: 194, left: 140, maxHeight: 400 - 8 - 194, side: 'below' });
  });
});
