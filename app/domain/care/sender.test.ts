import { signToken } from "../signed-token";
import { afterSenderSaved, cleanDisplayName, nextConfirmationAllowedAt, NO_SENDER_VERIFICATION, SENDER_CONFIRMATION_SPACING_MS, SENDER_CONFIRMATIONS_PER_DAY, senderConfirmationKeys, signSenderToken, verifySenderToken } from "./sender";

const key = senderConfirmationKeys("app-secret");
const now = new Date("2026-12-07T06:00:00Z");
const subject = { shop: "tea.myshopify.com", email: "security@paypal.com", nonce: "n0nce", expiresAt: new Date(now.getTime() + 3_600_000) };
const part = (token: string, index: number) => token.split(".")[index]!;

describe("sender confirmation tokens", () => {
  it("reads back what was signed, until it expires", () => {
    const token = signSenderToken(subject, key);
    expect(verifySenderToken(token, key, now)).toEqual({ ok: true, subject });
    expect(verifySenderToken(token, key, subject.expiresAt)).toEqual({ ok: false, reason: "expired", shop: subject.shop, email: subject.email });
  });

  it("refuses a token edited anywhere, cut short, or signed with another key", () => {
    const token = signSenderToken(subject, key);
    const expires = String(subject.expiresAt.getTime() / 1000);
    const payload = (fields: string[]) => Buffer.from(fields.join("\n")).toString("base64url");
    const otherAddress = `${part(token, 0)}.${payload([expires, subject.shop, "ceo@paypal.com", subject.nonce])}.${part(token, 2)}`;
    const later = `${part(token, 0)}.${payload([String(Number(expires) + 86_400), subject.shop, subject.email, subject.nonce])}.${part(token, 2)}`;
    for (const bad of [otherAddress, later, `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, token.slice(0, -5), `${token}x`, part(token, 1), ""]) {
      expect(verifySenderToken(bad, key, now)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(verifySenderToken(token, senderConfirmationKeys("another-secret"), now)).toEqual({ ok: false, reason: "invalid" });
    // The key is derived for this purpose: not the app secret itself.
    expect(key.current.secret.equals(Buffer.from("app-secret"))).toBe(false);
  });

  it("never passes a token of another purpose signed with the same key as a confirmation", () => {
    const other = signToken("membercare:unsubscribe:v2", [subject.shop, subject.email, subject.nonce], key, subject.expiresAt);
    expect(verifySenderToken(other, key, now)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("what saving an address does to its confirmation", () => {
  const confirmed = { confirmedEmail: "care@tea.example", confirmedAt: now, pendingEmail: null, pendingSentAt: null };

  it("a new address needs a link and drops the earlier confirmation", () => {
    expect(afterSenderSaved(confirmed, "security@paypal.com")).toEqual({ next: { confirmedEmail: null, confirmedAt: null, pendingEmail: "security@paypal.com", pendingSentAt: null }, needsLink: true, changed: true });
  });

  it("the confirmed address saved again (any case) stays confirmed, and a link for another one dies", () => {
    expect(afterSenderSaved(confirmed, "Care@Tea.example")).toEqual({ next: confirmed, needsLink: false, changed: false });
    const waiting = { ...confirmed, pendingEmail: "new@tea.example", pendingSentAt: now };
    expect(afterSenderSaved(waiting, "care@tea.example")).toEqual({ next: confirmed, needsLink: false, changed: true });
  });

  it("the waiting address saved again sends no second mail unless the first never went", () => {
    const waiting = { ...NO_SENDER_VERIFICATION, pendingEmail: "new@tea.example", pendingSentAt: now };
    expect(afterSenderSaved(waiting, "new@tea.example")).toMatchObject({ needsLink: false, changed: false });
    expect(afterSenderSaved({ ...waiting, pendingSentAt: null }, "new@tea.example")).toMatchObject({ needsLink: true });
  });

  it("going back to an address confirmed before needs a new link", () => {
    const { next } = afterSenderSaved(confirmed, "other@tea.example");
    expect(afterSenderSaved(next, "care@tea.example")).toMatchObject({ needsLink: true, next: { confirmedEmail: null, pendingEmail: "care@tea.example" } });
  });

  it("no address: nothing confirmed, nothing waiting", () => {
    expect(afterSenderSaved({ ...confirmed, pendingEmail: "x@tea.example", pendingSentAt: now }, null)).toEqual({ next: NO_SENDER_VERIFICATION, needsLink: false, changed: true });
  });
});

describe("how often confirmation mails may go", () => {
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  it("one a minute at most, and a few a day", () => {
    expect(nextConfirmationAllowedAt([], now)).toBeNull();
    expect(nextConfirmationAllowedAt([minutesAgo(0.5)], now)).toEqual(new Date(minutesAgo(0.5).getTime() + SENDER_CONFIRMATION_SPACING_MS));
    const day = Array.from({ length: SENDER_CONFIRMATIONS_PER_DAY }, (_, i) => minutesAgo(60 * (i + 1)));
    const oldest = day.at(-1)!;
    expect(nextConfirmationAllowedAt(day, now)).toEqual(new Date(oldest.getTime() + 86_400_000));
    // Older than a day: they no longer count.
    expect(nextConfirmationAllowedAt(day.map((at) => new Date(at.getTime() - 86_400_000)), now)).toBeNull();
  });
});

describe("display names", () => {
  it("keeps quotes, commas and Chinese, takes out line breaks, controls and angle brackets", () => {
    expect(cleanDisplayName('Mei\'s "Tea", 上海', "x")).toBe('Mei\'s "Tea", 上海');
    expect(cleanDisplayName("Acme\r\nBcc: a@b.example\u2028X\u0000", "x")).toBe("Acme Bcc: a@b.example X");
    expect(cleanDisplayName("  <>  ", "Fallback")).toBe("Fallback");
    expect(cleanDisplayName("x".repeat(300), "f")).toHaveLength(100);
  });
});
