// The Overview's sections as a merchant reads them: rendered to static markup
// in both languages, with Polaris's own strings from the same locale.
import { AppProvider } from "@shopify/polaris";
import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { FailedWebhooksTable, type FailedEvent } from "./FailedWebhooksTable";
import { InboxHealthCard } from "./InboxHealthCard";
import { MemberSummaryCard, type MemberSummary } from "./MemberSummaryCard";
import { I18nProvider, type Locale } from "~/i18n";
import { polarisTranslations } from "~/i18n/polaris";

/** The visible text of a page (and Polaris's screen-reader labels), tags dropped. */
async function render(locale: Locale, page: ReactElement): Promise<string> {
  // The retry button is a Remix <Form>, which needs a data router around it.
  const { query, dataRoutes } = createStaticHandler([{ path: "/app", element: page }]);
  const context = await query(new Request("https://membercare.test/app"));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const html = renderToStaticMarkup(
    <AppProvider i18n={polarisTranslations[locale]}>
      <I18nProvider locale={locale}>
        <StaticRouterProvider router={createStaticRouter(dataRoutes, context)} context={context} hydrate={false} />
      </I18nProvider>
    </AppProvider>,
  );
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

const summary: MemberSummary = { members: 1234, withOrders: 987, netSpentMinor: 123456, currencyCode: "USD", lastOrderAt: "2026-03-05T16:07:00.000Z" };
const noMembers: MemberSummary = { members: 0, withOrders: 0, netSpentMinor: 0, currencyCode: "USD", lastOrderAt: null };
const failed: FailedEvent[] = [
  { id: 7, topic: "orders/create", webhookId: "w-7", receivedAt: "2026-03-05T16:07:00.000Z", attempts: 5, lastError: "payload has no updated_at; cannot order it against later updates" },
  { id: 6, topic: "refunds/create", webhookId: "w-6", receivedAt: "2026-03-04T09:00:00.000Z", attempts: 1, lastError: null },
];

describe("MemberSummaryCard", () => {
  it("shows member counts, net spend in the shop's currency and the last order in the shop's time zone", async () => {
    const text = await render("en", <MemberSummaryCard summary={summary} timeZone="America/New_York" />);
    expect(text).toContain("Member files");
    expect(text).toContain("Members: 1,234");
    expect(text).toContain("With orders: 987");
    expect(text).toContain("Net spend of all members: $1,234.56");
    expect(text).toContain("Last order Mar 5, 2026, 11:07 AM");
  });

  it("explains the empty state on a fresh install", async () => {
    const text = await render("en", <MemberSummaryCard summary={noMembers} timeZone="UTC" />);
    expect(text).toContain("No members yet — MemberCare builds member files as orders arrive.");
    expect(text).not.toContain("Net spend");
  });

  it("reads in Chinese with Chinese dates", async () => {
    const text = await render("zh-CN", <MemberSummaryCard summary={{ ...summary, currencyCode: "CNY" }} timeZone="Asia/Shanghai" />);
    expect(text).toContain("会员档案");
    expect(text).toContain("1,234 位会员");
    expect(text).toContain("全部会员净消费：¥1,234.56");
    expect(text).toContain("最近订单 2026年3月6日 00:07");
  });
});

describe("InboxHealthCard", () => {
  const counts = { pending: 2, processing: 1, done: 1500, skipped: 3, failed: 2 };

  it("shows the count for every status as a badge", async () => {
    const text = await render("en", <InboxHealthCard counts={counts} />);
    expect(text).toContain("Webhook inbox");
    for (const label of ["Waiting 2", "Applying 1", "Applied 1,500", "Already up to date 3", "Failed 2"]) expect(text).toContain(label);
  });

  it("says nothing has arrived yet on a fresh install", async () => {
    const text = await render("en", <InboxHealthCard counts={{ pending: 0, processing: 0, done: 0, skipped: 0, failed: 0 }} />);
    expect(text).toContain("No webhooks received yet.");
    expect(text).not.toContain("Waiting");
  });

  it("labels statuses, and Polaris's badge tones, in Chinese", async () => {
    const text = await render("zh-CN", <InboxHealthCard counts={counts} />);
    for (const label of ["Webhook 收件箱", "等待中 2", "处理中 1", "已处理 1,500", "已是最新 3", "失败 2"]) expect(text).toContain(label);
    // Polaris's own screen-reader label for the critical tone, from its zh-CN catalog.
    expect(text).toContain("重要");
    expect(text).not.toContain("Critical");
  });
});

describe("FailedWebhooksTable", () => {
  it("lists each failed event's topic, received time, attempts and reason, with the retry button", async () => {
    const text = await render("en", <FailedWebhooksTable events={failed} total={2} timeZone="America/New_York" />);
    for (const heading of ["Events that could not be applied", "Topic", "Received", "Attempts", "Reason"]) expect(text).toContain(heading);
    expect(text).toContain("orders/create Mar 5, 2026, 11:07 AM 5 payload has no updated_at; cannot order it against later updates");
    expect(text).toContain("refunds/create Mar 4, 2026, 4:00 AM 1 No reason recorded");
    expect(text).toContain("Retry failed events");
    expect(text).not.toContain("Showing the latest");
  });

  it("says when more events failed than are listed", async () => {
    const text = await render("en", <FailedWebhooksTable events={failed} total={1234} timeZone="UTC" />);
    expect(text).toContain("Showing the latest 2 of 1,234 failed events.");
  });

  it("says so when nothing failed, without a retry button", async () => {
    const text = await render("en", <FailedWebhooksTable events={[]} total={0} timeZone="UTC" />);
    expect(text).toContain("No failed events.");
    expect(text).not.toContain("Retry");
  });

  it("renders Chinese headings and keeps the reason as recorded", async () => {
    const text = await render("zh-CN", <FailedWebhooksTable events={failed} total={2} timeZone="Asia/Shanghai" />);
    for (const heading of ["未能处理的事件", "主题", "接收时间", "尝试次数", "原因", "重试失败的事件", "未记录原因"]) expect(text).toContain(heading);
    expect(text).toContain("payload has no updated_at");
    expect(text).not.toContain("Topic");
  });
});
