// Care flows (issue 8): every flow of the shop with whether it runs, the
// class of its messages (transactional ones may go without marketing consent
// when the flow allows it; marketing ones never), its channel and holdout
// share, each leading to its editor and journey preview. Membership flows
// (tier changes, downgrade warnings) say what consent each channel needs for
// them (docs/decisions/0011-membership-messages.md).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Card, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { FLOW_CATALOG, flowClasses } from "~/domain/care/flows";
import { CARE_FLOWS } from "~/domain/care/types";
import { useT, type MessageKey } from "~/i18n";
import { getFlowSettings } from "~/models/care-flows.server";
import { authenticate } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const settings = await getFlowSettings(session.shop);
  return json({
    flows: CARE_FLOWS.map((flow) => {
      const { config, invalid } = settings[flow];
      return {
        flow,
        enabled: config.enabled,
        invalid,
        classes: flowClasses(flow),
        membership: FLOW_CATALOG[flow].membership === true,
        channel: config.channel,
        holdoutPercent: config.holdoutPercent,
        allowWithoutConsent: config.allowWithoutConsent,
      };
    }),
  });
}

export default function Flows() {
  const { flows } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <Page>
      <TitleBar title={t("flows.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            <Banner tone="info">
              <BlockStack gap="100">
                <Text as="p">{t("flows.list.help")}</Text>
                <Text as="p">{t("flows.list.membershipHelp")}</Text>
              </BlockStack>
            </Banner>
            <Card padding="0">
              <div id="flows-list">
                <IndexTable
                  resourceName={{ singular: t("flows.resource.singular"), plural: t("flows.resource.plural") }}
                  itemCount={flows.length}
                  selectable={false}
                  headings={[
                    { title: t("flows.column.flow") },
                    { title: t("flows.column.status") },
                    { title: t("flows.column.class") },
                    { title: t("flows.column.channel") },
                    { title: t("flows.column.holdout"), alignment: "end" },
                  ]}
                >
                  {flows.map((row, index) => (
                    <IndexTable.Row id={row.flow} key={row.flow} position={index}>
                      <IndexTable.Cell>
                        <BlockStack gap="050">
                          <Link to={`/app/flows/${row.flow}`}>{t(`results.flow.${row.flow}` as MessageKey)}</Link>
                          {/* IndexTable cells do not wrap: the description would push the holdout column out of the card. */}
                          <div style={{ whiteSpace: "normal", maxWidth: "26rem" }}>
                            <Text as="span" tone="subdued" variant="bodySm">
                              {t(`flows.description.${row.flow}` as MessageKey)}
                            </Text>
                          </div>
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        {row.invalid ? <Badge tone="warning">{t("flows.status.invalid")}</Badge> : row.enabled ? <Badge tone="success">{t("flows.status.on")}</Badge> : <Badge>{t("flows.status.off")}</Badge>}
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <BlockStack gap="050">
                          <InlineStack gap="100">
                            {row.classes.map((messageClass) => (
                              <Badge key={messageClass} tone={messageClass === "marketing" ? "attention" : "info"}>
                                {t(`flows.class.${messageClass}` as MessageKey)}
                              </Badge>
                            ))}
                            {row.membership ? <Badge tone="success">{t("flows.class.membership")}</Badge> : null}
                          </InlineStack>
                          {row.classes.includes("transactional") ? (
                            <div style={{ whiteSpace: "normal", maxWidth: "12rem" }} data-consent={row.flow}>
                              <Text as="span" tone="subdued" variant="bodySm">
                                {row.membership
                                  ? t(row.allowWithoutConsent ? "flows.consent.membershipWaived" : "flows.consent.membershipRequired")
                                  : t(row.allowWithoutConsent ? "flows.consent.waived" : "flows.consent.required")}
                              </Text>
                            </div>
                          ) : null}
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{t(`campaigns.channel.${row.channel}` as MessageKey)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" alignment="end" numeric>
                          {`${row.holdoutPercent}%`}
                        </Text>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              </div>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
