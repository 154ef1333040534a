/**
 * What the targets take from Shopify's POS host API (`shopify`), typed by
 * shape so every target's API fits: the backend (fetch with the session
 * token), where the POS is and who is pinned in, and the staff member's
 * language and formatting.
 */
import type { Backend, Counter } from "../api";
import type { Translate } from "../messages";
import { posLanguage, type Words } from "../words";

interface SessionLike {
  currentSession: { locationId: number };
  /** Undefined when nobody is pinned in (shopify.dev/docs/api/pos-ui-extensions/2026-07/target-apis/standard-apis/session-api). */
  staffMember?: { value: { id: number } | undefined };
  getSessionToken(): Promise<string | undefined | null>;
}

interface HostLike {
  session: SessionLike;
  locale: { current: { value: string } };
  i18n: {
    translate: Translate;
    formatCurrency(amount: number, options?: Intl.NumberFormatOptions): string;
    formatDate(date: Date, options?: Intl.DateTimeFormatOptions): string;
  };
}

/** The app's backend: relative paths, which POS resolves against the app's URL. */
export function backendOf(host: HostLike): Backend {
  return {
    baseUrl: "",
    token: async () => (await host.session.getSessionToken()) ?? undefined,
    fetch: (url, init) => fetch(url, init),
  };
}

export function counterOf(host: HostLike): Counter {
  return { locationId: host.session.currentSession.locationId, staffMemberId: host.session.staffMember?.value?.id ?? null };
}

export function wordsOf(host: HostLike): Words {
  return {
    t: host.i18n.translate,
    language: posLanguage(host.locale.current.value),
    format: {
      money: (amount, currency) => host.i18n.formatCurrency(amount, { currency }),
      date: (date) => host.i18n.formatDate(date, { dateStyle: "medium" }),
      // The shop's calendar day as that day, wherever the device's clock is.
      day: (date) => host.i18n.formatDate(new Date(`${date}T12:00:00Z`), { dateStyle: "medium", timeZone: "UTC" }),
    },
  };
}
