// SectionTabs: the other pages of the current page's nav group as tabs above
// the page (navigation.ts), e.g. Care flows | Messages | Shipments in trouble.
// Rendered once by app/routes/app.tsx; a group with one page shows none.
import { useLocation } from "@remix-run/react";
import { Box, Tabs } from "@shopify/polaris";
import { useT } from "~/i18n";
import { groupOf } from "./navigation";

export function SectionTabs() {
  const { pathname } = useLocation();
  const t = useT();
  const found = groupOf(pathname);
  if (!found || found.group.pages.length < 2) return null;
  const { group, current } = found;
  const tabs = group.pages.map((page) => ({ id: `tab-${page.to.replace(/\W+/g, "-")}`, content: t(page.label), url: page.to, accessibilityLabel: t(page.label) }));
  return (
    // Centred and as wide as a Polaris Page (its 998 px and side padding), so the tabs line up with the page below.
    <nav aria-label={t(group.label)} style={{ maxWidth: "62.375rem", margin: "0 auto" }}>
      <Box paddingInline={{ xs: "0", sm: "600" }} paddingBlockStart="200">
        <Tabs tabs={tabs} selected={group.pages.indexOf(current)} />
      </Box>
    </nav>
  );
}
