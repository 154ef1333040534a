// The app's background work on the Status page (issue 20), in the merchant's
// words: what each job does for the shop, whether it is up to date, running,
// behind or failing, and when it last ran. The rows come from
// app/jobs/status.server.ts (the same reading as `cli jobs status`). The jobs
// serve every shop the app serves, so their error texts may be about another
// shop: operators read them with `cli jobs status`, a merchant never sees them.
import { Badge, BlockStack, DataTable, Text } from "@shopify/polaris";
import { formatDateTime, formatNumber, useLocale, useT, type Locale, type MessageKey, type MessageVars } from "~/i18n";
import { SectionCard } from "./SectionCard";

export interface JobRow {
  name: string;
  kind: "queue" | "periodic";
  due: number;
  running: number;
  failed: number;
  lagMs: number;
  lastRunAt: string | Date | null;
  intervalMs: number | null;
}

export type Health = { tone: "success" | "info" | "attention" | "critical"; key: MessageKey; vars: MessageVars };

/** A queue is behind once its oldest due item has waited a minute; a periodic job once it is a whole interval late. */
export const QUEUE_BEHIND_MS = 60_000;

/** How a job is doing, worst first: failing, behind, running, waiting, up to date. */
export function jobHealth(row: JobRow, locale: Locale): Health {
  if (row.failed > 0) {
    return row.kind === "queue"
      ? { tone: "critical", key: "status.jobs.health.queueFailed", vars: { count: formatNumber(row.failed, locale) } }
      : { tone: "critical", key: "status.jobs.health.periodicFailed", vars: { count: formatNumber(row.failed, locale) } };
  }
  const behindAfter = row.kind === "queue" ? QUEUE_BEHIND_MS : (row.intervalMs ?? 0);
  if (row.lagMs > behindAfter) return { tone: "attention", key: "status.jobs.health.behind", vars: { duration: formatDuration(row.lagMs, locale) } };
  if (row.running > 0) return { tone: "info", key: "status.jobs.health.running", vars: {} };
  if (row.kind === "queue" && row.due > 0) return { tone: "info", key: "status.jobs.health.waiting", vars: { count: formatNumber(row.due, locale) } };
  return { tone: "success", key: "status.jobs.health.upToDate", vars: {} };
}

/** A length of time in its largest whole unit, in the merchant's language ("5 minutes", "5分钟"). */
export function formatDuration(ms: number, locale: Locale): string {
  const [unit, size] = ms >= 7_200_000 ? (["hour", 3_600_000] as const) : ms >= 120_000 ? (["minute", 60_000] as const) : (["second", 1_000] as const);
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long", maximumFractionDigits: 0 }).format(Math.max(0, Math.round(ms / size)));
}

const KNOWN_JOBS = new Set(["inbox", "outbox", "dispatcher", "tier-sweep", "intelligence", "follow-ups", "anomalies", "campaigns", "care-planner", "code-expiry", "inbox-retention"]);

export function JobsStatusCard({ jobs, timeZone }: { jobs: JobRow[]; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const rows = jobs.map((job) => {
    const health = jobHealth(job, locale);
    return [
      <BlockStack key="job" gap="050">
        <Text as="span" fontWeight="semibold">
          {KNOWN_JOBS.has(job.name) ? t(`status.jobs.name.${job.name}` as MessageKey) : job.name}
        </Text>
        <Text as="span" tone="subdued">
          {job.intervalMs ? t("status.jobs.every", { duration: formatDuration(job.intervalMs, locale) }) : t("status.jobs.continuous")}
        </Text>
      </BlockStack>,
      <Badge key="health" tone={health.tone}>
        {t(health.key, health.vars)}
      </Badge>,
      job.lastRunAt ? formatDateTime(job.lastRunAt, locale, timeZone) : t("status.jobs.never"),
    ];
  });
  return (
    <SectionCard title={t("status.jobs.heading")}>
      <Text as="p" tone="subdued">
        {t("status.jobs.help")}
      </Text>
      <DataTable columnContentTypes={["text", "text", "text"]} headings={[t("status.jobs.job"), t("status.jobs.state"), t("status.jobs.lastRun")]} verticalAlign="top" rows={rows} />
    </SectionCard>
  );
}
