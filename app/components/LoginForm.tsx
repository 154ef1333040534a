import { Form } from "@remix-run/react";
import { Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { MessageKey } from "~/i18n";
import { useT } from "~/i18n";

export function LoginForm({ heading, body, error }: { heading: MessageKey; body?: MessageKey; error: MessageKey | null }) {
  const t = useT();
  const [shop, setShop] = useState("");
  return (
    <Page narrowWidth>
      <Card>
        <Form method="post" action="/auth/login">
          <FormLayout>
            <Text variant="headingMd" as="h1">
              {t(heading)}
            </Text>
            {body ? <Text as="p">{t(body)}</Text> : null}
            <TextField
              type="text"
              name="shop"
              label={t("landing.shopLabel")}
              helpText={t("landing.shopHelp")}
              value={shop}
              onChange={setShop}
              autoComplete="on"
              error={error ? t(error) : undefined}
            />
            <Button submit>{t("landing.submit")}</Button>
          </FormLayout>
        </Form>
      </Card>
    </Page>
  );
}
