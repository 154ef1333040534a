import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisZh from "@shopify/polaris/locales/zh-CN.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { AppProvider } from "@shopify/polaris";
import { LoginForm } from "~/components/LoginForm";
import { I18nProvider } from "~/i18n";
import { resolveLocale } from "~/i18n/locale.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

/** Visits outside the Shopify admin: a word about the app and a way to log in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Shopify opens the app with ?shop=...: send it into the embedded app.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  const { locale } = await resolveLocale(request);
  return json({ locale });
}

export default function Landing() {
  const { locale } = useLoaderData<typeof loader>();
  return (
    <AppProvider i18n={locale === "zh-CN" ? polarisZh : polarisEn}>
      <I18nProvider locale={locale}>
        <LoginForm heading="landing.heading" body="landing.body" error={null} />
      </I18nProvider>
    </AppProvider>
  );
}
