/**
 * A customer's active hours (issue 10): the few hours of the day, in their own
 * time zone, when they usually order, learned from the local times of their
 * past orders. Messages that allow it are placed inside that window (the
 * contact policy still applies quiet hours and caps first).
 *
 * How: the orders' local hours fill a 24-hour circular histogram, each order
 * spread over its hour and, at half weight, the hours either side (a 19:50
 * order says as much about 20:00 as about 19:00). A prior of `priorWeight`
 * orders spread evenly over the default window is added, so two orders pull
 * the window toward them but do not fix it on one hour; with fewer than
 * `minOrders` orders the default window is used as is. The window is the
 * `windowHours`-long run of hours (wrapping past midnight) holding the most
 * weight.
 */

export interface ActiveHours {
  /** First local hour of the window, 0..23. */
  startHour: number;
  /** Hours in the window; it may wrap past midnight. */
  hours: number;
  source: "learned" | "default";
  orders: number;
}

export interface ActiveHoursOptions {
  windowHours: number;
  minOrders: number;
  priorWeight: number;
  defaultStartHour: number;
  defaultHours: number;
}

/** Default: 10:00–20:00 for those we know too little about; a learned window of 3 hours. */
export const DEFAULT_ACTIVE_HOURS_OPTIONS: Readonly<ActiveHoursOptions> = Object.freeze({ windowHours: 3, minOrders: 3, priorWeight: 2, defaultStartHour: 10, defaultHours: 10 });

export function learnActiveHours(localHours: readonly number[], options: ActiveHoursOptions = DEFAULT_ACTIVE_HOURS_OPTIONS): ActiveHours {
  const fallback: ActiveHours = { startHour: options.defaultStartHour, hours: options.defaultHours, source: "default", orders: localHours.length };
  if (localHours.length < options.minOrders) return fallback;
  const weight = new Array<number>(24).fill(0);
  for (const hour of localHours) {
    const bin = Math.floor(((hour % 24) + 24) % 24);
    weight[bin] += 1;
    weight[(bin + 23) % 24] += 0.5;
    weight[(bin + 1) % 24] += 0.5;
  }
  for (let i = 0; i < options.defaultHours; i++) weight[(options.defaultStartHour + i) % 24] += options.priorWeight / options.defaultHours;
  let best = 0;
  let bestWeight = -1;
  for (let start = 0; start < 24; start++) {
    let sum = 0;
    for (let i = 0; i < options.windowHours; i++) sum += weight[(start + i) % 24];
    if (sum > bestWeight + 1e-9) {
      best = start;
      bestWeight = sum;
    }
  }
  return { startHour: best, hours: options.windowHours, source: "learned", orders: localHours.length };
}

/** Whether local hour `hour` lies in the window. */
export function inActiveHours(hour: number, window: Pick<ActiveHours, "startHour" | "hours">): boolean {
  return (((hour - window.startHour) % 24) + 24) % 24 < window.hours;
}
