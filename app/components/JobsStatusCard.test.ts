// The Status page's reading of a job's state: the worst thing about it first,
// in words a merchant reads (and a periodic job is late only a whole interval past its time).
import { translate } from "~/i18n";
import { formatDuration, jobHealth, type JobRow } from "./JobsStatusCard";

const periodic: JobRow = { name: "tier-sweep", kind: "periodic", due: 0, running: 0, failed: 0, lagMs: 0, lastRunAt: null, intervalMs: 15 * 60_000 };
const queue: JobRow = { ...periodic, name: "inbox", kind: "queue", intervalMs: null };
const said = (row: JobRow, locale: "en" | "zh-CN" = "en") => {
  const health = jobHealth(row, locale);
  return [health.tone, translate(locale, health.key, health.vars)];
};

it("says a job is failing before anything else, runs in a row for a periodic job and items for a queue", () => {
  expect(said({ ...periodic, failed: 3, running: 1, lagMs: 3_600_000 })).toEqual(["critical", "Failed 3 times in a row"]);
  expect(said({ ...queue, failed: 1_204, due: 5 })).toEqual(["critical", "1,204 failed"]);
  expect(said({ ...periodic, failed: 2 }, "zh-CN")).toEqual(["critical", "连续失败 2 次"]);
});

it("calls a queue behind after a minute's wait and a periodic job after a whole interval", () => {
  expect(said({ ...queue, due: 40, lagMs: 59_000 })).toEqual(["info", "40 waiting"]);
  expect(said({ ...queue, due: 40, lagMs: 5 * 60_000 })).toEqual(["attention", "Behind by 5 minutes"]);
  expect(said({ ...periodic, due: 1, lagMs: 10 * 60_000 })).toEqual(["success", "Up to date"]);
  expect(said({ ...periodic, due: 1, lagMs: 3 * 3_600_000 })).toEqual(["attention", "Behind by 3 hours"]);
  expect(said({ ...periodic, running: 1 })).toEqual(["info", "Running now"]);
});

it("writes lengths of time in their largest whole unit, in both languages", () => {
  expect(formatDuration(45_000, "en")).toBe("45 seconds");
  expect(formatDuration(90 * 60_000, "en")).toBe("90 minutes");
  expect(formatDuration(24 * 3_600_000, "en")).toBe("24 hours");
  expect(formatDuration(15 * 60_000, "zh-CN")).toBe("15分钟");
});
