// `npm run screenshots:docs`: after the browser suite has run (the npm script
// runs it first), copies the screenshots the README shows from
// artifacts/screenshots/ (git-ignored) to docs/screenshots/ (committed).
import fs from "node:fs";
import path from "node:path";

const SHOWN = [
  { from: "en-tiers-preview-view.png", to: "tiers-preview-en.png" },
  { from: "zh-CN-members.png", to: "members-zh-CN.png" },
  { from: "storefront-en.png", to: "storefront-en.png" },
  { from: "storefront-zh-CN.png", to: "storefront-zh-CN.png" },
];

const artifacts = path.resolve("artifacts/screenshots");
const docs = path.resolve("docs/screenshots");
fs.mkdirSync(docs, { recursive: true });
for (const { from, to } of SHOWN) {
  const source = path.join(artifacts, from);
  if (!fs.existsSync(source)) {
    console.error(`${path.relative(process.cwd(), source)} is missing: run the browser suite first (npx vitest run tests/browser).`);
    process.exit(1);
  }
  fs.copyFileSync(source, path.join(docs, to));
  console.log(`docs/screenshots/${to} ← artifacts/screenshots/${from}`);
}
