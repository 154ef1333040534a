import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider } from "@shopify/polaris";
import { LoginForm } from "~/components/LoginForm";
import { I18nProvider, resolveLocale } from "~/i18n";
import { polarisTranslations } from "~/i18n/polaris";
import { login } from "~/shopify.server";
import { loginErrorKey } from "./error.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ locale: resolveLocale(request), error: loginErrorKey(await login(request)) });
}

export async function action({ request }: ActionFunctionArgs) {
  return json({ error: loginErrorKey(await login(request)) });
}

export default function Login() {
  const { locale, error } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <AppProvider i18n={polarisTranslations[locale]}>
      <I18nProvider locale={locale}>
        <LoginForm heading="login.heading" error={actionData?.error ?? error} />
      </I18nProvider>
    </AppProvider>
  );
}
