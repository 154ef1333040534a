// Dates one way per locale (issue 20): every admin page writes a day with
// formatDate/formatDay and an instant with formatDateTime (app/i18n), in the
// shop's zone, so no page shows "2026-12-07" while another shows "Dec 7, 2026".
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { formatDate, formatDateTime, formatDay } from "./index";

describe("the date helpers", () => {
  it("write a day the same way whether it comes as an instant or a calendar day, in each language", () => {
    // 7 Dec 2026 23:30 UTC is already 8 Dec in Shanghai.
    const instant = "2026-12-07T23:30:00Z";
    expect(formatDate(instant, "en", "UTC")).toBe("Dec 7, 2026");
    expect(formatDate(instant, "en", "Asia/Shanghai")).toBe("Dec 8, 2026");
    expect(formatDay("2026-12-08", "en")).toBe(formatDate(instant, "en", "Asia/Shanghai"));
    expect(formatDate(instant, "zh-CN", "UTC")).toBe("2026年12月7日");
    expect(formatDay("2026-12-07", "zh-CN")).toBe("2026年12月7日");
    // An instant's day part is the day formatDate writes.
    expect(formatDateTime(instant, "en", "UTC").startsWith(formatDate(instant, "en", "UTC"))).toBe(true);
    expect(formatDateTime(instant, "zh-CN", "Asia/Shanghai").startsWith(formatDay("2026-12-08", "zh-CN"))).toBe(true);
    // Not a day: given back as it came rather than "Invalid Date".
    expect(formatDay("soon", "en")).toBe("soon");
  });
});

describe("admin pages", () => {
  const root = path.resolve(__dirname, "..");
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return files(full);
      return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
    });
  // Pages (routes with a component) and the components they are made of; CSV downloads keep ISO days on purpose (machine-readable).
  const pages = [...files(path.join(root, "routes")).filter((file) => /app[._]/.test(path.basename(file)) && readFileSync(file, "utf8").includes("export default")), ...files(path.join(root, "components"))];

  it("format dates only through app/i18n's helpers", () => {
    expect(pages.length).toBeGreaterThan(20);
    const offenders = pages.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      const found = [/Intl\.DateTimeFormat/, /toLocaleDateString|toLocaleTimeString/, /new Date\([^)]*\)\.toLocaleString/, /toISOString\(\)\.slice\(0, ?10\)/].filter((pattern) => pattern.test(text));
      return found.length ? [`${path.relative(root, file)}: ${found.join(", ")}`] : [];
    });
    expect(offenders).toEqual([]);
  });
});
