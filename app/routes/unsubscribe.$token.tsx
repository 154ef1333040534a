/**
 * The public unsubscribe page (no login: the signed token in the link names
 * the shop, the customer and the channel). GET only shows a confirmation with
 * a button, since link scanners and previews fetch every link; POST
 * unsubscribes at once, both from the button and from a mailbox provider's
 * RFC 8058 one-click POST (`List-Unsubscribe=One-Click`), which needs no page.
 * A bad token answers 400, an expired one (ours, older than its 400 days) 410
 * Gone in the customer's language; neither changes anything.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AppProvider, BlockStack, Button, Card, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { resolveLocale, translate, type Locale, type MessageKey } from "~/i18n";
import { polarisTranslations } from "~/i18n/polaris";
import { systemClock } from "~/services/clock.server";
import { readUnsubscribeLink, unsubscribe } from "~/services/unsubscribe.server";

// A token is three dot-separated parts (key id, payload, signature), or two
// for a link sent before unsubscribe keys; anything else is refused before any work.
const params = z.object({ token: z.string().regex(/^(?:[A-Za-z0-9_-]{1,32}\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/).max(2100) });

type PageData =
  | { valid: false; expired: false; locale: Locale }
  | { valid: false; expired: true; locale: Locale; shopName: string }
  | { valid: true; locale: Locale; shopName: string; channel: "email" | "sms"; membership: boolean };

async function pageData(request: Request, rawParams: unknown, now: Date): Promise<{ data: PageData; subject: Awaited<ReturnType<typeof readUnsubscribeLink>> }> {
  const fallback = resolveLocale(request);
  const parsed = params.safeParse(rawParams);
  const link = parsed.success ? await readUnsubscribeLink(parsed.data.token, fallback, now) : ({ valid: false, expired: false } as const);
  const data: PageData = link.valid
    ? { valid: true, locale: link.locale, shopName: link.shopName, channel: link.subject.channel, membership: link.subject.topic === "membership" && link.subject.channel === "email" }
    : link.expired
      ? { valid: false, expired: true, locale: link.locale, shopName: link.shopName }
      : { valid: false, expired: false, locale: fallback };
  return { data, subject: link };
}

/** 410 Gone for an expired link (it was real, and will not work again), 400 for anything else refused. */
const statusOf = (data: PageData) => (data.valid ? 200 : data.expired ? 410 : 400);

export async function loader({ request, params: rawParams }: LoaderFunctionArgs) {
  const { data } = await pageData(request, rawParams, systemClock.now());
  return json(data, { status: statusOf(data), headers: { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" } });
}

export async function action({ request, params: rawParams }: ActionFunctionArgs) {
  const now = systemClock.now();
  const { data, subject } = await pageData(request, rawParams, now);
  if (!subject.valid) return json({ done: false }, { status: statusOf(data), headers: { "Cache-Control": "no-store" } });
  // The body does not matter: the button posts `intent=unsubscribe`, a mailbox
  // provider `List-Unsubscribe=One-Click`; both mean the same thing here.
  await unsubscribe(subject.subject, now);
  return json({ done: true, locale: data.locale }, { headers: { "Cache-Control": "no-store" } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: translate(data?.locale ?? "en", "care.unsubscribe.title") }, { name: "robots", content: "noindex" }];

export default function Unsubscribe() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = (key: MessageKey, vars?: Record<string, string>) => translate(data.locale, key, vars);
  let content;
  if (!data.valid && data.expired) {
    content = (
      <BlockStack gap="300">
        <Text variant="headingLg" as="h1">
          {t("care.unsubscribe.expired.title")}
        </Text>
        <Text as="p">{t("care.unsubscribe.expired.body", { shopName: data.shopName })}</Text>
      </BlockStack>
    );
  } else if (!data.valid) {
    content = (
      <BlockStack gap="300">
        <Text variant="headingLg" as="h1">
          {t("care.unsubscribe.invalid.title")}
        </Text>
        <Text as="p">{t("care.unsubscribe.invalid.body")}</Text>
      </BlockStack>
    );
  } else if (result?.done) {
    content = (
      <BlockStack gap="300">
        <Text variant="headingLg" as="h1">
          {t(data.membership ? "care.unsubscribe.done.membership" : data.channel === "sms" ? "care.unsubscribe.done.sms" : "care.unsubscribe.done.email", { shopName: data.shopName })}
        </Text>
        <Text as="p">{t(data.membership ? "care.unsubscribe.done.membershipBody" : "care.unsubscribe.done.body")}</Text>
      </BlockStack>
    );
  } else {
    content = (
      <Form method="post">
        <input type="hidden" name="intent" value="unsubscribe" />
        <BlockStack gap="300">
          <Text variant="headingLg" as="h1">
            {t(data.membership ? "care.unsubscribe.question.membership" : data.channel === "sms" ? "care.unsubscribe.question.sms" : "care.unsubscribe.question.email", { shopName: data.shopName })}
          </Text>
          <Text as="p">{t(data.membership ? "care.unsubscribe.membershipNote" : "care.unsubscribe.transactionalNote")}</Text>
          <div>
            <Button submit variant="primary" loading={navigation.state === "submitting"}>
              {t("care.unsubscribe.confirm")}
            </Button>
          </div>
        </BlockStack>
      </Form>
    );
  }
  return (
    <AppProvider i18n={polarisTranslations[data.locale]}>
      {/* The customer's language may differ from the browser's, which the document's lang follows. */}
      <div lang={data.locale} id="unsubscribe">
        <Page narrowWidth>
          <Card>{content}</Card>
        </Page>
      </div>
    </AppProvider>
  );
}
