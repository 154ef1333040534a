// What the amount a tier is decided on is called, after the program's window
// (issue 20): "Net spend, last 12 months" beside a member's tier, so a list that
// shows "Silver, $1,303" next to "Member, $1,337" lifetime does not look like a
// mistake. One wording for the list, the export and the member page.
import { Text } from "@shopify/polaris";
import type { TierWindow } from "~/domain/tiers";
import { useT, type MessageKey, type MessageVars } from "~/i18n";

type Translate = (key: MessageKey, vars?: MessageVars) => string;

/** The column heading for the window's net spend or orders; no program counts the whole history. */
export function qualifyingLabel(t: Translate, window: TierWindow | null, kind: "spend" | "orders"): string {
  if (!window || window.kind === "lifetime") return t(`members.qualifying.${kind}.lifetime`);
  if (window.kind === "calendarYear") return t(`members.qualifying.${kind}.calendarYear`);
  return t(`members.qualifying.${kind}.rolling`, { months: window.months });
}

/** The note under the list: what the amount is and where lifetime spend is. */
export function QualifyingNote({ window }: { window: TierWindow | null }) {
  const t = useT();
  return (
    <Text as="p" tone="subdued">
      {window ? t("members.qualifying.note", { spend: qualifyingLabel(t, window, "spend") }) : t("members.qualifying.noProgram")}
    </Text>
  );
}
