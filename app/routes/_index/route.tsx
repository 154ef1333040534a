import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AppProvider } from "@shopify/polaris";
import { LoginForm } from "~/components/LoginForm";
import { I18nProvider, resolveLocale } from "~/i18n";
import { polarisTranslations } from "~/i18n/polaris";

/** Visits outside the Shopify admin: a word about the app and a way to log in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Shopify opens the app with ?shop=...: send it into the embedded app.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return json({ locale: resolveLocale(request) });
}

export default function Landing() {
  const { locale } = useLoaderData<typeof loader>();
  return (
    <AppProvider i18n={polarisTranslations[locale]}>
      <I18nProvider locale={locale}>
        <LoginForm heading="landing.heading" body="landing.body" error={null} />
      </I18nProvider>
    </AppProvider>
  );
}
