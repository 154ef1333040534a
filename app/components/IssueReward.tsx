import { Link as RemixLink, useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, DataTable, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useActionToast } from "./admin/useActionToast";
import { formatDateTime, formatMoney, useLocale, useT, type Locale, type MessageKey } from "~/i18n";
import { SectionCard } from "./SectionCard";
import { useStaffLabel } from "./member/staff-label";

/** A reward as rewardView (app/services/rewards.server.ts) returns it, after JSON. */
export interface IssueRewardView {
  id: string;
  kind: string;
  status: string;
  code: string | null;
  valueType: string | null;
  value: number | null;
  currencyCode: string;
  costMinor: number;
  expiresAt: string | null;
  reason: string;
  issuedBy: string;
  issuedById?: string;
  error: string | null;
  createdAt: string;
}

export interface IssueRewardPanel {
  maxPercent: number;
  maxAmount: string;
  maxAmountMinor: number;
  defaultExpiryDays: number;
  gifts: Array<{ id: string; name: string }>;
  rewards: IssueRewardView[];
}

type Text_ = { key: string; vars?: Record<string, string | number> };
type IssueAnswer = { ok: boolean; errors: Record<string, Text_> | null; limit: Text_ | null; reward: IssueRewardView | null };

const STATUS_TONE: Record<string, "success" | "attention" | "critical" | undefined> = { issued: "success", used: "success", pending: "attention", failed: "critical" };

/** "15%" or "$12.50" for a code; the gift's words for a gift. */
function rewardValue(reward: IssueRewardView, locale: Locale, t: ReturnType<typeof useT>): string {
  if (reward.kind === "gift") return t("rewards.kind.gift");
  if (reward.valueType === "percent") return `${reward.value}%`;
  return formatMoney(reward.value ?? 0, reward.currencyCode, locale);
}

/**
 * Issuing a reward to this member: a single-use discount code only they can
 * use, or a gift for their next parcel, with the reason. Posts to
 * /app/members/:id/reward; a limit reached comes back as a message naming it.
 * Lists the member's rewards with their state.
 */
