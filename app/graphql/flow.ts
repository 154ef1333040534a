// Shopify Flow: the app starts merchants' workflows through its flow_trigger
// extensions (extensions/flow-*). The payload carries the fields the
// extension's TOML declares; Shopify answers userErrors for an unknown handle
// or a payload that does not match.

export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }
`;
