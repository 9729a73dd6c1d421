/** The one injectable clock: logic takes `clock()` instead of reading the system time, so tests can move time. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock tests move by hand. */
export function manualClock(start: Date | string): Clock & { set(t: Date | string): void; advance(ms: number): Date } {
  let now = new Date(start);
  const clock = (() => new Date(now)) as Clock & { set(t: Date | string): void; advance(ms: number): Date };
  clock.set = (t) => void (now = new Date(t));
  clock.advance = (ms) => (now = new Date(now.getTime() + ms));
  return clock;
}
