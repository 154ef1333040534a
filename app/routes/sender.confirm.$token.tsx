/**
 * The public page a sender confirmation link opens (issue 18;
 * app/services/sender-verification.server.ts). No login: the signed token
 * names the shop and the address. GET only shows the question with a button,
 * since mail scanners and link previews fetch every link (a scanner at the
 * address's own domain must not confirm it for whoever typed it); POST
 * confirms. Refusals are 4xx and change nothing: 400 for a link that is not
 * ours (edited, cut short), 410 for one that expired, was used or was
 * replaced. In the shop's language; framed by nobody; the token stays out of
 * caches, search engines and Referer headers.
 */
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AppProvider, BlockStack, Button, Card, Page, Text } from "@shopify/polaris";
import { SENDER_CONFIRMATION_TTL_MS } from "~/domain/care/sender";
import { resolveLocale, translate, type Locale, type MessageKey } from "~/i18n";
import { polarisTranslations } from "~/i18n/polaris";
import { systemClock } from "~/services/clock.server";
import { confirmSender, readSenderLink, type SenderLink } from "~/services/sender-verification.server";

const HEADERS = {
  "Cache-Control": "no-store",
  "X-Robots-Tag": "noindex",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
};

type PageData = { state: "invalid"; locale: Locale } | { state: "valid" | "expired" | "used" | "confirmed"; locale: Locale; shopName: string; email: string };

const statusOf = (state: PageData["state"]) => (state === "invalid" ? 400 : state === "expired" || state === "used" ? 410 : 200);

function pageData(link: SenderLink, request: Request): PageData {
  return link.state === "invalid" ? { state: "invalid", locale: resolveLocale(request) } : { state: link.state, locale: link.locale, shopName: link.shopName, email: link.email };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const data = pageData(await readSenderLink(params.token ?? "", systemClock.now()), request);
  return json(data, { status: statusOf(data.state), headers: HEADERS });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const result = await confirmSender(params.token ?? "", systemClock.now());
  const data: PageData = result.confirmed ? { state: "confirmed", locale: result.locale, shopName: result.shopName, email: result.email } : pageData(result, request);
  return json(data, { status: statusOf(data.state), headers: HEADERS });
}

// The document carries the same headers as the data (Remix takes a page's headers from here).
export const headers: HeadersFunction = () => HEADERS;

export const meta: MetaFunction = () => [{ title: "MemberCare" }, { name: "robots", content: "noindex" }];

const TEXT: Record<Exclude<PageData["state"], "valid">, [MessageKey, MessageKey]> = {
  confirmed: ["care.senderConfirm.done.title", "care.senderConfirm.done.body"],
  invalid: ["care.senderConfirm.invalid.title", "care.senderConfirm.invalid.body"],
  expired: ["care.senderConfirm.expired.title", "care.senderConfirm.expired.body"],
  used: ["care.senderConfirm.used.title", "care.senderConfirm.used.body"],
};

export default function SenderConfirm() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const navigation = useNavigation();
  const data = (acted ?? loaded) as PageData;
  const vars = { shopName: "shopName" in data ? data.shopName : "", email: "email" in data ? data.email : "", hours: String(SENDER_CONFIRMATION_TTL_MS / 3_600_000) };
  const t = (key: MessageKey) => translate(data.locale, key, vars);
  const content =
    data.state === "valid" ? (
      <Form method="post">
        <BlockStack gap="300">
          <Text variant="headingLg" as="h1">
            {t("care.senderConfirm.question")}
          </Text>
          <Text as="p">{t("care.senderConfirm.explain")}</Text>
          <div>
            <Button submit variant="primary" loading={navigation.state === "submitting"}>
              {t("care.senderConfirm.confirm")}
            </Button>
          </div>
        </BlockStack>
      </Form>
    ) : (
      <BlockStack gap="300">
        <Text variant="headingLg" as="h1">
          {t(TEXT[data.state][0])}
        </Text>
        <Text as="p">{t(TEXT[data.state][1])}</Text>
      </BlockStack>
    );
  return (
    <AppProvider i18n={polarisTranslations[data.locale]}>
      <div lang={data.locale} id="sender-confirm">
        <Page narrowWidth>
          <Card>{content}</Card>
        </Page>
      </div>
    </AppProvider>
  );
}
