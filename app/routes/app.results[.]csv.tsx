// The Results page's rows as CSV (issue 9): the same summaries the page shows,
// written by summariesCsv, so the export and the report cannot disagree.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { summariesCsv } from "~/domain/results/report";
import { systemClock } from "~/services/clock.server";
import { resultsOverview } from "~/services/results.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const now = systemClock.now();
  const rows = await resultsOverview(session.shop, now);
  const day = now.toISOString().slice(0, 10);
  return new Response(summariesCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="membercare-results-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
