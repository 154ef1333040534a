// Offline access tokens encrypted at rest (issue 18): the Session row holds
// no token anyone could use, the app (its background Admin client) still
// reads it, a changed row opens to nothing rather than to a wrong token, a
// plaintext row from before still works and is sealed when next stored, and
// a key rotation keeps old rows readable until the ops CLI moves them.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import db from "~/db.server";
import { keyRing, type KeyRing } from "~/domain/keyring";
import { EncryptedSessionStorage } from "~/services/session-storage.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { installShop } from "./support/session-token";

let simulator: StoreSimulator;
let unroute: () => void;

beforeAll(async () => {
  simulator = await startStoreSimulator();
  unroute = installShopRouting(simulator.url);
});
afterAll(async () => {
  unroute();
  await simulator.close();
});

/** The row as the database holds it, read with plain SQL (no Prisma model, no session storage in between). */
async function rawRow(id: string): Promise<{ accessToken: string; refreshToken: string | null }> {
  const rows = await db.$queryRaw<Array<{ accessToken: string; refreshToken: string | null }>>`SELECT "accessToken", "refreshToken" FROM "Session" WHERE "id" = ${id}`;
  expect(rows).toHaveLength(1);
  return rows[0]!;
}
const offline = (shop: string, accessToken: string, refreshToken?: string) =>
  new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_customers", accessToken, ...(refreshToken ? { refreshToken, refreshTokenExpires: new Date("2027-06-01T00:00:00Z") } : {}) });
const storageWith = (ring: KeyRing, log: string[] = []) => new EncryptedSessionStorage(new PrismaSessionStorage(db), () => ring, (message) => log.push(message));
const key = (id: string) => ({ id, secret: randomBytes(32) });

