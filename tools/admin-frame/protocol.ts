// Messages between the admin frame's page and the App Bridge stand-in inside
// the app's iframe (window.postMessage, each side checking the other's origin),
// as the real App Bridge talks to Shopify admin.

export const CHANNEL = "membercare-admin-frame";

export interface NavItem {
  label: string;
  href: string;
  /** The `rel="home"` entry: the app's own name links there. */
  home: boolean;
}

/** From the app (the stand-in) to the admin frame. */
export type AppMessage =
  | { channel: typeof CHANNEL; type: "idToken"; id: number }
  | { channel: typeof CHANNEL; type: "nav"; items: NavItem[] }
  | { channel: typeof CHANNEL; type: "location"; path: string }
  | { channel: typeof CHANNEL; type: "height"; height: number }
  | { channel: typeof CHANNEL; type: "toast"; id: string; message: string; isError: boolean; duration: number; action: { id: string; label: string } | null }
  | { channel: typeof CHANNEL; type: "loading"; on: boolean }
  | { channel: typeof CHANNEL; type: "title"; title: string }
  /** The page's title bar (the last `<ui-title-bar>` outside a modal), sent again whenever it changes; null when the page has none. */
  | { channel: typeof CHANNEL; type: "titleBar"; titleBar: TitleBarState | null }
  /** The save bar showing now (the last one shown), or null. */
  | { channel: typeof CHANNEL; type: "saveBar"; saveBar: SaveBarState | null }
  /** The modals open now, the last one on top. */
  | { channel: typeof CHANNEL; type: "modals"; modals: ModalState[] }
  | { channel: typeof CHANNEL; type: "toastHide"; id: string }
  /** `shopify.saveBar.leaveConfirmation()` with a save bar showing: the admin asks the merchant. */
  | { channel: typeof CHANNEL; type: "leaveConfirmation"; id: number }
  | { channel: typeof CHANNEL; type: "resourcePicker"; id: number; options: ResourcePickerRequest }
  /** No nav link for a requested page: load it as a new document, as admin does on first load. */
  | { channel: typeof CHANNEL; type: "load"; path: string }
  | { channel: typeof CHANNEL; type: "redirect"; url: string };

/** From the admin frame to the app. */
export type FrameMessage =
  | { channel: typeof CHANNEL; type: "idToken"; id: number; token: string | null; error?: string }
  | { channel: typeof CHANNEL; type: "navigate"; href: string }
  /** The merchant clicked an action the admin shows for the app (title bar, save bar, modal, toast): the stand-in clicks the app's own element. */
  | { channel: typeof CHANNEL; type: "action"; actionId: string }
  /** The merchant closed a modal (its close button or Escape). */
  | { channel: typeof CHANNEL; type: "modalClose"; modalId: string }
  /** The merchant chose to leave a page with unsaved changes: the save bar goes away first. */
  | { channel: typeof CHANNEL; type: "discardForLeave" }
  | { channel: typeof CHANNEL; type: "leaveConfirmation"; id: number; leave: boolean }
  | { channel: typeof CHANNEL; type: "resourcePicker"; id: number; selection: unknown[] | null };

/** A button or link the app put in a title bar, save bar or modal, as the admin shows it. */
export interface ActionState {
  /** The stand-in's handle on the app's element, sent back in an "action" message. */
  id: string;
  label: string;
  /** From the element's `variant`: primary, breadcrumb, or secondary (any other). */
  variant: "primary" | "secondary" | "breadcrumb";
  /** `tone="critical"`: a destructive action. */
  critical: boolean;
  disabled: boolean;
  loading: boolean;
  /** A `<section label>` grouping secondary actions ("More actions"). */
  group: string | null;
}

export interface TitleBarState {
  title: string;
  actions: ActionState[];
}

export interface SaveBarState {
  id: string;
  /** The save (primary) and discard buttons; Shopify's own labels when the app gives none. */
  save: ActionState | null;
  discard: ActionState | null;
  /** A `data-save-bar` form: Save submits it and Discard resets it (no app button). */
  formId: string | null;
}

export interface ModalState {
  id: string;
  title: string;
  /** The text of the modal's content, as read in the app's page. */
  text: string;
  actions: ActionState[];
  variant: string;
}

/** `shopify.resourcePicker` options (App Bridge's ResourcePickerOptions), as sent to the admin. */
export interface ResourcePickerRequest {
  type: "product" | "variant" | "collection";
  action: "add" | "select";
  /** false: one; true: any number; a number: at most that many. */
  multiple: boolean | number;
  query: string;
  filterQuery: string;
  /** Preselected resources' ids (GIDs). */
  selectionIds: string[];
}

/** A message as its sender writes it; the channel is added on the way out. */
export type Unsent<T> = T extends unknown ? Omit<T, "channel"> : never;

/** The admin frame page's settings, embedded in its HTML. */
export interface ShellConfig {
  appOrigin: string;
  locale: "en" | "zh-CN";
  /** The admin's own words for its chrome (save bar, leave dialog, resource picker), in the admin's language. */
  text: Record<
    | "unsavedChanges" | "save" | "discard" | "leaveTitle" | "leaveBody" | "leave" | "stay" | "close" | "cancel" | "add" | "select"
    | "search" | "noResults" | "selected" | "product" | "variant" | "collection" | "moreActions" | "dismiss",
    string
  >;
}

/** The query parameters Shopify admin adds to the app's URL, which the admin's own URL does not carry. */
export const EMBEDDING_PARAMS = ["embedded", "shop", "host", "id_token", "locale", "hmac", "timestamp", "session"];
