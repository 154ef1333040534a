// SectionTabs: the other pages of the current page's nav group as links above
// the page (navigation.ts), e.g. Care flows | Messages | Shipments in trouble,
// the current one marked (aria-current="page") and underlined as Polaris tabs
// are. Rendered once by app/routes/app.tsx; a group with one page shows none.
// Plain links rather than Polaris Tabs: these navigate between pages (Tabs are
// for panels of one page, and measure themselves into a "More views" menu).
import { Link, useLocation } from "@remix-run/react";
import { InlineStack, Text } from "@shopify/polaris";
import { useT } from "~/i18n";
import { groupOf } from "./navigation";

const linkStyle = (current: boolean) => ({
  display: "block",
  padding: "6px 12px",
  borderRadius: "8px",
  textDecoration: "none",
  color: "inherit",
  background: current ? "var(--p-color-bg-fill-transparent-selected)" : "transparent",
});

export function SectionTabs() {
  const { pathname } = useLocation();
  const t = useT();
  const found = groupOf(pathname);
  if (!found || found.group.pages.length < 2) return null;
  const { group, current } = found;
  return (
    // Centred and as wide as a Polaris Page (998 px, its side padding), so the links line up with the page below.
    <nav aria-label={t(group.label)} style={{ maxWidth: "62.375rem", margin: "0 auto", padding: "12px 24px 0" }}>
      <InlineStack gap="100">
        {group.pages.map((page) => (
          <Link key={page.to} to={page.to} aria-current={page === current ? "page" : undefined} style={linkStyle(page === current)}>
            <Text as="span" variant="bodyMd" fontWeight={page === current ? "semibold" : "medium"} tone={page === current ? undefined : "subdued"}>
              {t(page.label)}
            </Text>
          </Link>
        ))}
      </InlineStack>
    </nav>
  );
}
