// useActionToast: a toast once an action has answered, in App Bridge's toast
// (the admin shows it; https://shopify.dev/docs/api/app-bridge-library/apis/toast).
//
//   const fetcher = useFetcher<typeof action>();
//   useActionToast(fetcher.state === "idle" ? fetcher.data : undefined, (data) =>
//     data.ok ? { message: t("tiers.saved") } : { message: t("tiers.saveFailed"), isError: true });
//
//   // or with a form's action data:
//   useActionToast(useActionData<typeof action>(), (data) => (data.ok ? { message: t("settings.saved") } : null));
//
// One toast per submission: Remix hands a new data object for each answer, and
// the hook shows a toast when the object changes (not again on a re-render or a
// revalidation that keeps it). Return null to show nothing for that answer (an
// error already shown beside its field, say).
import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useRef } from "react";

export interface ToastFor {
  message: string;
  isError?: boolean;
  /** Milliseconds (App Bridge's default: 5000). */
  duration?: number;
}

export function useActionToast<T>(data: T | undefined | null, toastFor: (data: T) => ToastFor | null): void {
  const shopify = useAppBridge();
  const shown = useRef<T | undefined | null>(undefined);
  const latest = useRef(toastFor);
  latest.current = toastFor;
  useEffect(() => {
    if (data === undefined || data === null || data === shown.current) return;
    shown.current = data;
    const toast = latest.current(data);
    if (toast) shopify.toast.show(toast.message, { isError: toast.isError ?? false, duration: toast.duration });
  }, [data, shopify]);
}
