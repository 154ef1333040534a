// ConfirmModal: asks before a destructive action, in App Bridge's modal (the
// admin draws it over the page; https://shopify.dev/docs/api/app-bridge-library/react-components/modal).
//
//   const [asking, setAsking] = useState(false);
//   <Button tone="critical" onClick={() => setAsking(true)}>{t("tiers.remove")}</Button>
//   <ConfirmModal
//     id="remove-tier"                      // unique on the page
//     open={asking}
//     title={t("tiers.remove.title", { name })}
//     body={t("tiers.remove.body")}        // what happens, in the merchant's words (string or nodes)
//     confirmLabel={t("tiers.remove.confirm")}
//     cancelLabel={t("common.cancel")}
//     destructive                          // the confirm button is critical (default true)
//     onConfirm={() => { setAsking(false); submit(...); }}
//     onCancel={() => setAsking(false)}    // also Escape and the modal's close button
//   />
//
// The confirm button is the title bar's primary button (tone="critical" when
// destructive), the cancel button its secondary one, as App Bridge lays out a
// modal's actions.
import { Modal, TitleBar } from "@shopify/app-bridge-react";
import { Box, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export interface ConfirmModalProps {
  id: string;
  open: boolean;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  destructive?: boolean;
  /** The confirm button waits (a submission is under way). */
  loading?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmModal({ id, open, title, body, confirmLabel, cancelLabel, destructive = true, loading = false, onConfirm, onCancel }: ConfirmModalProps) {
  return (
    <Modal id={id} open={open} onHide={onCancel}>
      <Box padding="400">{typeof body === "string" ? <Text as="p">{body}</Text> : body}</Box>
      <TitleBar title={title}>
        <button type="button" variant="primary" tone={destructive ? "critical" : undefined} onClick={onConfirm} disabled={loading}>
          {confirmLabel}
        </button>
        <button type="button" onClick={onCancel}>
          {cancelLabel}
        </button>
      </TitleBar>
    </Modal>
  );
}
