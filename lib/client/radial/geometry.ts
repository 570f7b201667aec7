/**
 * The radial wheel's geometry, in a fixed viewBox; CSS decides how large it is drawn, so both
 * sizes share it.
 */
export const R = 300;
export const INNER = 0.3 * R;
export const OUTER = 0.9 * R;
export const GROWN = OUTER + 15;
/** Angles run clockwise from twelve o'clock; the first wedge starts 18° past nine o'clock. */
export const START_ANGLE = ((-90 + 18) * Math.PI) / 180;

/**
 * One wedge: the stage's fields the wheel shows (not its plan, which only its page needs), its
 * path at rest and grown (hover and focus), and where its label is centred.
 */
export interface Wedge {
  id: string;
  href: string;
  name: string;
  label: readonly [string, string];
  description: string;
  color: string;
  d: string;
  grown: string;
  centre: [number, number];
}
