// The app's navigation, grouped the way a merchant thinks about the program
// (issue 20: at most seven entries in Shopify admin's sidebar). Each entry is a
// group; a group's other pages are tabs on each of its pages (SectionTabs), so
// every page stays one click from the nav and keeps its URL.
//
//   NAV_GROUPS            the seven entries, home first (the app's name in the sidebar)
//   groupOf(pathname)     the group a page belongs to, and which of its pages is current
import type { MessageKey } from "~/i18n";

export interface NavPage {
  to: string;
  label: MessageKey;
}

export interface NavGroup {
  /** The sidebar's words for the group. */
  label: MessageKey;
  /** Where the sidebar's entry goes: the group's first page. */
  pages: [NavPage, ...NavPage[]];
  home?: boolean;
}

export const NAV_GROUPS: NavGroup[] = [
  { label: "nav.overview", home: true, pages: [{ to: "/app", label: "nav.overview" }] },
  // Who the members are and who to contact today.
  { label: "nav.members", pages: [{ to: "/app/members", label: "nav.members" }, { to: "/app/follow-ups", label: "nav.followUps" }] },
  // What the app does for customers after they buy: flows, the messages they sent, parcels in trouble.
  {
    label: "nav.care",
    pages: [
      { to: "/app/flows", label: "nav.flows" },
      { to: "/app/messages", label: "nav.messages" },
      { to: "/app/anomalies", label: "nav.anomalies" },
    ],
  },
  { label: "nav.campaigns", pages: [{ to: "/app/campaigns", label: "nav.campaigns" }] },
  // The program itself: tiers and the gifts their perks draw on.
  { label: "nav.tiers", pages: [{ to: "/app/tiers", label: "nav.tiers" }, { to: "/app/gifts", label: "nav.gifts" }] },
  { label: "nav.results", pages: [{ to: "/app/results", label: "nav.results" }, { to: "/app/staff", label: "nav.staff" }] },
  {
    label: "nav.settings",
    pages: [
      { to: "/app/settings", label: "nav.settingsGeneral" },
      { to: "/app/care-settings", label: "nav.careSettings" },
      { to: "/app/rewards/settings", label: "nav.rewardLimits" },
      { to: "/app/status", label: "nav.status" },
    ],
  },
];

// The home page holds only itself: every other page is under /app/ too.
const within = (pathname: string, to: string) => pathname === to || (to !== "/app" && pathname.startsWith(`${to}/`));

/** The group of the page at `pathname` and its current page (the longest matching page), or null outside the groups. */
export function groupOf(pathname: string): { group: NavGroup; current: NavPage } | null {
  let best: { group: NavGroup; current: NavPage } | null = null;
  for (const group of NAV_GROUPS) {
    for (const page of group.pages) {
      if (within(pathname, page.to) && (!best || page.to.length > best.current.to.length)) best = { group, current: page };
    }
  }
  return best;
}