export function IssueReward({ customerShopifyId, panel, currencyCode, timeZone = "UTC", staffNames = {} }: { customerShopifyId: string; panel: IssueRewardPanel; currencyCode: string; timeZone?: string; staffNames?: Record<string, string> }) {
  const t = useT();
  const staff = useStaffLabel(staffNames);
  const locale = useLocale();
  const fetcher = useFetcher<IssueAnswer>();
  const [kind, setKind] = useState("code");
  const [valueType, setValueType] = useState("percent");
  const [value, setValue] = useState("");
  const [expiryDays, setExpiryDays] = useState("");
  const [giftId, setGiftId] = useState("");
  const [reason, setReason] = useState("");
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = answer?.errors ?? {};
  const error = (field: string) => (errors[field] ? t(errors[field].key as MessageKey, errors[field].vars) : undefined);
  const date = (value: string) => formatDateTime(value, locale, timeZone);
  const limitText = (limit: Text_) => t(limit.key as MessageKey, { ...limit.vars, ...(limit.vars?.next ? { next: date(String(limit.vars.next)) } : {}) });
  const issued = answer?.ok ? answer.reward : null;
  // The toast says it is done; the banner below keeps the code in view to hand to the customer.
  useActionToast(answer, (result) =>
    result.ok && result.reward ? { message: result.reward.kind === "code" ? t("rewards.issued.code", { code: result.reward.code ?? "" }) : t("rewards.issued.gift") } : { message: t(result.limit ? "rewards.refused" : result.reward ? "rewards.shopifyRefused" : "care.settings.fixErrors"), isError: true },
  );
  const refused = answer && !answer.ok && answer.reward ? answer.reward : null;
  // The answer's reward first, then the rest: the list reloads with the page.
  const rewards = issued && !panel.rewards.some((reward) => reward.id === issued.id) ? [issued, ...panel.rewards] : panel.rewards;
  return (
    <SectionCard title={t("rewards.heading")}>
      <BlockStack gap="300">
        <Text as="p" tone="subdued">
          {t("rewards.help", { percent: panel.maxPercent, amount: formatMoney(panel.maxAmountMinor, currencyCode, locale) })}{" "}
          <RemixLink to="/app/rewards/settings">{t("rewards.settingsLink")}</RemixLink>
        </Text>
        {issued?.kind === "code" ? (
          <Banner tone="success" title={t("rewards.issued.code", { code: issued.code ?? "" })}>
            <p id="reward-issued-code">{t("rewards.issued.codeDetail", { value: rewardValue(issued, locale, t), date: issued.expiresAt ? date(issued.expiresAt) : "—" })}</p>
          </Banner>
        ) : null}
        {issued?.kind === "gift" ? <Banner tone="success">{t("rewards.issued.gift")}</Banner> : null}
        {issued?.status === "pending" && issued.kind === "code" ? <Banner tone="warning">{t("rewards.issued.pending")}</Banner> : null}
        {answer?.limit ? (
          <Banner tone="critical" title={t("rewards.refused")}>
            <p id="reward-limit">{limitText(answer.limit)}</p>
          </Banner>
        ) : null}
        {refused ? (
          <Banner tone="critical" title={t("rewards.shopifyRefused")}>
            <p>{refused.error}</p>
          </Banner>
        ) : null}
        <fetcher.Form method="post" action={`/app/members/${encodeURIComponent(customerShopifyId)}/reward`}>
          <FormLayout>
            <FormLayout.Group>
              <Select
                label={t("rewards.field.kind")}
                name="kind"
                options={[
                  { label: t("rewards.kind.code"), value: "code" },
                  { label: t("rewards.kind.gift"), value: "gift" },
                ]}
                value={kind}
                onChange={setKind}
                error={error("kind")}
              />
              {kind === "code" ? (
                <Select
                  label={t("rewards.field.valueType")}
                  name="valueType"
                  options={[
                    { label: t("rewards.valueType.percent"), value: "percent" },
                    { label: t("rewards.valueType.amount", { currency: currencyCode }), value: "amount" },
                  ]}
                  value={valueType}
                  onChange={setValueType}
                  error={error("valueType")}
                />
              ) : (
                <Select
                  label={t("rewards.field.gift")}
                  name="giftId"
                  options={[{ label: t("rewards.gift.rotation"), value: "" }, ...panel.gifts.map((gift) => ({ label: gift.name, value: gift.id }))]}
                  value={giftId}
                  onChange={setGiftId}
                  error={error("giftId")}
                />
              )}
            </FormLayout.Group>
            {kind === "code" ? (
              <FormLayout.Group>
                <TextField
                  label={valueType === "percent" ? t("rewards.field.percent", { max: panel.maxPercent }) : t("rewards.field.amount", { max: panel.maxAmount })}
                  name="value"
                  value={value}
                  onChange={setValue}
                  inputMode="decimal"
                  suffix={valueType === "percent" ? "%" : currencyCode}
                  error={error("value")}
                  autoComplete="off"
                />
                <TextField
                  label={t("rewards.field.expiryDays")}
                  name="expiryDays"
                  type="number"
                  value={expiryDays}
                  onChange={setExpiryDays}
                  placeholder={String(panel.defaultExpiryDays)}
                  helpText={t("rewards.field.expiryHelp", { days: panel.defaultExpiryDays })}
                  error={error("expiryDays")}
                  autoComplete="off"
                />
              </FormLayout.Group>
            ) : null}
            <TextField label={t("rewards.field.reason")} name="reason" value={reason} onChange={setReason} multiline={2} maxLength={500} error={error("reason")} autoComplete="off" />
            <Button submit variant="primary" loading={fetcher.state !== "idle"}>
              {t("rewards.submit")}
            </Button>
          </FormLayout>
        </fetcher.Form>
        {rewards.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("rewards.none")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={[t("rewards.column.when"), t("rewards.column.what"), t("rewards.column.why"), t("rewards.column.who"), t("rewards.column.status")]}
            rows={rewards.map((reward) => [
              date(reward.createdAt),
              reward.kind === "code" ? `${reward.code ?? ""} · ${rewardValue(reward, locale, t)}` : rewardValue(reward, locale, t),
              reward.reason,
              staff(reward.issuedById ?? reward.issuedBy, reward.issuedBy !== reward.issuedById ? reward.issuedBy : null),
              <Badge key={reward.id} tone={STATUS_TONE[reward.status]}>
                {t(`rewards.status.${reward.status}` as MessageKey)}
              </Badge>,
            ])}
          />
        )}
      </BlockStack>
    </SectionCard>
  );
}
