// Issues rewards from a process of its own, for tests/rewards.test.ts to prove
// that app instances issuing at once (each with its own database connections)
// never pass a limit together: ISSUE_COUNT concurrent issues to CUSTOMER of
// SHOP, Shopify being the store simulator at SIMULATOR_URL. Prints how many
// were issued and how many refused, as JSON.
import { createAdminClient } from "~/services/admin-client.server";
import { issueReward } from "~/services/rewards.server";
import { installShopRouting } from "../../tools/simulator/route-shop-domains";

const { SHOP: shop = "", CUSTOMER: customer = "", ACCESS_TOKEN: accessToken = "", SIMULATOR_URL: simulatorUrl = "", ISSUE_NOW: at = "" } = process.env;
installShopRouting(simulatorUrl);
const admin = createAdminClient({ shop, accessToken, apiVersion: "2026-10" });
const results = await Promise.all(
  Array.from({ length: Number(process.env.ISSUE_COUNT ?? 4) }, (_, index) =>
    issueReward(shop, customer, { id: `${process.pid}-${index}`, name: null }, { kind: "code", valueType: "percent", value: 5, expiryDays: 7, reason: "From another instance" }, { admin, now: new Date(at) }),
  ),
);
console.log(JSON.stringify({ issued: results.filter((result) => result.ok).length, refused: results.filter((result) => !result.ok && result.reason === "limit").length }));
process.exit(0);
