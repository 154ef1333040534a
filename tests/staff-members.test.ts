// Staff by name (issue 20): opening the admin (a document request with the
// session token Shopify admin puts in `id_token`) makes the app exchange that
// token for an online access token, through Shopify's library against the store
// simulator's token exchange, and record the associated user. Names come back
// per shop, written as the person's language writes them, and an id the app
// never saw reads "Staff member 1234" in the admin's language. The exchange is
// not repeated within a day, and a refused exchange loses the page nothing.
import db from "~/db.server";
import { knownStaffNames, recordStaffMember, staffNames } from "~/models/staff-members.server";
import { startStoreSimulator, type StoreSimulator } from "../tools/simulator/admin-api";
import { installShopRouting } from "../tools/simulator/route-shop-domains";
import { startTestApp, type TestApp } from "./support/app";
import { installShop, sessionToken } from "./support/session-token";
import { installTestShop } from "./support/shops";

const shop = "staff-names.myshopify.com";
const other = "staff-names-other.myshopify.com";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
let app: TestApp;
let simulator: StoreSimulator;
let unroute: () => void;
let exchanges = 0;

beforeAll(async () => {
  simulator = await startStoreSimulator();
  unroute = installShopRouting(simulator.url);
  simulator.addShop({
    shop,
    accessToken: `shpat_${shop}`,
    staff: [
      { id: "31", firstName: "Ava", lastName: "Chen", email: "ava@staff.example", accountOwner: true, locale: "en" },
      { id: "32", firstName: "静", lastName: "陈", email: "jing@staff.example", accountOwner: false, locale: "zh-CN" },
    ],
  });
  simulator.addShop({ shop: other, accessToken: `shpat_${other}`, staff: [{ id: "31", firstName: "Olu", lastName: "Bankole", email: "olu@staff.example", accountOwner: true, locale: "en" }] });
  // Count the token exchanges the app makes (the simulator logs GraphQL requests only).
  const routed = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input instanceof Request ? input.url : input).includes("/admin/oauth/access_token")) exchanges += 1;
    return routed(input, init);
  };
  const unrouteSimulator = unroute;
  unroute = () => {
    globalThis.fetch = routed;
    unrouteSimulator();
  };
  for (const domain of [shop, other]) {
    await installShop(domain);
    await installTestShop(domain);
  }
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app?.close();
  unroute?.();
  await simulator?.close();
});

/** The admin's document request for the app, as Shopify admin makes it when a staff member opens it. */
const openAdmin = (domain: string, userId: string) =>
  fetch(`${app.url}/app?${new URLSearchParams({ embedded: "1", shop: domain, host: Buffer.from(`admin.shopify.com/store/${domain.split(".")[0]}`).toString("base64url"), id_token: sessionToken(domain, { userId }), locale: "en" })}`, {
    headers: { "User-Agent": BROWSER },
  });

it("learns a staff member's name from the online token's associated user when they open the admin", async () => {
  expect(await knownStaffNames(shop, ["31"])).toEqual(new Map());
  const page = await openAdmin(shop, "31");
  expect(page.status).toBe(200);
  const row = await db.staffMember.findUnique({ where: { shop_userId: { shop, userId: "31" } } });
  expect(row).toMatchObject({ firstName: "Ava", lastName: "Chen", email: "ava@staff.example", accountOwner: true, locale: "en" });
  expect((await staffNames(shop, ["31"])).get("31")).toBe("Ava Chen");
  // The token itself is not kept: the app acts through its offline token.
  expect(await db.session.count({ where: { shop, isOnline: true } })).toBe(0);
});

it("asks Shopify once a day per staff member, not on every page", async () => {
  const before = exchanges;
  await openAdmin(shop, "32");
  await openAdmin(shop, "32");
  await openAdmin(shop, "31");
  expect(exchanges - before).toBe(1);
  expect((await staffNames(shop, ["32"], "zh-CN")).get("32")).toBe("陈静");

  // A day later the next visit asks again and takes the name Shopify gives now.
  await db.staffMember.update({ where: { shop_userId: { shop, userId: "32" } }, data: { updatedAt: new Date(Date.now() - 25 * 60 * 60 * 1000) } });
  simulator.state.shop(shop).staff.get("32")!.lastName = "林";
  await openAdmin(shop, "32");
  expect(exchanges - before).toBe(2);
  expect((await staffNames(shop, ["32"])).get("32")).toBe("林静");
});

it("keeps each shop's staff to that shop: the same user id is another person elsewhere", async () => {
  await openAdmin(other, "31");
  expect((await staffNames(other, ["31"])).get("31")).toBe("Olu Bankole");
  expect((await staffNames(shop, ["31"])).get("31")).toBe("Ava Chen");
});

it("serves the page when Shopify refuses the exchange, and names the staff member by id in the admin's language", async () => {
  // User 99 is not a staff account of the simulated shop: Shopify answers 400.
  const page = await openAdmin(shop, "99");
  expect(page.status).toBe(200);
  expect(await db.staffMember.count({ where: { shop, userId: "99" } })).toBe(0);
  const names = await staffNames(shop, ["31", "99", null, ""], "en");
  expect([...names.entries()]).toEqual([
    ["31", "Ava Chen"],
    ["99", "Staff member 99"],
  ]);
  expect((await staffNames(shop, ["99"], "zh-CN")).get("99")).toBe("员工 99");
});

it("refuses an identity without a numeric user id, and names someone with only an email by it", async () => {
  await expect(recordStaffMember(shop, { id: "x1" }, new Date())).rejects.toThrow(/user id/);
  await recordStaffMember(shop, { id: 55, first_name: " ", last_name: null, email: "helper@staff.example" }, new Date());
  expect((await staffNames(shop, ["55"])).get("55")).toBe("helper@staff.example");
});
