/**
 * The one check of a shop's domain (issue 18). A shop is named by its
 * permanent `<handle>.myshopify.com` domain: Shopify's X-Shopify-Shop-Domain
 * header and the bodies of app/uninstalled (`myshopify_domain`) and the
 * compliance topics (`shop_domain`) carry it. Anything else (a custom domain,
 * a path such as `../../etc`, `evil.example.com`) is no shop and must never
 * become a tenant. Shopify's own `sanitizeShop` is looser on purpose (it also
 * takes admin URLs, `shopify.com`, `myshopify.io` and `shop.dev` for its
 * internal environments and underscores), so it is not used here.
 *
 * Hostnames are case-insensitive: the domain is lower-cased, so
 * `Tea-House.myshopify.com` and `tea-house.myshopify.com` are one tenant.
 * `customDomains` are the operator's SHOP_CUSTOM_DOMAIN (the same setting the
 * Shopify library takes as `customShopDomains`), whose subdomains count as shops too.
 */
const HANDLE = "[a-z0-9][a-z0-9-]*";
const MAX_LENGTH = 255;

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function parseShopDomain(raw: string | null | undefined, customDomains: readonly string[] = []): string | null {
  if (typeof raw !== "string") return null;
  const domain = raw.toLowerCase();
  if (domain.length === 0 || domain.length > MAX_LENGTH) return null;
  const suffixes = ["myshopify.com", ...customDomains.map((custom) => custom.trim().toLowerCase()).filter(Boolean)];
  const pattern = new RegExp(`^${HANDLE}\\.(${suffixes.map(escape).join("|")})$`);
  return pattern.test(domain) ? domain : null;
}
