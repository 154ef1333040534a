import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisZh from "@shopify/polaris/locales/zh-CN.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { AppProvider } from "@shopify/polaris";
import { LoginForm } from "~/components/LoginForm";
import { I18nProvider } from "~/i18n";
import { resolveLocale } from "~/i18n/locale.server";
import { login } from "~/shopify.server";
import { loginErrorKey } from "./error.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { locale } = await resolveLocale(request);
  return json({ locale, error: loginErrorKey(await login(request)) });
}

export async function action({ request }: ActionFunctionArgs) {
  return json({ error: loginErrorKey(await login(request)) });
}

export default function Login() {
  const { locale, error } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <AppProvider i18n={locale === "zh-CN" ? polarisZh : polarisEn}>
      <I18nProvider locale={locale}>
        <LoginForm heading="login.heading" error={actionData?.error ?? error} />
      </I18nProvider>
    </AppProvider>
  );
}
