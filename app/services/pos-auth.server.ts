// Requests from the POS UI extension (issue 21), authenticated with the POS
// session token through Shopify's own `authenticate.public.pos`
// (@shopify/shopify-app-remix 6.0.1: it verifies the token's signature with
// the app's secret and its expiry, answers a CORS preflight with 204, and 401
// without a valid token). The extension runs on Shopify's origin, so every
// answer carries CORS headers, the refusals the library throws included, or
// the extension could not read them (shopify.dev/docs/api/pos-ui-extensions:
// "App Authentication"; the library's `cors` sets the same headers).
import { getShop } from "~/models/shops.server";
import { authenticate } from "~/shopify.server";
import { env } from "~/env.server";

export interface PosRequest {
  shop: string;
  /** The user signed in to POS on the device (not the staff member pinned in). */
  sub: string | undefined;
  cors: (response: Response) => Response;
}

/** The headers the library's `cors` sets, for answers it never sees (its own refusals). */
function withCors(request: Request, response: Response): Response {
  const origin = request.headers.get("Origin");
  if (!origin || origin === env().SHOPIFY_APP_URL) return response;
  const headers = new Headers(response.headers);
  headers.set("Access-Control-Allow-Origin", "*");
  headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The shop and user of a POS request, or a thrown Response: 204 to a
 * preflight, 401 without a valid token or for a shop that has not installed
 * the app (or uninstalled it).
 */
export async function authenticatePos(request: Request): Promise<PosRequest> {
  let verified;
  try {
    verified = await authenticate.public.pos(request);
  } catch (error) {
    if (error instanceof Response) throw withCors(request, error);
    throw error;
  }
  const shop = new URL(verified.sessionToken.dest).hostname;
  const installed = await getShop(shop);
  if (!installed || installed.uninstalledAt) throw verified.cors(new Response(undefined, { status: 401, statusText: "Unauthorized" }));
  return { shop, sub: verified.sessionToken.sub, cors: verified.cors };
}

/** A POS request's JSON body as an object; null when it is not one. */
export async function posBody(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const body = (await request.json()) as unknown;
    return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
