// The Members list as CSV (issue 20): the list's current view (search,
// filters, saved view, sort: the same URL params the page reads), or only the
// rows the merchant selected (`id` repeated), streamed a page at a time so a
// shop of 10,000 members is never held in memory at once. Every cell goes
// through app/domain/csv.ts's writer and its formula guard (a customer named
// "=HYPERLINK(...)" stays text). Column names in the admin's language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvLine, type CsvColumnType } from "~/domain/csv";
import { segmentName, stageName, valueClassName, type LifecycleStage, type RfmSegment, type ValueClass } from "~/domain/intelligence";
import { parseMemberListQuery } from "~/domain/list-query";
import { minorToAmount } from "~/domain/money";
import { resolveLocale, translate, type MessageKey } from "~/i18n";
import { eachMemberPage, type MemberRow } from "~/models/members.server";
import { getShop } from "~/models/shops.server";
import { systemClock } from "~/services/clock.server";
import { qualifyingWindowOf } from "~/services/member-page.server";
import { authenticate } from "~/shopify.server";
import { qualifyingLabel } from "~/components/QualifyingLabel";

const MAX_SELECTED = 1000;

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const locale = resolveLocale(request);
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  const view = parseMemberListQuery(params);
  const ids = params.getAll("id").filter((id) => /^\d{1,20}$/.test(id));
  if (ids.length > MAX_SELECTED) return new Response(`Select at most ${MAX_SELECTED} members, or export the whole list.`, { status: 400 });
  const now = systemClock.now();
  const [{ window, program }, shop] = await Promise.all([qualifyingWindowOf(session.shop, now), getShop(session.shop)]);
  const currencyCode = shop?.currencyCode ?? "USD";
  const tierNames = new Map((program?.tiers ?? []).map((tier) => [tier.handle, tier.name[locale] || tier.name.en]));
  const columns: Array<{ name: string; type: CsvColumnType; value(row: MemberRow): string }> = [
    { name: t("members.csv.id"), type: "number", value: (row) => row.shopifyId },
    { name: t("members.csv.firstName"), type: "text", value: (row) => row.firstName ?? "" },
    { name: t("members.csv.lastName"), type: "text", value: (row) => row.lastName ?? "" },
    { name: t("members.csv.email"), type: "text", value: (row) => row.email ?? "" },
    { name: t("members.csv.phone"), type: "text", value: (row) => row.phone ?? "" },
    { name: t("members.csv.country"), type: "text", value: (row) => row.countryCode ?? "" },
    { name: t("members.column.tier"), type: "text", value: (row) => (row.tierHandle ? (tierNames.get(row.tierHandle) ?? row.tierHandle) : "") },
    { name: t("members.csv.underReviewUntil"), type: "text", value: (row) => row.downgradeOn?.toISOString().slice(0, 10) ?? "" },
    { name: `${qualifyingLabel(t, program?.window ?? null, "spend")} (${currencyCode})`, type: "number", value: (row) => minorToAmount(row.qualifyingSpendMinor, currencyCode) },
    { name: qualifyingLabel(t, program?.window ?? null, "orders"), type: "number", value: (row) => String(row.qualifyingOrders) },
    { name: `${t("members.csv.lifetimeSpend")} (${currencyCode})`, type: "number", value: (row) => minorToAmount(row.netSpentMinor, currencyCode) },
    { name: t("members.csv.lifetimeOrders"), type: "number", value: (row) => String(row.orderCount) },
    { name: t("members.column.lastOrder"), type: "text", value: (row) => row.lastOrderAt?.toISOString() ?? "" },
    { name: t("members.filter.stage"), type: "text", value: (row) => (row.lifecycleStage ? t(stageName(row.lifecycleStage as LifecycleStage).key) : "") },
    { name: t("members.filter.valueClass"), type: "text", value: (row) => (row.valueClass ? t(valueClassName(row.valueClass as ValueClass).key) : "") },
    { name: t("members.filter.segment"), type: "text", value: (row) => (row.rfmSegment ? t(segmentName(row.rfmSegment as RfmSegment).key) : "") },
    { name: t("members.csv.tags"), type: "text", value: (row) => row.tags },
  ];
  const pages = eachMemberPage(session.shop, { ...view, ...(params.has("id") ? { ids } : {}) }, window);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // A byte-order mark so spreadsheet programs read the names (Chinese too) as UTF-8.
      controller.enqueue(encoder.encode(`\uFEFF${csvLine(columns)}\r\n`));
    },
    async pull(controller) {
      const next = await pages.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map((row) => `${csvLine(columns, columns.map((column) => column.value(row)))}\r\n`).join("")));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="membercare-members-${now.toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
