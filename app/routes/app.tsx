import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NAV_GROUPS } from "~/components/admin/navigation";
import { PageSkeleton, usePageLoading } from "~/components/admin/PageSkeleton";
import { SectionTabs } from "~/components/admin/SectionTabs";
import { boundary } from "@shopify/shopify-app-remix/server";
import { env } from "~/env.server";
import { I18nProvider, resolveLocale, translate } from "~/i18n";
import { polarisTranslations } from "~/i18n/polaris";
import { authenticate } from "~/shopify.server";
import { systemClock } from "~/services/clock.server";
import { rawSessionToken, rememberStaffMember } from "~/services/staff-identity.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  // Opening the admin (the document request) is when the app learns the staff
  // member's name, at most once a day each (services/staff-identity.server.ts).
  await rememberStaffMember({ shop: session.shop, userId: sessionToken?.sub, sessionToken: rawSessionToken(request), now: systemClock.now() });
  return json({ apiKey: env().SHOPIFY_API_KEY, appBridgeUrl: env().APP_BRIDGE_URL, locale: resolveLocale(request) });
}

// Neither value changes within a visit, and the locale is only on the document
// request Shopify admin makes: navigations inside the frame drop its `locale`
// parameter. Each page's own loader authenticates its requests.
export const shouldRevalidate: ShouldRevalidateFunction = () => false;

export default function App() {
  const { apiKey, appBridgeUrl, locale } = useLoaderData<typeof loader>();
  // App Bridge comes from Shopify's CDN unless APP_BRIDGE_URL says otherwise (the
  // local admin frame's stand-in, for the browser tests and the demo).
  // `__APP_BRIDGE_URL` is AppProvider's own (typed, marked internal) way to change
  // the script it renders; the browser suite fails if it stops being honoured.
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={polarisTranslations[locale]} __APP_BRIDGE_URL={appBridgeUrl}>
      <I18nProvider locale={locale}>
        {/* At most seven entries (issue 20), each a group whose other pages are tabs (components/admin/navigation.ts). */}
        <NavMenu>
          {NAV_GROUPS.map((group) => (
            <Link key={group.pages[0].to} to={group.pages[0].to} rel={group.home ? "home" : undefined}>
              {translate(locale, group.label)}
            </Link>
          ))}
        </NavMenu>
        <SectionTabs />
        <PageOrSkeleton />
      </I18nProvider>
    </AppProvider>
  );
}

/** The page, or while another page loads, its skeleton (components/admin/PageSkeleton.tsx). */
function PageOrSkeleton() {
  return usePageLoading() ? <PageSkeleton /> : <Outlet />;
}

// Shopify needs Remix to catch some thrown responses (redirects, re-auth) so
// their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
