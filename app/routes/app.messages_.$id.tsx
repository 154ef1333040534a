// One message (issue 20): its words as the customer gets them (subject and
// email, the text message, or what a Shopify Flow workflow receives), made by
// the dispatcher's own rendering (messageWords), and why it went when it did.
// Named app.messages_ so it is a page of its own, not a child of the list.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Box,
  Card,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
import { DecisionHistory, sourceText } from "~/components/MessageDecisions";
import { MESSAGE_STATUSES } from "~/domain/care/types";
import { useT, type MessageKey } from "~/i18n";
import { messagesLogPage, messageWords } from "~/services/messages-log.server";
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
    words: words
      ? {
          locale: words.locale,
          subject: words.rendered.subject,
          text: words.rendered.text,
          sms: words.rendered.sms,
        }
      : null,
  });
}

export default function MessageView() {
  const { message, words, timeZone } = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const customer =
    message.customerName ??
    t("care.messages.unknownCustomer", { id: message.customerShopifyId });
  const source = sourceText(t, message);
  const language = words
    ? t(
        `flows.locale.${
          words.locale === "zh-CN" ? "zh-CN" : "en"
        }` as MessageKey
      )
    : "";
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
                <BlockStack gap="400">
                  <Text as="p" tone="subdued">
                    {t("care.messages.words.note", { language })}
                  </Text>
                  {message.channel === "sms" ? (
                    <BlockStack gap="100">
                      <Text as="h2" variant="headingMd">
                        {t("care.messages.words.sms")}
                      </Text>
                      <Box
                        background="bg-surface-secondary"
                        padding="300"
                        borderRadius="200"
                      >
                        <Text as="p" id="message-sms">
                          {words.sms}
                        </Text>
                      </Box>
                    </BlockStack>
                  ) : (
                    <BlockStack gap="200">
                      <Text as="h2" variant="headingMd">
                        {message.channel === "flow"
                          ? t("care.messages.words.flowText")
                          : t("care.messages.words.email")}
                      </Text>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {t("care.messages.words.subject")}
                      </Text>
                      <Text as="p" variant="headingSm" id="message-subject">
                        {words.subject}
                      </Text>
                      <Box
                        background="bg-surface-secondary"
                        padding="300"
                        borderRadius="200"
                      >
                        <div
                          id="message-body"
                          lang={words.locale}
                          style={{
                            whiteSpace: "pre-wrap",
                            overflowWrap: "anywhere",
                          }}
                        >
                          {words.text}
                        </div>
                      </Box>
                    </BlockStack>
                  )}
                </BlockStack>
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
