// Issue 19: no import cycle in app/. A cycle makes what a module sees at load
// time depend on which module was loaded first (an export read before it is
// defined is undefined), and it ties modules that should stack in layers
// (routes -> services -> models -> domain) into one knot. madge walks the
// imports as the bundler and tsx resolve them: the `~/` alias through
// tsconfig.json, `import type` and `export ... from` included, dynamic
// `import()` included (a cycle hidden behind one is still a cycle).
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import madge from "madge";

const ROOT = path.resolve(import.meta.dirname, "..");

async function graphOf(dir: string, tsConfig: string) {
  return madge(path.join(dir, "app"), { baseDir: path.join(dir, "app"), fileExtensions: ["ts", "tsx"], tsConfig });
}

describe("import cycles", () => {
  it("finds none in app/", async () => {
    const graph = await graphOf(ROOT, path.join(ROOT, "tsconfig.json"));
    // The walk must have resolved the alias: an unresolved `~/` import would hide its edges.
    expect(graph.warnings().skipped.filter((spec) => spec.startsWith("~/"))).toEqual([]);
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(100);
    expect(graph.circular()).toEqual([]);
  }, 180_000);

  it("would catch a cycle through the alias, a type import or a dynamic import", async () => {
    // The same walk over a small tree built to hold one cycle of each kind, so
    // the check above cannot pass because the walk saw no edges.
    const dir = await mkdtemp(path.join(tmpdir(), "import-cycles-"));
    try {
      await mkdir(path.join(dir, "app", "services"), { recursive: true });
      await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "~/*": ["./app/*"] }, moduleResolution: "Bundler", module: "ESNext" } }));
      const files: Record<string, string> = {
        "services/projectors.server.ts": `import { importHistory } from "~/services/backfill.server";\nexport const refresh = () => importHistory;\n`,
        "services/backfill.server.ts": `import { refresh } from "./projectors.server";\nexport const importHistory = () => refresh;\n`,
        "services/privacy.server.ts": `import type { Outcome } from "~/services/events.server";\nexport const screen = (o: Outcome) => o;\n`,
        "services/events.server.ts": `import { screen } from "./privacy.server";\nexport type Outcome = { done: boolean };\nexport const run = screen;\n`,
        "services/background.server.ts": `export async function start() { const { send } = await import("~/services/channels.server"); return send; }\n`,
        "services/channels.server.ts": `import { start } from "./background.server";\nexport const send = start;\n`,
        "services/alone.server.ts": `import { send } from "./channels.server";\nexport const alone = send;\n`,
      };
      for (const [file, source] of Object.entries(files)) await writeFile(path.join(dir, "app", file), source);
      const graph = await graphOf(dir, path.join(dir, "tsconfig.json"));
      const cycles = graph.circular().map((cycle) => [...cycle].sort().join(" + ")).sort();
      expect(cycles).toEqual([
        "services/backfill.server.ts + services/projectors.server.ts",
        "services/background.server.ts + services/channels.server.ts",
        "services/events.server.ts + services/privacy.server.ts",
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
