// Who is using the admin (issue 20): when a staff member opens the app, Shopify
// admin loads it with a session token (`id_token`) naming them only by user id
// (`sub`). Exchanging that token for an ONLINE access token returns
// `associated_user` with their name, email, locale and whether they own the
// account (shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange;
// online tokens: .../access-tokens/online-access-tokens). The app records the
// user and drops the token: it acts through its offline token.
//
// At most once per staff member per day (and when the app has never seen
// them), not on every page: the shell's loader calls this on the document
// request only, skips anyone recorded in the last day, shares one exchange
// between concurrent requests, and waits for Shopify at most `waitMs` so a
// slow answer never holds the page (the record then lands in the background).
import { RequestedTokenType } from "@shopify/shopify-api";
import { recordStaffMember, staffMemberNeedsRefresh, type StaffIdentity } from "~/models/staff-members.server";
import { tokenExchange } from "~/shopify.server";

export type ExchangeForIdentity = (args: { shop: string; sessionToken: string }) => Promise<StaffIdentity | null>;

/** Token exchange for an online token; its associated user, or null when Shopify named none. */
export const exchangeForIdentity: ExchangeForIdentity = async ({ shop, sessionToken }) => {
  const { session } = await tokenExchange({ shop, sessionToken, requestedTokenType: RequestedTokenType.OnlineAccessToken });
  return session.onlineAccessInfo?.associated_user ?? null;
};

/** After a failed exchange, how long before the next visit tries again (not every page of a broken setup). */
export const RETRY_AFTER_FAILURE_MS = 60 * 60 * 1000;

const inFlight = new Map<string, Promise<void>>();
const failedAt = new Map<string, number>();

/** The raw session token of an embedded request: `id_token` on the document request, the bearer token on fetches. */
export function rawSessionToken(request: Request): string | null {
  const fromUrl = new URL(request.url).searchParams.get("id_token");
  if (fromUrl) return fromUrl;
  const header = request.headers.get("Authorization");
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() || null : null;
}

export interface RememberStaffArgs {
  shop: string;
  /** The session token's `sub`, already verified by authenticate.admin. */
  userId: string | null | undefined;
  sessionToken: string | null;
  now: Date;
  /** Longest the caller waits for Shopify's answer (the exchange carries on after). */
  waitMs?: number;
  exchange?: ExchangeForIdentity;
}

/**
 * Makes sure the app knows the staff member's name: asks Shopify when the app
 * has never recorded them or recorded them over a day ago. Never throws: a
 * failed exchange leaves the id shown as "Staff member 1234" and is logged.
 */
export async function rememberStaffMember({ shop, userId, sessionToken, now, waitMs = 1500, exchange = exchangeForIdentity }: RememberStaffArgs): Promise<void> {
  if (!userId || !/^\d+$/.test(userId) || !sessionToken) return;
  const key = `${shop}\n${userId}`;
  const failed = failedAt.get(key);
  if (failed !== undefined && now.getTime() - failed < RETRY_AFTER_FAILURE_MS) return;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = (async () => {
      try {
        if (!(await staffMemberNeedsRefresh(shop, userId, now))) return;
        const identity = await exchange({ shop, sessionToken });
        // Shopify names the token's own user; anything else is not this visitor.
        if (!identity || String(identity.id) !== userId) throw new Error(`the online token named ${identity ? `user ${identity.id}` : "no user"}, not ${userId}`);
        await recordStaffMember(shop, identity, now);
        failedAt.delete(key);
      } catch (error) {
        failedAt.set(key, now.getTime());
        console.warn(`[staff] could not learn the name of staff member ${userId} of ${shop}: ${String((error as Error).message).split("\n")[0]}`);
      } finally {
        inFlight.delete(key);
      }
    })();
    inFlight.set(key, pending);
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([pending, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
}

/** Test-only: forget failures and exchanges under way. */
export function resetStaffIdentityMemory(): void {
  inFlight.clear();
  failedAt.clear();
}