it("stores no plaintext token in the Session row, and the app reads the tokens back", async () => {
  const { sessionStorage } = await import("~/shopify.server");
  const shop = "sealed-shop.myshopify.com";
  const accessToken = "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";
  const refreshToken = "shprt_0a1b2c3d4e5f60718293a4b5c6d7e8f9";
  expect(await sessionStorage.storeSession(offline(shop, accessToken, refreshToken))).toBe(true);

  const row = await rawRow(`offline_${shop}`);
  expect(row.accessToken).not.toContain(accessToken);
  expect(row.accessToken).not.toContain(accessToken.slice(6, 20));
  expect(row.refreshToken).not.toContain(refreshToken.slice(6, 20));
  // Tests derive a key from the app secret (no TOKEN_ENCRYPTION_KEYS): its id is "dev".
  expect(row.accessToken).toMatch(/^enc:v1:dev:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
  expect(row.refreshToken).toMatch(/^enc:v1:dev:/);
  const everything = JSON.stringify(await db.session.findUnique({ where: { id: `offline_${shop}` } }), (_k, v) => (typeof v === "bigint" ? String(v) : v));
  expect(everything).not.toContain(accessToken.slice(6));
  expect(everything).not.toContain(refreshToken.slice(6));

  const loaded = await sessionStorage.loadSession(`offline_${shop}`);
  expect(loaded).toMatchObject({ shop, accessToken, refreshToken, scope: "read_customers" });
  expect((await sessionStorage.findSessionsByShop(shop)).map((s) => s.accessToken)).toEqual([accessToken]);
  // Sealed again, the same token reads differently (a fresh nonce each time).
  await sessionStorage.storeSession(offline(shop, accessToken, refreshToken));
  expect((await rawRow(`offline_${shop}`)).accessToken).not.toBe(row.accessToken);
});

it("serves the background Admin client from a sealed session: Shopify gets the real token", async () => {
  const shop = "background-shop.myshopify.com";
  simulator.addShop({ shop, accessToken: "shpat_background_7c2d", name: "Background Teas" });
  await installShop(shop, "shpat_background_7c2d");
  expect((await rawRow(`offline_${shop}`)).accessToken).not.toContain("shpat_background_7c2d");
  const { offlineAdmin } = await import("~/services/offline-admin.server");
  const admin = await offlineAdmin(shop);
  const answer = await admin.request<{ shop: { name: string } }>("query ShopName { shop { name } }");
  // The simulator answers only the shop's own token (401 otherwise).
  expect(answer.data?.shop.name).toBe("Background Teas");
});

it("treats a changed row as no session, loudly: nothing is sent with a wrong token", async () => {
  const { sessionStorage } = await import("~/shopify.server");
  const { offlineAdmin } = await import("~/services/offline-admin.server");
  const shop = "tampered-shop.myshopify.com";
  simulator.addShop({ shop, accessToken: "shpat_tampered_91ab" });
  await installShop(shop, "shpat_tampered_91ab");
  const id = `offline_${shop}`;
  const sealed = (await rawRow(id)).accessToken;
  // One character of the ciphertext changed, as a corrupted backup or an edit by hand would.
  const last = sealed.at(-3)!;
  await db.session.update({ where: { id }, data: { accessToken: `${sealed.slice(0, -3)}${last === "A" ? "B" : "A"}${sealed.slice(-2)}` } });
  const log: string[] = [];
  const ring = (await import("~/services/keys.server")).tokenEncryptionKeys();
  expect(await storageWith(ring, log).loadSession(id)).toBeUndefined();
  expect(log.join("\n")).toMatch(/session offline_tampered-shop\.myshopify\.com of tampered-shop\.myshopify\.com is treated as missing: .*does not decrypt/);
  expect(log.join("\n")).not.toContain("shpat_tampered_91ab");
  expect(await sessionStorage.loadSession(id)).toBeUndefined();
  const before = simulator.requests.filter((r) => r.shop === shop).length;
  await expect(offlineAdmin(shop)).rejects.toThrow(/Could not find a session for shop tampered-shop.myshopify.com/);
  expect(simulator.requests.filter((r) => r.shop === shop)).toHaveLength(before);

  // Another shop's intact sealed token copied into this row does not open here either.
  await installShop("donor-shop.myshopify.com", "shpat_donor_55");
  await db.session.update({ where: { id }, data: { accessToken: (await rawRow("offline_donor-shop.myshopify.com")).accessToken } });
  expect(await sessionStorage.loadSession(id)).toBeUndefined();
  expect((await sessionStorage.loadSession("offline_donor-shop.myshopify.com"))?.accessToken).toBe("shpat_donor_55");
});

it("reads a plaintext token stored before encryption, and seals it when the session is next stored", async () => {
  const { sessionStorage } = await import("~/shopify.server");
  const shop = "legacy-shop.myshopify.com";
  await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_legacy_plain_33", scope: "read_customers" } });
  const loaded = await sessionStorage.loadSession(`offline_${shop}`);
  expect(loaded?.accessToken).toBe("shpat_legacy_plain_33");
  expect((await rawRow(`offline_${shop}`)).accessToken).toBe("shpat_legacy_plain_33"); // reading changes nothing
  await sessionStorage.storeSession(loaded!);
  expect((await rawRow(`offline_${shop}`)).accessToken).toMatch(/^enc:v1:dev:/);
  expect((await sessionStorage.loadSession(`offline_${shop}`))?.accessToken).toBe("shpat_legacy_plain_33");
});

describe("key rotation", () => {
  const cli = path.resolve("scripts/cli.ts");
  const tsx = path.resolve("node_modules/.bin/tsx");
  const b64 = (k: { secret: Buffer }) => k.secret.toString("base64");

  /** `npm run cli -- tokens reencrypt` as an operator runs it, in its own process, with the keys it is given. */
  async function reencrypt(keys: string): Promise<{ code: number; out: string; err: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(tsx, [cli, "tokens", "reencrypt"], { env: { ...process.env, TOKEN_ENCRYPTION_KEYS: keys }, timeout: 60_000 });
      return { code: 0, out: stdout, err: stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof failed.code !== "number") throw error;
      return { code: failed.code, out: failed.stdout ?? "", err: failed.stderr ?? "" };
    }
  }

  it("keeps rows of the old key readable, and the CLI moves every row to the new key, reporting what it cannot open", async () => {
    await db.session.deleteMany({}); // this file's own database: only the rows below
    const oldKey = key("k2026");
    const newKey = key("k2027");
    const lostKey = key("k2025");
    await storageWith(keyRing([oldKey])).storeSession(offline("old-key-shop.myshopify.com", "shpat_old_key_1", "shprt_old_key_1"));
    await db.session.create({ data: { id: "offline_plain-shop.myshopify.com", shop: "plain-shop.myshopify.com", state: "", isOnline: false, accessToken: "shpat_plain_2" } });
    await storageWith(keyRing([lostKey])).storeSession(offline("lost-key-shop.myshopify.com", "shpat_lost_3"));
    const lostRow = await rawRow("offline_lost-key-shop.myshopify.com");

    // Rotated: the new key first, the old one kept. Old rows still open; new stores use the new key.
    const rotated = storageWith(keyRing([newKey, oldKey]));
    expect(await rotated.loadSession("offline_old-key-shop.myshopify.com")).toMatchObject({ accessToken: "shpat_old_key_1", refreshToken: "shprt_old_key_1" });
    await rotated.storeSession(offline("new-shop.myshopify.com", "shpat_new_4"));
    expect((await rawRow("offline_new-shop.myshopify.com")).accessToken).toMatch(/^enc:v1:k2027:/);

    const run = await reencrypt(`k2027:${b64(newKey)}, k2026:${b64(oldKey)}`);
    expect(run.code).toBe(3); // one row does not open: the operator must see it
    expect(JSON.parse(run.out)).toEqual({ currentKey: "k2027", sessions: 4, reencrypted: 2, current: 1, unreadable: ["offline_lost-key-shop.myshopify.com"], changedMeanwhile: 0 });
    expect(run.err).toContain("session offline_lost-key-shop.myshopify.com does not decrypt");
    expect(run.out + run.err).not.toMatch(/shpat_|shprt_/);

    for (const shop of ["old-key-shop", "plain-shop", "new-shop"]) {
      const row = await rawRow(`offline_${shop}.myshopify.com`);
      expect(row.accessToken).toMatch(/^enc:v1:k2027:/);
      expect(row.accessToken).not.toContain("shpat_");
    }
    expect((await rawRow("offline_old-key-shop.myshopify.com")).refreshToken).toMatch(/^enc:v1:k2027:/);
    expect(await rawRow("offline_lost-key-shop.myshopify.com")).toEqual(lostRow); // left as it was, nothing lost

    // The old key can now leave the ring: every moved row opens with the new key alone.
    const newOnly = storageWith(keyRing([newKey]));
    expect((await newOnly.loadSession("offline_old-key-shop.myshopify.com"))?.refreshToken).toBe("shprt_old_key_1");
    expect((await newOnly.loadSession("offline_plain-shop.myshopify.com"))?.accessToken).toBe("shpat_plain_2");
    expect((await newOnly.loadSession("offline_new-shop.myshopify.com"))?.accessToken).toBe("shpat_new_4");
    // Without the key that sealed them, rows open to nothing.
    expect(await storageWith(keyRing([oldKey])).loadSession("offline_new-shop.myshopify.com")).toBeUndefined();

    // Run again once the unreadable row is gone (its shop re-authenticated): nothing left to move.
    await db.session.delete({ where: { id: "offline_lost-key-shop.myshopify.com" } });
    const again = await reencrypt(`k2027:${b64(newKey)}`);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ sessions: 3, reencrypted: 0, current: 3, unreadable: [] });
  }, 180_000); // two CLI processes (tsx start-up, a database connection each) on a shared 2-core machine

  it("refuses a malformed key ring with a clear message before touching anything", async () => {
    const run = await reencrypt("k1:tooshort");
    expect(run.code).not.toBe(0);
    expect(run.err).toMatch(/TOKEN_ENCRYPTION_KEYS: invalid \(key k1 is \d+ bytes, not 32/);
  }, 90_000);
});
