/** Entry for `pos.home.modal.render`: today's follow-ups of this store, each with its outcome recorded by the staff member pinned in. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/pos.home.modal.render";
import type { PosFollowUpsView, PosLocationFollowUp } from "~/domain/pos";
import { loadFollowUps, recordOutcome, type Backend, type Counter } from "../api";
import type { Loading } from "../components/CustomerBlock";
import { EMPTY_OUTCOME, FollowUpList, type OutcomeDraft } from "../components/FollowUpList";
import { Trouble } from "../components/Trouble";
import type { Words } from "../words";
import { backendOf, counterOf, wordsOf } from "./host";

declare const shopify: Api;

export default async () => {
  render(<HomeModalTarget />, document.body);
};

export function HomeModalTarget() {
  return <FollowUpsModal backend={backendOf(shopify)} counter={counterOf(shopify)} words={wordsOf(shopify)} />;
}

export function FollowUpsModal({ backend, counter, words, initial = { kind: "loading" } }: { backend: Backend; counter: Counter; words: Words; initial?: Loading<PosFollowUpsView> }) {
  const { t } = words;
  const [state, setState] = useState<Loading<PosFollowUpsView>>(initial);
  const [drafts, setDrafts] = useState<Record<string, OutcomeDraft>>({});
  useEffect(() => {
    if (initial.kind === "loading") void loadFollowUps(backend, counter).then(setState);
  }, []);
  const change = (id: string, draft: OutcomeDraft) => setDrafts((all) => ({ ...all, [id]: draft }));
  const record = async (task: PosLocationFollowUp) => {
    const draft = drafts[task.id] ?? EMPTY_OUTCOME;
    if (!draft.outcome) return change(task.id, { ...draft, state: "chooseOutcome" });
    change(task.id, { ...draft, state: "saving" });
    const answer = await recordOutcome(backend, task.id, draft.outcome, draft.note, counter);
    change(task.id, { ...draft, state: answer.kind === "ok" ? "recorded" : answer.kind === "notFound" ? "gone" : "failed" });
  };
  return (
    <s-page heading={t("home.heading")}>
      <s-scroll-box>
        {state.kind === "ok" ? (
          <FollowUpList view={state.value} drafts={drafts} words={words} onChange={change} onRecord={(task) => void record(task)} />
        ) : state.kind === "loading" ? (
          <s-text color="subdued">{t("block.loading")}</s-text>
        ) : (
          <Trouble kind={state.kind === "invalid" || state.kind === "notFound" ? "unreachable" : state.kind} t={t} />
        )}
      </s-scroll-box>
    </s-page>
  );
}
