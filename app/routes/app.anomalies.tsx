// Shipments in trouble (issue 8): each shipment with an open anomaly, its
// kinds, days since it shipped, carrier and last event, order and customer
// links, the staff follow-up it opened and whether the customer's note was
// planned; "Resolve" closes every open kind of that shipment (resolvedBy is the
// staff member) and resumes the order's care messages. Bad input: 422.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { ANOMALY_KINDS } from "~/domain/care/types";
import { formatDateTime, useLocale, useT, type MessageKey } from "~/i18n";
import { getCareContext } from "~/models/care-settings.server";
import { anomaliesPage, resolveShipmentByStaff } from "~/services/anomalies.server";
import { systemClock } from "~/services/clock.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const [shipments, context] = await Promise.all([anomaliesPage(session.shop, systemClock.now()), getCareContext(session.shop)]);
  return json({
    timeZone: context.timeZone,
    shipments: shipments.map((row) => ({
      anomalyId: row.anomalyId,
      fulfillmentShopifyId: row.fulfillmentShopifyId,
      kinds: row.kinds,
      detectedAt: row.detectedAt.toISOString(),
      daysInTransit: row.daysInTransit,
      carrier: row.carrier,
      trackingNumber: row.trackingNumber,
      trackingUrl: row.trackingUrl,
      lastEventStatus: row.lastEventStatus,
      lastEventAt: row.lastEventAt?.toISOString() ?? null,
      orderShopifyId: row.orderShopifyId,
      orderName: row.orderName,
      customerShopifyId: row.customerShopifyId,
      customer: row.customer ? [row.customer.firstName, row.customer.lastName].filter(Boolean).join(" ") || row.customer.email || null : null,
      followUp: row.followUp ? { status: row.followUp.status, assignee: row.followUp.assigneeName ?? row.followUp.assignee, dueOn: row.followUp.dueOn } : null,
      notePlanned: row.noticeMessageId !== null,
    })),
  });
}

const resolveForm = z.object({ intent: z.literal("resolve"), id: z.string().min(1).max(100) });

export async function action({ request }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const parsed = resolveForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false, error: "care.anomalies.errors.form" as MessageKey }, { status: 422 });
  const resolved = await resolveShipmentByStaff(session.shop, parsed.data.id, sessionToken?.sub ?? null, systemClock.now());
  if (!resolved) return json({ ok: false, error: "care.anomalies.errors.notFound" as MessageKey }, { status: 404 });
  return json({ ok: true, error: null });
}

/** Carrier statuses as Shopify's fulfillment events name them. */
const CARRIER_STATUSES: readonly string[] = ["label_printed", "label_purchased", "confirmed", "carrier_picked_up", "picked_up", "in_transit", "out_for_delivery", "ready_for_pickup", "attempted_delivery", "delayed", "failure"];

type Shipment = ReturnType<typeof useLoaderData<typeof loader>>["shipments"][number];

function ShipmentCard({ shipment, timeZone }: { shipment: Shipment; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<typeof action>();
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  const lastEvent = shipment.lastEventStatus
    ? t("care.anomalies.lastEvent", { status: CARRIER_STATUSES.includes(shipment.lastEventStatus) ? t(`care.anomalies.event.${shipment.lastEventStatus}` as MessageKey) : shipment.lastEventStatus.replace(/_/g, " "), at: shipment.lastEventAt ? formatDateTime(shipment.lastEventAt, locale, timeZone) : "—" })
    : t("care.anomalies.noEvents");
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center" wrap>
          <Text as="h3" variant="headingSm">
            {/* The order in Shopify admin (App Bridge opens shopify://admin links in the admin, outside the app's frame). */}
            <a href={`shopify://admin/orders/${shipment.orderShopifyId}`} target="_top">
              {t("care.anomalies.order", { name: shipment.orderName ?? `#${shipment.orderShopifyId}` })}
            </a>
          </Text>
          {shipment.kinds.map((kind) => (
            <Badge key={kind} tone={kind === "failure" ? "critical" : "attention"}>
              {(ANOMALY_KINDS as readonly string[]).includes(kind) ? t(`care.anomalies.kind.${kind}` as MessageKey) : kind}
            </Badge>
          ))}
        </InlineStack>
        <Text as="p">
          {shipment.customerShopifyId ? <Link to={`/app/members/${shipment.customerShopifyId}`}>{shipment.customer ?? `#${shipment.customerShopifyId}`}</Link> : t("care.anomalies.guest")}
          {" · "}
          {shipment.daysInTransit !== null ? t("care.anomalies.days", { days: shipment.daysInTransit }) : t("care.anomalies.daysUnknown")}
          {" · "}
          {[shipment.carrier, shipment.trackingNumber].filter(Boolean).join(" ") || t("care.anomalies.untracked")}
        </Text>
        <Text as="p" tone="subdued">
          {lastEvent} · {t("care.anomalies.detected", { at: formatDateTime(shipment.detectedAt, locale, timeZone) })}
        </Text>
        <Text as="p">
          {shipment.followUp
            ? t("care.anomalies.followUp", { status: t(`care.anomalies.followUpStatus.${shipment.followUp.status}` as MessageKey), due: shipment.followUp.dueOn, assignee: shipment.followUp.assignee ?? t("followUps.unassigned") })
            : t("care.anomalies.noFollowUp")}
          {" · "}
          {shipment.notePlanned ? t("care.anomalies.notePlanned") : t("care.anomalies.noNote")}
        </Text>
        {error ? (
          <Text as="p" tone="critical">
            {t(error)}
          </Text>
        ) : null}
        <InlineStack gap="300">
          <Link to="/app/follow-ups">{t("care.anomalies.toFollowUps")}</Link>
          <Button loading={fetcher.state !== "idle"} onClick={() => fetcher.submit({ intent: "resolve", id: shipment.anomalyId }, { method: "post" })}>
            {t("care.anomalies.resolve")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export default function Anomalies() {
  const { shipments, timeZone } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <Page title={t("care.anomalies.title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="p" tone="subdued">
              {t("care.anomalies.intro")}
            </Text>
            {shipments.length === 0 ? <Text as="p">{t("care.anomalies.empty")}</Text> : shipments.map((shipment) => <ShipmentCard key={shipment.fulfillmentShopifyId} shipment={shipment} timeZone={timeZone} />)}
            <Link to="/app/care-settings">{t("care.anomalies.thresholds")}</Link>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
