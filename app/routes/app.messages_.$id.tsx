// One message (issue 20): its words as the customer got them (subject, the
// email's HTML and text parts, the text message, or what a Shopify Flow
// workflow received), kept by the dispatcher when it was sent; for a message
// not sent, or sent before they were kept or past their retention, rendered
// now by the dispatcher's own path under a label that says so (messageWords,
// ADR 0032). And why it went when it did.
// Named app.messages_ so it is a page of its own, not a child of the list.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { DecisionHistory, sourceText } from "~/components/MessageDecisions";
import { MessageWords, type MessageWordsData } from "~/components/MessageWords";
import { MESSAGE_STATUSES } from "~/domain/care/types";
import { env } from "~/env.server";
import { useT, type MessageKey } from "~/i18n";
import { messagesLogPage, messageWords, type MessageWords as Words } from "~/services/messages-log.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const id = z.string().min(1).max(100).safeParse(params.id);
  if (!id.success) throw new Response("Not found", { status: 404 });
  // The row as the log shows it (customer, source, decisions), found by its id among the shop's messages only.
  const [words, page] = await Promise.all([
    messageWords(session.shop, id.data),
    messagesLogPage(session.shop, { id: id.data, limit: 1 }),
  ]);
  const row = page.entries[0];
  if (!row) throw new Response("Not found", { status: 404 });
  return json({
    timeZone: page.timeZone,
    message: {
      id: row.id,
      customerShopifyId: row.customerShopifyId,
      customerName: row.customerName ?? row.customerEmail,
      source: row.source,
      sourceId: row.sourceId,
      step: row.step,
      campaignName: row.campaignName,
      channel: row.channel,
      status: row.status,
      decisions: row.decisions.map((decision) => ({
        id: decision.id,
        decision: decision.decision,
        reason: decision.reason,
        detail: decision.detail,
        at: decision.at.toISOString(),
      })),
    },
    retentionDays: env().MESSAGE_WORDS_RETENTION_DAYS,
    words: words ? wordsData(words) : null,
  });
}

/** The page's view of the words: as sent, or rendered now (the parts its channel would get). */
function wordsData(words: Words): MessageWordsData {
  if (words.basis === "asSent") return { basis: "asSent", why: null, locale: null, sentAt: words.sentAt.toISOString(), ...words.words };
  return { basis: "renderedNow", why: words.why, locale: words.locale, sentAt: null, ...words.words };
}

export default function MessageView() {
  const { message, words, timeZone, retentionDays } = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const customer =
    message.customerName ??
    t("care.messages.unknownCustomer", { id: message.customerShopifyId });
  const source = sourceText(t, message);
  const status = (MESSAGE_STATUSES as readonly string[]).includes(
    message.status
  )
    ? t(`care.status.${message.status}` as MessageKey)
    : message.status;
  return (
    <Page>
      <TitleBar title={t("care.messages.words.title", { customer })}>
        <button variant="breadcrumb" onClick={() => navigate("/app/messages")}>
          {t("care.messages.words.back")}
        </button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {source}
                </Text>
                <Badge>{status}</Badge>
              </InlineStack>
              {words ? (
                <MessageWords words={words} channel={message.channel} timeZone={timeZone} retentionDays={retentionDays} />
              ) : (
                <Text as="p">{t("care.messages.words.none")}</Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <DecisionHistory
              title={t("care.messages.decisionsFor", { customer, source })}
              decisions={message.decisions}
              timeZone={timeZone}
            />
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
