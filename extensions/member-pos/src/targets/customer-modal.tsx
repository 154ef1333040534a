/**
 * Entry for `pos.customer-details.action.render`: the customer file, registered
 * or updated in conversation, saved to the app with where (this location) and
 * by whom (the staff member pinned in).
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/pos.customer-details.action.render";
import type { PosCustomerView } from "~/domain/pos";
import { loadCustomer, saveFile, type Backend, type Counter } from "../api";
import type { Loading } from "../components/CustomerBlock";
import { FileForm, draftOf, requestOf, type FormDraft, type FormErrors } from "../components/FileForm";
import { Trouble } from "../components/Trouble";
import type { Words } from "../words";
import { backendOf, counterOf, wordsOf } from "./host";

declare const shopify: Api;

export default async () => {
  render(<CustomerModalTarget />, document.body);
};

export function CustomerModalTarget() {
  return (
    <FileModal
      customerId={shopify.customer.id}
      backend={backendOf(shopify)}
      counter={counterOf(shopify)}
      words={wordsOf(shopify)}
      toast={(message) => shopify.toast.show(message)}
      close={() => shopify.action.closeModal?.()}
    />
  );
}

interface FileModalProps {
  customerId: number | string;
  backend: Backend;
  counter: Counter;
  words: Words;
  toast: (message: string) => void;
  close: () => void;
  /** Tests start from a loaded file; POS loads it. */
  initial?: Loading<PosCustomerView>;
}

export function FileModal({ customerId, backend, counter, words, toast, close, initial = { kind: "loading" } }: FileModalProps) {
  const { t } = words;
  const [state, setState] = useState<Loading<PosCustomerView>>(initial);
  const [draft, setDraft] = useState<FormDraft | null>(initial.kind === "ok" ? draftOf(initial.value.file.values) : null);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (initial.kind !== "loading") return;
    void loadCustomer(backend, customerId).then((answer) => {
      setState(answer);
      if (answer.kind === "ok") setDraft(draftOf(answer.value.file.values));
    });
  }, []);
  const save = async () => {
    if (!draft || busy) return;
    setBusy(true);
    const answer = await saveFile(backend, customerId, requestOf(draft), counter);
    setBusy(false);
    if (answer.kind === "invalid") return setErrors(answer.errors);
    setErrors({});
    if (answer.kind !== "ok") return setState(answer);
    toast(answer.value.changed.length === 0 && !draft.confirmRest ? t("file.unchanged") : t("file.saved", { score: answer.value.score }));
    close();
  };
  return (
    <s-page heading={t("file.heading")}>
      <s-scroll-box>
        {state.kind === "ok" && draft ? (
          <FileForm draft={draft} errors={errors} choices={state.value.choices} t={t} busy={busy} onChange={setDraft} onSave={() => void save()} />
        ) : state.kind === "loading" || state.kind === "ok" ? (
          <s-text color="subdued">{t("block.loading")}</s-text>
        ) : (
          <Trouble kind={state.kind === "invalid" ? "unreachable" : state.kind} t={t} />
        )}
      </s-scroll-box>
    </s-page>
  );
}
