// ListEmptyState: what a list shows when it has nothing in it (Polaris
// EmptyState, https://polaris.shopify.com/components/layout-and-structure/empty-state):
// what the list is for and how it fills, and the action that fills it.
//
//   <ListEmptyState
//     heading={t("gifts.empty.heading")}            // "No gifts yet"
//     body={t("gifts.empty.body")}                  // how the list fills, in the merchant's words
//     action={{ content: t("gifts.add"), onAction: () => ... }}   // or { content, url }
//     secondaryAction={{ content: t("..."), url: "/app/..." }}
//   />
//
// Inside an IndexTable give it as `emptyState={<ListEmptyState ... />}`. The
// illustration is served from the app's own public/ folder (no third-party request).
import { EmptyState, Text } from "@shopify/polaris";

export const EMPTY_STATE_IMAGE = "/empty-state.svg";

interface Action {
  content: string;
  url?: string;
  onAction?(): void;
}

export function ListEmptyState({ heading, body, action, secondaryAction }: { heading: string; body?: string; action?: Action; secondaryAction?: Action }) {
  return (
    <EmptyState heading={heading} image={EMPTY_STATE_IMAGE} action={action} secondaryAction={secondaryAction} imageContained>
      {body ? (
        <Text as="p" tone="subdued">
          {body}
        </Text>
      ) : null}
    </EmptyState>
  );
}
