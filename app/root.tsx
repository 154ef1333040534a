import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { resolveLocale, translate } from "~/i18n";

// The icon and favicon are files in public/ (served at the root by server.mjs,
// the favicon with a short cache since its name never changes).
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "icon", href: "/favicon.ico", sizes: "48x48" },
  { rel: "icon", href: "/icon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ locale: resolveLocale(request) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: translate(data?.locale ?? "en", "app.name") }];

// The locale comes from the document request (Shopify admin's `locale`
// parameter); navigations inside the frame drop that parameter, and re-running
// this loader then would switch the page to the browser's language.
export const shouldRevalidate: ShouldRevalidateFunction = () => false;

export default function App() {
  const { locale } = useLoaderData<typeof loader>();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
