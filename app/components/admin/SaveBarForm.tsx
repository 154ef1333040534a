// SaveBarForm: a form that shows App Bridge's save bar while it has unsaved
// changes (https://shopify.dev/docs/api/app-bridge-library/react-components/save-bar)
// and asks before the merchant leaves it (shopify.saveBar.leaveConfirmation()).
//
//   const [draft, setDraft] = useState(saved);
//   const dirty = JSON.stringify(draft) !== JSON.stringify(saved);    // or isDirty(draft, saved)
//   <SaveBarForm
//     id="tier-program"                 // unique on the page
//     dirty={dirty}                     // the save bar shows while true
//     saving={fetcher.state !== "idle"} // Save waits while a save is under way
//     onSave={() => fetcher.submit(...)} // Save in the save bar, and Enter in a field
//     onDiscard={() => setDraft(saved)}  // Discard in the save bar
//   >
//     ...fields...
//   </SaveBarForm>
//
//   // a page with its own <fetcher.Form>: the bar and the guard only
//   <PageSaveBar id="care-settings" dirty={dirty} saving={...} onSave={() => fetcher.submit(formRef.current)} onDiscard={reset} />
//
// The page keeps its own state (saved values from the loader, the draft being
// edited); the save bar's buttons carry Shopify admin's own words ("Save",
// "Discard"). While dirty, a navigation inside the app (a link, the admin's
// nav) waits for the merchant to confirm leaving; leaving discards the draft.
import { useBlocker } from "@remix-run/react";
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, type FormEvent, type ReactNode } from "react";

export interface SaveBarFormProps {
  id: string;
  dirty: boolean;
  saving?: boolean;
  onSave(): void;
  onDiscard(): void;
  children: ReactNode;
}

/** Whether a draft differs from what was saved (plain data: strings, numbers, arrays, objects). */
export function isDirty(draft: unknown, saved: unknown): boolean {
  return JSON.stringify(draft) !== JSON.stringify(saved);
}

export function SaveBarForm({ id, dirty, saving = false, onSave, onDiscard, children }: SaveBarFormProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (dirty && !saving) onSave();
  };
  return (
    <>
      <PageSaveBar id={id} dirty={dirty} saving={saving} onSave={onSave} onDiscard={onDiscard} />
      <form onSubmit={submit} onReset={(event) => (event.preventDefault(), onDiscard())}>
        {children}
      </form>
    </>
  );
}

/**
 * The save bar and the leave guard without a form of their own, for a page
 * whose form is already there (a Remix `<fetcher.Form>`: forms do not nest).
 * Same props as SaveBarForm, without children.
 */
export function PageSaveBar({ id, dirty, saving = false, onSave, onDiscard }: Omit<SaveBarFormProps, "children">) {
  useLeaveGuard(dirty);
  return (
    // type="button": the save bar's buttons only call the page (inside a form, a submit would save on Discard).
    <SaveBar id={id} open={dirty}>
      <button type="button" variant="primary" onClick={onSave} disabled={saving} loading={saving ? "" : undefined}></button>
      <button type="button" onClick={onDiscard} disabled={saving}></button>
    </SaveBar>
  );
}

/**
 * While `dirty`, a navigation to another page of the app waits for App
 * Bridge's leave confirmation; staying keeps the page as it is.
 */
export function useLeaveGuard(dirty: boolean) {
  const shopify = useAppBridge();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    let current = true;
    void shopify.saveBar.leaveConfirmation().then(() => {
      if (current && blocker.state === "blocked") blocker.proceed();
    });
    return () => {
      current = false;
    };
  }, [blocker, shopify]);
}
