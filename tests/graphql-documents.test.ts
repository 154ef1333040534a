// Every GraphQL document the app sends is checked against Shopify's Admin
// schema for the pinned version: a query Shopify would reject fails here.
// A document is a template literal starting with `#graphql`; it must be static
// (values travel as variables), so what is checked is exactly what is sent.
import fs from "node:fs";
import path from "node:path";
import { Kind, parse } from "graphql";
import ts from "typescript";
import { loadAdminSchema, validateDocument } from "../tools/shopify-schema";

interface FoundDocument {
  /** file:line, for the failure message */
  where: string;
  /** The const (or property) holding it. */
  name: string;
  /** null when the literal has `${}` interpolations. */
  source: string | null;
}

function appSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return appSources(full);
    // Tests may hold deliberately broken documents; they are never sent.
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function holderName(node: ts.Node): string {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if ((ts.isVariableDeclaration(at) || ts.isPropertyAssignment(at)) && at.name) return at.name.getText();
    if (ts.isFunctionLike(at) || ts.isSourceFile(at)) break;
  }
  return "(unnamed)";
}

/** The `#graphql` template literals of one TypeScript source. */
function documentsIn(fileName: string, text: string): FoundDocument[] {
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: FoundDocument[] = [];
  const visit = (node: ts.Node) => {
    const isStatic = ts.isNoSubstitutionTemplateLiteral(node);
    if (isStatic || ts.isTemplateExpression(node)) {
      const start = isStatic ? node.text : node.head.text;
      if (start.trimStart().startsWith("#graphql")) {
        const line = sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push({ where: `${fileName}:${line}`, name: holderName(node), source: isStatic ? node.text : null });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** What is wrong with a document, as readable lines; empty when Shopify would accept it. */
function problemsOf(document: FoundDocument): string[] {
  if (document.source === null) return ["has ${} interpolation: documents must be static, pass values as variables"];
  const errors = validateDocument(loadAdminSchema(), document.source);
  if (errors.length > 0) return errors;
  // Sent without an operation name, a document must hold exactly one operation.
  const operations = parse(document.source).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operations.length === 1 ? [] : [`holds ${operations.length} operations; send one per document`];
}

const appDocuments = appSources(path.resolve("app")).flatMap((file) => documentsIn(path.relative(process.cwd(), file), fs.readFileSync(file, "utf8")));

describe("GraphQL documents in app/", () => {
  it("are found, the shop settings query among them (so this check cannot pass on nothing)", () => {
    expect(appDocuments.length).toBeGreaterThanOrEqual(1);
    expect(appDocuments).toContainEqual(expect.objectContaining({ where: expect.stringMatching(/^app\/graphql\/shop\.ts:/), name: "SHOP_SETTINGS_QUERY" }));
  });

  it.each(appDocuments.map((document) => [`${document.where} ${document.name}`, document] as const))("%s is static and valid against Admin 2026-10", (_label, document) => {
    expect(problemsOf(document)).toEqual([]);
  });
});

describe("the check itself", () => {
  it("reports a misspelt field with its position", () => {
    const [document] = documentsIn("sample.ts", "export const SAMPLE_QUERY = `#graphql\n  query Sample { shop { nmae } }\n`;\n");
    expect(document).toMatchObject({ where: "sample.ts:1", name: "SAMPLE_QUERY" });
    expect(problemsOf(document)).toEqual(['2:25 Cannot query field "nmae" on type "Shop". Did you mean "name"?']);
  });

  it("reports an interpolated document", () => {
    const [document] = documentsIn("sample.ts", "const field = 'name';\nexport const DYNAMIC_QUERY = `#graphql\n query { shop { ${field} } }`;\n");
    expect(document).toMatchObject({ where: "sample.ts:2", name: "DYNAMIC_QUERY", source: null });
    expect(problemsOf(document)).toEqual([expect.stringContaining("interpolation")]);
  });

  it("reports a document with two operations", () => {
    const [document] = documentsIn("sample.tsx", "export const TWO = `#graphql\n query A { shop { name } }\n query B { shop { email } }`;\n");
    expect(problemsOf(document)).toEqual(["holds 2 operations; send one per document"]);
  });
});
