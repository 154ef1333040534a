// public/ served at the site's root as a Remix app serves it (server.mjs): the
// app's icon and favicon kept in the repository, the build's hashed assets under
// /build/ cached for a year, the rest for an hour; nothing outside public/.
import fs from "node:fs";
import path from "node:path";
import { startTestApp, type TestApp } from "./support/app";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.close());

it("serves the favicon and the app's icon from public/ with a short cache, byte for byte", async () => {
  for (const [name, type] of [["favicon.ico", "image/x-icon"], ["icon.svg", "image/svg+xml"], ["empty-state.svg", "image/svg+xml"]]) {
    const response = await fetch(`${app.url}/${name}`);
    expect(response.status, name).toBe(200);
    expect(response.headers.get("content-type")).toBe(type);
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(Buffer.from(await response.arrayBuffer()).equals(fs.readFileSync(path.resolve("public", name)))).toBe(true);
  }
  // A real icon: an ICO header with at least one image.
  const ico = fs.readFileSync(path.resolve("public/favicon.ico"));
  expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
  expect(ico.readUInt16LE(4)).toBeGreaterThan(0);
});

it("caches the build's hashed assets for a year and serves nothing outside public/", async () => {
  const asset = fs.readdirSync(path.resolve("public/build")).find((name) => name.endsWith(".js"));
  const script = await fetch(`${app.url}/build/${asset}`);
  expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  for (const pathname of ["/../package.json", "/%2e%2e/package.json", "/build", "/package.json"]) {
    const response = await fetch(`${app.url}${pathname}`);
    expect(response.headers.get("cache-control") ?? "", pathname).not.toContain("max-age=3600");
    expect(await response.text()).not.toContain('"name": "membercare"');
  }
});

it("links the favicon and the icon from every page's document", async () => {
  const html = await (await fetch(`${app.url}/auth/login`)).text();
  expect(html).toMatch(/<link rel="icon" href="\/favicon.ico"/);
  expect(html).toMatch(/<link rel="icon" href="\/icon.svg" type="image\/svg\+xml"/);
});
