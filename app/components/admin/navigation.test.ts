// The navigation's promise (issue 20): at most seven entries in Shopify admin's
// sidebar, and every page the old thirteen-entry nav linked to still one
// click away, through its group's entry and tabs, at the URL it had.
import fs from "node:fs";
import path from "node:path";
import { groupOf, NAV_GROUPS } from "./navigation";

// The nav before issue 20 (app/routes/app.tsx), plus the pages it never linked: reward limits and the new Status page.
const FORMER_NAV = ["/app", "/app/tiers", "/app/members", "/app/follow-ups", "/app/anomalies", "/app/messages", "/app/flows", "/app/campaigns", "/app/results", "/app/gifts", "/app/staff", "/app/care-settings", "/app/settings"];
const NEWLY_REACHABLE = ["/app/rewards/settings", "/app/status"];

it("has at most seven entries, the app's home first", () => {
  expect(NAV_GROUPS.length).toBeLessThanOrEqual(7);
  expect(NAV_GROUPS[0]).toMatchObject({ home: true, pages: [{ to: "/app" }] });
  expect(NAV_GROUPS.filter((group) => group.home)).toHaveLength(1);
});

it("keeps every former page and reward limits and Status reachable, each in exactly one group", () => {
  for (const page of [...FORMER_NAV, ...NEWLY_REACHABLE]) {
    const holders = NAV_GROUPS.filter((group) => group.pages.some((each) => each.to === page));
    expect(holders, page).toHaveLength(1);
    expect(groupOf(page)?.current.to).toBe(page);
  }
});

it("links only pages the app has (a route file for each URL)", () => {
  const routes = new Set(fs.readdirSync(path.resolve("app/routes")).map((file) => file.replace(/\.tsx?$/, "")));
  for (const group of NAV_GROUPS) {
    for (const page of group.pages) {
      const file = page.to === "/app" ? "app._index" : page.to.slice(1).replaceAll("/", ".");
      expect(routes.has(file) || routes.has(`${file}._index`), page.to).toBe(true);
    }
  }
});

it("finds a page's group from deeper URLs (a member, a flow) by the longest matching page", () => {
  expect(groupOf("/app/members/123/reward")?.current.to).toBe("/app/members");
  expect(groupOf("/app/flows/win-back")?.group.label).toBe("nav.care");
  expect(groupOf("/app/rewards/settings")?.group.label).toBe("nav.settings");
  expect(groupOf("/app")?.group.home).toBe(true);
  expect(groupOf("/app/membersx")).toBeNull();
  expect(groupOf("/auth/login")).toBeNull();
});
