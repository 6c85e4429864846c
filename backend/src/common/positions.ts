/**
 * Manual order: a position is any finite number, smaller first, and items
 * with equal positions fall back to their id. New items go last, one step
 * after the last; a client reordering puts an item between its neighbours
 * (`positionBetween`), so one move is one write, and only when the gap has
 * been halved some fifty times in one place do positions need spreading out.
 */
export const POSITION_STEP = 1024;
/** Beyond this a double no longer tells neighbours one step apart. */
export const MAX_ABS_POSITION = 2 ** 50;

/** After the last sibling (`undefined` when there is none). */
export function positionAfter(last: number | undefined): number {
  return last === undefined ? POSITION_STEP : Math.floor(last / POSITION_STEP) * POSITION_STEP + POSITION_STEP;
}

/**
 * Between two neighbours, either of which may be missing (the start or the
 * end of the list). Undefined when they are too close for a double to tell
 * a third position apart: the caller then renumbers.
 */
export function positionBetween(before: number | undefined, after: number | undefined): number | undefined {
  if (before === undefined && after === undefined) return POSITION_STEP;
  if (before === undefined) return (after as number) - POSITION_STEP;
  if (after === undefined) return positionAfter(before);
  const middle = before + (after - before) / 2;
  return middle > before && middle < after ? middle : undefined;
}

export function isUsablePosition(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= MAX_ABS_POSITION;
}
