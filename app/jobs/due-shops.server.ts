/**
 * "Which shops are due" for the periodic jobs (app/jobs/registry.server.ts):
 * the declarations several jobs share, so a job names how its shops come due
 * instead of finding them its own way.
 *
 * - everyInstalledShop: jobs whose run looks at every shop with the app
 *   installed (each shop's own query then finds what there is to do there).
 * - onANewLocalDay: daily jobs; a shop is due once its local day (in its own
 *   time zone) has come round since the day of its last run, from its first
 *   minute, and not again that day however often the job asks.
 */
import { localDate } from "~/domain/local-time";
import { installedShops } from "~/models/shops.server";

/** A shop a run is due for, with whatever the due query read that its claim or work needs. */
export interface DueShop {
  shop: string;
}

export interface DueDeclaration<D extends DueShop> {
  /** In words, for operators (docs/operations.md's "Due" column says the same). */
  due: string;
  dueShops(now: Date): Promise<D[]>;
}

export const everyInstalledShop = (what = ""): DueDeclaration<DueShop> => ({
  due: `every installed shop${what ? ` (${what})` : ""}`,
  dueShops: async () => (await installedShops()).map((shop) => ({ shop })),
});

/**
 * Daily in each shop's time zone. `lastRuns` reads the shops the job may run
 * for, each with its zone and the local date of its last run (null: never).
 */
export function onANewLocalDay<D extends DueShop & { timeZone: string; lastDay: string | null }>(due: string, lastRuns: () => Promise<D[]>): DueDeclaration<D> {
  return {
    due,
    dueShops: async (now) => (await lastRuns()).filter((row) => row.lastDay === null || localDate(now, row.timeZone) > row.lastDay),
  };
}
