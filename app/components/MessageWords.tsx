// A message's words on its page (issue 20, ADR 0032): as sent when the row
// kept them, else rendered now from the template under a label that says so
// and why. An email's HTML part is shown in a sandboxed iframe (srcdoc, an
// empty sandbox: no scripts, forms, pop-ups or navigation of the admin), its
// text part on the tab beside it; an SMS is its text, a Flow trigger its
// subject and text.
import { Banner, BlockStack, Box, Tabs, Text } from "@shopify/polaris";
import { useState } from "react";
import { formatDateTime, useLocale, useT, type MessageKey } from "~/i18n";

export interface MessageWordsData {
  basis: "asSent" | "renderedNow";
  /** For words rendered now: why they are not the words as sent. */
  why: "notSent" | "sentBeforeKept" | "purged" | null;
  /** The language rendered in (rendered now only; words as sent carry their own). */
  locale: string | null;
  sentAt: string | null;
  subject: string | null;
  text: string;
  html: string | null;
}

const WHY_KEYS = {
  notSent: "care.messages.words.renderedNow.notSent",
  sentBeforeKept: "care.messages.words.renderedNow.sentBeforeKept",
  purged: "care.messages.words.renderedNow.purged",
} as const satisfies Record<NonNullable<MessageWordsData["why"]>, MessageKey>;

export function MessageWords({ words, channel, timeZone, retentionDays }: { words: MessageWordsData; channel: string; timeZone: string; retentionDays: number }) {
  const t = useT();
  const locale = useLocale();
  const [tab, setTab] = useState(0);
  const language = words.locale ? t(`flows.locale.${words.locale === "zh-CN" ? "zh-CN" : "en"}` as MessageKey) : "";
  const heading = channel === "sms" ? t("care.messages.words.sms") : channel === "flow" ? t("care.messages.words.flowText") : t("care.messages.words.email");
  const text = (
    <Box background="bg-surface-secondary" padding="300" borderRadius="200">
      <div id="message-body" lang={words.locale ?? undefined} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        {words.text}
      </div>
    </Box>
  );
  const tabs = [
    { id: "message-html-tab", content: t("care.messages.words.htmlTab"), panelID: "message-html-panel" },
    { id: "message-text-tab", content: t("care.messages.words.textTab"), panelID: "message-text-panel" },
  ];
  return (
    <BlockStack gap="400">
      {words.basis === "asSent" ? (
        <Text as="p" tone="subdued" id="message-words-basis">
          {t(channel === "flow" ? "care.messages.words.asSentFlow" : "care.messages.words.asSent", { date: words.sentAt ? formatDateTime(words.sentAt, locale, timeZone) : "" })}
        </Text>
      ) : (
        // Not sent yet is the expected case (information); a sent message whose words are not kept is a caveat (warning).
        <Banner tone={words.why === "notSent" ? "info" : "warning"} title={t("care.messages.words.renderedNow.title")}>
          <p id="message-words-basis">{t(WHY_KEYS[words.why ?? "notSent"], { language, days: String(retentionDays) })}</p>
        </Banner>
      )}
      <Text as="h2" variant="headingMd">
        {heading}
      </Text>
      {words.subject !== null ? (
        <BlockStack gap="100">
          <Text as="p" variant="bodySm" tone="subdued">
            {t("care.messages.words.subject")}
          </Text>
          <Text as="p" variant="headingSm" id="message-subject">
            {words.subject}
          </Text>
        </BlockStack>
      ) : null}
      {words.html !== null ? (
        <Tabs tabs={tabs} selected={tab} onSelect={setTab}>
          <Box paddingBlockStart="300" id={tabs[tab]!.panelID}>
            {tab === 0 ? (
              <iframe
                id="message-html"
                title={t("care.messages.words.htmlFrame")}
                sandbox=""
                referrerPolicy="no-referrer"
                srcDoc={words.html}
                style={{ width: "100%", height: 560, border: "1px solid var(--p-color-border)", borderRadius: 8, background: "#fff" }}
              />
            ) : (
              text
            )}
          </Box>
        </Tabs>
      ) : (
        text
      )}
    </BlockStack>
  );
}
