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
  | { channel: typeof CHANNEL; type: "toast"; message: string; isError: boolean; duration: number }
  | { channel: typeof CHANNEL; type: "loading"; on: boolean }
  | { channel: typeof CHANNEL; type: "title"; title: string }
  /** No nav link for a requested page: load it as a new document, as admin does on first load. */
  | { channel: typeof CHANNEL; type: "load"; path: string }
  | { channel: typeof CHANNEL; type: "redirect"; url: string };

/** From the admin frame to the app. */
export type FrameMessage =
  | { channel: typeof CHANNEL; type: "idToken"; id: number; token: string | null; error?: string }
  | { channel: typeof CHANNEL; type: "navigate"; href: string };

/** A message as its sender writes it; the channel is added on the way out. */
export type Unsent<T> = T extends unknown ? Omit<T, "channel"> : never;

/** The admin frame page's settings, embedded in its HTML. */
export interface ShellConfig {
  appOrigin: string;
  locale: "en" | "zh-CN";
}

/** The query parameters Shopify admin adds to the app's URL, which the admin's own URL does not carry. */
export const EMBEDDING_PARAMS = ["embedded", "shop", "host", "id_token", "locale", "hmac", "timestamp", "session"];
