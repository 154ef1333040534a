// The store simulator's token exchange (POST /admin/oauth/access_token), as
// shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange
// describes it: an embedded app sends the session token Shopify admin gave it
// (`subject_token`, an HS256 JWT signed with the app's client secret) and gets
// an access token. An ONLINE token comes with `associated_user`, the staff
// member the session token's `sub` names (id, first_name, last_name, email,
// email_verified, account_owner, locale, collaborator), and expires within a
// day (expires_in 86399, .../access-tokens/online-access-tokens). A bad
// request is answered 400 with an OAuth error, as Shopify does.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { SimShop, SimStaffMember } from "./state";

const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";
const OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token";

export const TOKEN_EXCHANGE_PATH = /^\/shops\/([^/]+)\/admin\/oauth\/access_token$/;

export interface TokenExchangeAnswer {
  status: number;
  body: Record<string, unknown>;
}

const refuse = (error: string, description: string): TokenExchangeAnswer => ({ status: 400, body: { error, error_description: description } });

/** The claims of a session token signed with `secret`, or null when the signature or shape is wrong. */
function verifiedClaims(token: string, secret: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/**
 * Answers one token exchange for `shop`. `body` is the request's JSON (the
 * Node library sends JSON; a form-encoded body is read too).
 */
export function answerTokenExchange(shop: SimShop, body: Record<string, unknown>, nowSeconds: number): TokenExchangeAnswer {
  if (body.grant_type !== GRANT_TYPE) return refuse("unsupported_grant_type", "grant_type must be token exchange");
  if (body.client_id !== shop.apiClientId) return refuse("invalid_client", "Client credentials are invalid");
  if (typeof body.client_secret !== "string" || body.client_secret === "") return refuse("invalid_client", "Client credentials are invalid");
  if (body.subject_token_type !== ID_TOKEN_TYPE) return refuse("invalid_request", "subject_token_type must be an id_token");
  if (typeof body.subject_token !== "string") return refuse("invalid_request", "subject_token is missing");
  const claims = verifiedClaims(body.subject_token, body.client_secret);
  if (!claims) return refuse("invalid_subject_token", "Session token could not be verified");
  if (claims.dest !== `https://${shop.domain}` || claims.aud !== shop.apiClientId) return refuse("invalid_subject_token", "Session token is for another shop or app");
  if (typeof claims.exp !== "number" || claims.exp < nowSeconds - 5) return refuse("invalid_subject_token", "Session token has expired");
  const scope = shop.grantedScopes.join(",");
  if (body.requested_token_type === OFFLINE) return { status: 200, body: { access_token: shop.accessToken, scope } };
  if (body.requested_token_type !== ONLINE) return refuse("invalid_request", "requested_token_type is not supported");
  const user = shop.staff.get(String(claims.sub));
  if (!user) return refuse("invalid_subject_token", "The session token's user is not a staff member of this shop");
  return {
    status: 200,
    body: {
      access_token: `shpua_${randomBytes(16).toString("hex")}`,
      scope,
      expires_in: 86399,
      associated_user_scope: scope,
      associated_user: associatedUser(user),
    },
  };
}

function associatedUser(user: SimStaffMember) {
  return {
    id: Number(user.id),
    first_name: user.firstName,
    last_name: user.lastName,
    email: user.email,
    email_verified: true,
    account_owner: user.accountOwner,
    locale: user.locale,
    collaborator: false,
  };
}
