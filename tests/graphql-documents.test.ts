// Every GraphQL document the app sends is checked against Shopify's Admin
// schema for the pinned version (2026-10): a query Shopify would reject fails here.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { loadAdminSchema, validateDocument } from "../tools/shopify-schema";

interface FoundDocument {
  file: string;
  name: string;
  source: string | null; // null when it has interpolations
}

function listSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSources(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.includes(".test.") ? [full] : [];
  });
}

/** Template literals whose text starts with `#graphql`, with the const they are assigned to. */
export function findDocuments(files: string[]): FoundDocument[] {
  const found: FoundDocument[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (node: ts.Node) => {
      if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
        const head = ts.isNoSubstitutionTemplateLiteral(node) ? node.text : node.head.text;
        if (head.trimStart().startsWith("#graphql")) {
          const owner = ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : "(inline)";
          found.push({ file: path.relative(process.cwd(), file), name: owner, source: ts.isNoSubstitutionTemplateLiteral(node) ? node.text : null });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

const schema = loadAdminSchema();
const documents = findDocuments(listSources(path.resolve("app")));

describe("GraphQL documents in app/", () => {
  it("are found (the check cannot pass vacuously)", () => {
    expect(documents.map((d) => d.name)).toContain("SHOP_SETTINGS_QUERY");
  });

  it.each(documents.map((d) => [`${d.file} ${d.name}`, d] as const))("%s is static and valid against Admin 2026-10", (_label, document) => {
    expect(document.source, "documents must be static: no ${} interpolation (pass variables instead)").not.toBeNull();
    expect(validateDocument(schema, document.source!)).toEqual([]);
  });
});

describe("the validator", () => {
  it("reports a misspelt field with its position", () => {
    const errors = validateDocument(schema, "#graphql\nquery { shop { nmae } }");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^2:16 Cannot query field "nmae" on type "Shop"/);
  });

  it("flags interpolated documents", () => {
    const dir = fs.mkdtempSync(path.resolve("tmp/gql-"));
    const file = path.join(dir, "bad.ts");
    fs.writeFileSync(file, "const field = 'name';\nexport const BAD = `#graphql\n query { shop { ${field} } }`;\n");
    expect(findDocuments([file])).toEqual([{ file: path.relative(process.cwd(), file), name: "BAD", source: null }]);
    fs.rmSync(dir, { recursive: true });
  });
});
