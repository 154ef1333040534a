/** @jsxImportSource preact */
// (The pragma: the app's tests render this component, and the repo's tsconfig compiles JSX for React.)
/**
 * The home tile's modal: today's follow-ups of this store, who to contact and
 * why, and the outcome of each. An outcome must be chosen (there is no
 * default: "reached" recorded by a slip would close a call nobody made).
 */
import type {} from "./elements";
import type { FollowUpOutcome } from "~/domain/follow-ups";
import type { PosFollowUpsView, PosLocationFollowUp } from "~/domain/pos";
import { outcomeWord, reasonLine, type Words } from "../words";

export interface OutcomeDraft {
  outcome: FollowUpOutcome | null;
  note: string;
  /** What the last attempt to record it said. */
  state: "editing" | "saving" | "recorded" | "chooseOutcome" | "gone" | "failed";
}

export const EMPTY_OUTCOME: OutcomeDraft = Object.freeze({ outcome: null, note: "", state: "editing" });

interface Props {
  view: PosFollowUpsView;
  drafts: Readonly<Record<string, OutcomeDraft>>;
  words: Words;
  onChange: (taskId: string, draft: OutcomeDraft) => void;
  onRecord: (task: PosLocationFollowUp) => void;
}

export function FollowUpList({ view, drafts, words, onChange, onRecord }: Props) {
  const { t } = words;
  if (view.tasks.length === 0) return <s-text>{t("home.empty")}</s-text>;
  const hidden = view.total - view.tasks.length;
  return (
    <s-stack direction="block" gap="base">
      {view.tasks.map((task) => {
        const draft = drafts[task.id] ?? EMPTY_OUTCOME;
        const contact = [task.customer.phone, task.customer.email].filter(Boolean).join(" · ");
        return (
          <s-section key={task.id} heading={task.customer.name ?? task.customer.email ?? task.customer.phone ?? `#${task.customer.id}`}>
            <s-stack direction="block" gap="small">
              <s-text type="strong">{reasonLine(task, words)}</s-text>
              {task.overdue ? <s-badge tone="critical">{t("home.overdue")}</s-badge> : null}
              {contact ? <s-text>{contact}</s-text> : null}
              {task.assigneeName ? <s-text color="subdued">{t("home.assigned", { name: task.assigneeName })}</s-text> : null}
              {draft.state === "recorded" ? (
                <s-text tone="success">{t("home.recorded")}</s-text>
              ) : draft.state === "gone" ? (
                <s-text tone="warning">{t("home.gone")}</s-text>
              ) : (
                <s-stack direction="block" gap="small">
                  <s-text>{t("home.outcome")}</s-text>
                  <s-choice-list values={draft.outcome ? [draft.outcome] : []} onChange={(event) => onChange(task.id, { ...draft, outcome: (event.currentTarget.values?.[0] as FollowUpOutcome | undefined) ?? null, state: "editing" })}>
                    {view.outcomes.map((outcome) => (
                      <s-choice key={outcome} value={outcome} selected={draft.outcome === outcome}>
                        {outcomeWord(outcome, t)}
                      </s-choice>
                    ))}
                  </s-choice-list>
                  {draft.state === "chooseOutcome" ? <s-text tone="critical">{t("home.chooseOutcome")}</s-text> : null}
                  {draft.state === "failed" ? <s-text tone="critical">{t("block.unreachable")}</s-text> : null}
                  <s-text-field label={t("home.note")} value={draft.note} onInput={(event) => onChange(task.id, { ...draft, note: event.currentTarget.value ?? "" })} />
                  <s-button variant="primary" loading={draft.state === "saving"} onClick={() => onRecord(task)}>
                    {t("home.record")}
                  </s-button>
                </s-stack>
              )}
            </s-stack>
          </s-section>
        );
      })}
      {hidden > 0 ? <s-text color="subdued">{t("home.more", { count: hidden })}</s-text> : null}
    </s-stack>
  );
}
