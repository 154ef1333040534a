// The Messages log (issue 8): every care and campaign message, most recently
// changed first, with its status and the reason in words, its flow or
// campaign, customer and channel, times in the shop's zone; filters by status,
// channel and source in the URL; keyset pages (messagesLog). "Why" opens the
// message's decisions, oldest first, so the merchant sees why it went when it did.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineStack, Layout, Page, Select, Text } from "@shopify/polaris";
import { z } from "zod";
import { CARE_FLOWS, CHANNELS, DECISION_REASONS, FLOW_STEPS, MESSAGE_STATUSES } from "~/domain/care/types";
import { formatDateTime, useLocale, useT, type MessageKey } from "~/i18n";
import { messageWithDecisions, messagesLogPage } from "~/services/messages-log.server";
import { authenticate } from "~/shopify.server";

const PAGE_SIZE = 50;
const FLOW_STEPS_ALL = Object.values(FLOW_STEPS).flat();

// Unknown filter values are ignored rather than refused: the URL is the merchant's to edit.
const filters = z.object({
  status: z.enum(MESSAGE_STATUSES).optional().catch(undefined),
  channel: z.enum(CHANNELS).optional().catch(undefined),
  source: z.enum(["flow", "campaign"]).optional().catch(undefined),
  cursor: z.string().max(200).optional().catch(undefined),
  message: z.string().max(100).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const query = filters.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [page, opened] = await Promise.all([
    messagesLogPage(session.shop, { status: query.status, channel: query.channel, source: query.source, cursor: query.cursor ?? null, limit: PAGE_SIZE }),
    query.message ? messageWithDecisions(session.shop, query.message) : null,
  ]);
  return json({
    timeZone: page.timeZone,
    nextCursor: page.nextCursor,
    entries: page.entries.map((entry) => ({
      id: entry.id,
      customerShopifyId: entry.customerShopifyId,
      customerName: entry.customerName,
      source: entry.source,
      sourceId: entry.sourceId,
      campaignName: entry.campaignName,
      step: entry.step,
      channel: entry.channel,
      messageClass: entry.messageClass,
      status: entry.status,
      lastReason: entry.lastReason,
      plannedAt: entry.plannedAt.toISOString(),
      availableAt: entry.availableAt.toISOString(),
      sentAt: entry.sentAt?.toISOString() ?? null,
      updatedAt: entry.updatedAt.toISOString(),
    })),
    opened: opened
      ? {
          id: opened.message.id,
          decisions: opened.decisions.map((decision) => ({ id: decision.id, decision: decision.decision, reason: decision.reason, detail: decision.detail, at: decision.at.toISOString() })),
        }
      : null,
  });
}

type Entry = ReturnType<typeof useLoaderData<typeof loader>>["entries"][number];
type T = ReturnType<typeof useT>;

const known = <V extends string>(list: readonly V[], value: string | null): value is V => value !== null && (list as readonly string[]).includes(value);

function reasonText(t: T, reason: string | null): string {
  return known(DECISION_REASONS, reason) ? t(`care.reason.${reason}` as MessageKey) : (reason ?? "");
}

function sourceText(t: T, entry: Entry): string {
  if (entry.source === "campaign") return t("care.messages.campaign", { name: entry.campaignName ?? entry.sourceId });
  const flow = known(CARE_FLOWS, entry.sourceId) ? t(`care.messages.flow.${entry.sourceId}` as MessageKey) : entry.sourceId;
  const step = (FLOW_STEPS_ALL as readonly string[]).includes(entry.step) ? t(`flows.step.${entry.step}` as MessageKey) : entry.step;
  return `${flow} · ${step}`;
}

const STATUS_TONE: Partial<Record<string, "success" | "attention" | "critical" | "info" | "warning">> = {
  sent: "success",
  deferred: "attention",
  paused: "warning",
  blocked: "critical",
  failed: "critical",
  expired: "warning",
  heldOut: "info",
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T/;
const hour = (h: number) => `${String(((Math.floor(h) % 24) + 24) % 24).padStart(2, "0")}:00`;

/**
 * A decision's detail in words, so the merchant reads why a message went when
 * it did ("usual hours 18:00–21:00, learned from 8 orders"); dates in the
 * shop's zone. Keys the page does not know show as "key: value".
 */
function detailText(detail: Record<string, unknown>, t: T, locale: ReturnType<typeof useLocale>, timeZone: string): string {
  const date = (value: unknown) => (typeof value === "string" && ISO_TIME.test(value) ? formatDateTime(value, locale, timeZone) : String(value));
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (value === null || value === undefined || value === false) continue;
    switch (key) {
      case "until":
        parts.push(t("care.messages.detail.until", { at: date(value) }));
        break;
      case "waitedFor":
        if (Array.isArray(value) && value.length > 0) parts.push(t("care.messages.detail.waitedFor", { reasons: value.map((reason) => reasonText(t, String(reason))).join(", ") }));
        break;
      case "timeZone":
        parts.push(t("care.messages.detail.timeZone", { zone: String(value) }));
        break;
      case "activeHours": {
        const window = value as { startHour?: number; hours?: number; source?: string; orders?: number; placed?: boolean };
        if (typeof window.startHour !== "number" || typeof window.hours !== "number") break;
        const hours = { from: hour(window.startHour), to: hour(window.startHour + window.hours) };
        parts.push(window.source === "learned" ? t("care.messages.detail.activeHoursLearned", { ...hours, orders: window.orders ?? 0 }) : t("care.messages.detail.activeHoursDefault", hours));
        if (window.placed === false) parts.push(t("care.messages.detail.activeHoursNoRoom"));
        break;
      }
      case "expiresAt":
        parts.push(t("care.messages.detail.expiresAt", { at: date(value) }));
        break;
      case "wouldSendAt":
        parts.push(t("care.messages.detail.wouldSendAt", { at: date(value) }));
        break;
      case "retryAt":
        parts.push(t("care.messages.detail.retryAt", { at: date(value) }));
        break;
      case "attempts":
        parts.push(t("care.messages.detail.attempts", { count: Number(value) }));
        break;
      case "error":
        parts.push(t("care.messages.detail.error", { error: String(value) }));
        break;
      case "resent":
        parts.push(t("care.messages.detail.resent"));
        break;
      case "providerMessageId":
        parts.push(t("care.messages.detail.providerMessageId", { id: String(value) }));
        break;
      case "offerCode":
        parts.push(t("care.messages.detail.offerCode", { code: String(value) }));
        break;
      default:
        parts.push(`${key}: ${typeof value === "object" ? JSON.stringify(value) : date(value)}`);
    }
  }
  return parts.join(" · ");
}

export default function MessagesLog() {
  const { entries, nextCursor, timeZone, opened } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale, timeZone) : "—");
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    return `?${next.toString()}`;
  };
  const filter = (name: "status" | "channel" | "source", values: readonly string[], label: (value: string) => string) => (
    <Select
      label={t(`care.messages.filter.${name}` as MessageKey)}
      options={[{ label: t("care.messages.filter.all"), value: "" }, ...values.map((value) => ({ label: label(value), value }))]}
      value={params.get(name) ?? ""}
      onChange={(value) => navigate(withParams({ [name]: value || null, cursor: null, message: null }))}
    />
  );

  const rows = entries.map((entry) => [
    <Link key="customer" to={`/app/members/${entry.customerShopifyId}`}>
      {entry.customerName ?? `#${entry.customerShopifyId}`}
    </Link>,
    `${sourceText(t, entry)} · ${t(`care.settings.channels.${entry.channel}` as MessageKey)}`,
    <Badge key="status" tone={STATUS_TONE[entry.status]}>
      {known(MESSAGE_STATUSES, entry.status) ? t(`care.status.${entry.status}` as MessageKey) : entry.status}
    </Badge>,
    <span key="reason">
      <span>{reasonText(t, entry.lastReason)}</span>{" "}
      <Link to={withParams({ message: entry.id })} preventScrollReset>
        {t("care.messages.why")}
      </Link>
    </span>,
    entry.sentAt
      ? t("care.messages.when.sent", { at: when(entry.sentAt) })
      : entry.status === "deferred" || entry.status === "scheduled"
        ? t("care.messages.next", { at: when(entry.availableAt) })
        : t("care.messages.when.planned", { at: when(entry.plannedAt) }),
  ]);

  return (
    <Page title={t("care.messages.title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <InlineStack gap="400" wrap>
                {filter("status", MESSAGE_STATUSES, (value) => t(`care.status.${value}` as MessageKey))}
                {filter("channel", CHANNELS, (value) => t(`care.settings.channels.${value}` as MessageKey))}
                {filter("source", ["flow", "campaign"], (value) => t(`care.messages.source.${value}` as MessageKey))}
              </InlineStack>
            </Card>
            {opened ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("care.messages.decisions")}
                  </Text>
                  {opened.decisions.length === 0 ? <Text as="p">{t("care.messages.noDecisions")}</Text> : null}
                  {opened.decisions.map((decision) => (
                    <Text as="p" key={decision.id}>
                      <strong>{when(decision.at)}</strong> · {t(`care.decision.${decision.decision}` as MessageKey)} · {reasonText(t, decision.reason)}
                      {Object.keys(decision.detail).length ? ` (${detailText(decision.detail, t, locale, timeZone)})` : ""}
                    </Text>
                  ))}
                  <Link to={withParams({ message: null })}>{t("care.messages.closeDecisions")}</Link>
                </BlockStack>
              </Card>
            ) : null}
            <Card padding="0">
              {entries.length === 0 ? (
                <div style={{ padding: "16px" }}>
                  <Text as="p">{t("care.messages.empty")}</Text>
                </div>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text"]}
                  headings={[t("care.messages.column.customer"), t("care.messages.column.source"), t("care.messages.column.status"), t("care.messages.column.reason"), t("care.messages.column.when")]}
                  rows={rows}
                />
              )}
            </Card>
            <InlineStack gap="400">
              {params.get("cursor") ? <Link to={withParams({ cursor: null, message: null })}>{t("care.messages.firstPage")}</Link> : null}
              {nextCursor ? <Link to={withParams({ cursor: nextCursor, message: null })}>{t("care.messages.nextPage")}</Link> : null}
            </InlineStack>
            <Text as="p" tone="subdued">
              {t("care.messages.timeZone", { zone: timeZone })}
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
