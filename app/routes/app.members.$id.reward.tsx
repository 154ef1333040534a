// Issuing a reward to one member (issue 10): POST a discount code or a gift
// with its reason. Bad input and a limit reached both answer 422 with what to
// fix (nothing recorded, nothing asked of Shopify); a code Shopify refused is
// kept as failed with Shopify's words (422 too: nothing was issued). The member
// page places IssueReward (app/components/IssueReward.tsx), which posts here.
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { parseRewardForm } from "~/domain/rewards";
import { staffMember } from "~/models/customer-file.server";
import { getRewardContext, rewardableCustomer } from "~/models/rewards.server";
import { createAdminClient } from "~/services/admin-client.server";
import { systemClock } from "~/services/clock.server";
import { issueReward, rewardView } from "~/services/rewards.server";
import { API_VERSION, authenticate } from "~/shopify.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  const id = params.id ?? "";
  if (!(await rewardableCustomer(session.shop, id))) throw new Response("Not found", { status: 404 });
  const context = await getRewardContext(session.shop);
  const parsed = parseRewardForm(Object.fromEntries(await request.formData()), context.settings, context.currencyCode);
  if (!parsed.ok) return json({ ok: false as const, errors: parsed.errors, limit: null, reward: null }, { status: 422 });
  const staff = await staffMember(session.shop, sessionToken?.sub);
  if (!staff.id) return json({ ok: false as const, errors: null, limit: { key: "rewards.limit.notAllowed" as const, vars: {} }, reward: null }, { status: 403 });
  const admin = createAdminClient({ shop: session.shop, accessToken: session.accessToken!, apiVersion: API_VERSION });
  const result = await issueReward(session.shop, id, { id: staff.id, name: staff.name }, parsed.request, { admin, now: systemClock.now() });
  if (result.ok) return json({ ok: true as const, errors: null, limit: null, reward: rewardView(result.reward) });
  if (result.reason === "invalid") return json({ ok: false as const, errors: result.errors, limit: null, reward: null }, { status: 422 });
  if (result.reason === "limit") return json({ ok: false as const, errors: null, limit: result.message, reward: null }, { status: 422 });
  return json({ ok: false as const, errors: null, limit: null, reward: rewardView(result.reward) }, { status: 422 });
}
