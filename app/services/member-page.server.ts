// What the member page shows beyond the tier: the member's classification with
// what it is computed from (so the page can explain each score), their file,
// and their timeline.
import { rfmValues } from "~/domain/intelligence";
import { getCustomerFile } from "~/models/customer-file.server";
import { getIntelligenceContext, memberClassification } from "~/models/intelligence.server";
import { memberTimeline } from "~/models/members.server";
import { factInputs } from "~/models/orders.server";

export async function memberInsight(shop: string, customerShopifyId: string, now: Date) {
  const [classification, context, inputs, file, timeline] = await Promise.all([
    memberClassification(shop, customerShopifyId),
    getIntelligenceContext(shop),
    factInputs(shop, [customerShopifyId]),
    getCustomerFile(shop, customerShopifyId, now),
    memberTimeline(shop, customerShopifyId),
  ]);
  const own = inputs.get(customerShopifyId) ?? [];
  return {
    classification,
    // The window's figures behind the RFM scores, as the nightly run saw them.
    rfm: rfmValues(own, now, context.settings.rfm),
    settings: context.settings,
    file,
    timeline,
  };
}
