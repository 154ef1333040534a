// The POS home tile's list (issue 21, extensions/member-pos): today's
// follow-ups of this location (?locationId=, the POS session's location),
// authenticated with the POS session token.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { systemClock } from "~/services/clock.server";
import { authenticatePos } from "~/services/pos-auth.server";
import { posFollowUps } from "~/services/pos.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, cors } = await authenticatePos(request);
  const { status, answer } = await posFollowUps(shop, new URL(request.url).searchParams.get("locationId"), systemClock.now());
  return cors(json(answer, { status }));
}

// A preflight (OPTIONS) reaches the action: the authentication answers it.
export async function action({ request }: LoaderFunctionArgs) {
  const { cors } = await authenticatePos(request);
  return cors(new Response("Method not allowed", { status: 405, headers: { Allow: "GET" } }));
}
