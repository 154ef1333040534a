/** @jsxImportSource preact */
// (The pragma: the app's tests render this component, and the repo's tsconfig compiles JSX for React.)
/**
 * The block on the POS customer details screen: who this customer is to the
 * shop (tier and progress, value class and lifecycle stage, last order), the
 * customer file's completeness with the facts worth knowing now, any open
 * follow-up with its reason, and the one step to register or update the file.
 */
import type {} from "./elements";
import type { PosCustomerView } from "~/domain/pos";
import type { Answer } from "../api";
import { classificationLine, downgradeLine, factLine, fileLine, followUpLine, ordersLine, progressLine, savedByLine, statusLine, type Words } from "../words";
import { Trouble } from "./Trouble";

export type Loading<T> = Answer<T> | { kind: "loading" };

export function CustomerBlock({ state, words, onOpenFile }: { state: Loading<PosCustomerView>; words: Words; onOpenFile: () => void }) {
  const { t } = words;
  if (state.kind !== "ok") {
    return (
      <s-pos-block heading={t("block.heading")}>
        {state.kind === "loading" ? <s-text color="subdued">{t("block.loading")}</s-text> : <Trouble kind={state.kind === "invalid" ? "unreachable" : state.kind} t={t} />}
      </s-pos-block>
    );
  }
  const view = state.value;
  const progress = progressLine(view, words);
  const downgrade = downgradeLine(view, words);
  const classification = classificationLine(view, words);
  const savedBy = savedByLine(view, words);
  return (
    <s-pos-block heading={t("block.heading")}>
      <s-stack direction="block" gap="small">
        <s-text type="strong">{statusLine(view, words)}</s-text>
        {progress ? <s-text>{progress}</s-text> : null}
        {downgrade ? <s-text tone="warning">{downgrade}</s-text> : null}
        {classification ? <s-text>{classification}</s-text> : null}
        <s-text>{ordersLine(view, words)}</s-text>
        <s-text type="strong">{fileLine(view, words)}</s-text>
        {savedBy ? <s-text color="subdued">{savedBy}</s-text> : null}
        {view.file.facts.map((fact) => (
          <s-text key={fact.kind} tone={fact.kind === "birthdaySoon" || fact.kind === "noPromotions" ? "caution" : "auto"}>
            {factLine(fact, t)}
          </s-text>
        ))}
        {view.followUps.map((followUp) => (
          <s-text key={followUp.id} tone="warning">
            {followUpLine(followUp, words)}
          </s-text>
        ))}
        <s-button variant="primary" onClick={onOpenFile}>
          {view.file.registered ? t("block.update") : t("block.register")}
        </s-button>
      </s-stack>
    </s-pos-block>
  );
}
