#!/usr/bin/env node
// The PostgreSQL twin of prisma/schema.prisma: the same models, another
// provider, its own generated client (node_modules/@membercare/postgres-client).
// prisma/schema.prisma is the one source; this derives
// prisma/postgres/schema.prisma from it (tests fail when it is out of step).
//
//   node scripts/postgres-schema.mjs          # write it
//   node scripts/postgres-schema.mjs --check  # exit 1 when it differs
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const source = path.join(root, "prisma", "schema.prisma");
export const postgresSchemaPath = path.join(root, "prisma", "postgres", "schema.prisma");

export function postgresSchema(text) {
  const generator = /generator client \{[^}]*\}/;
  const datasource = /datasource db \{[^}]*\}/;
  if (!generator.test(text) || !datasource.test(text)) throw new Error("prisma/schema.prisma: generator client or datasource db not found");
  return (
    "// GENERATED from prisma/schema.prisma by scripts/postgres-schema.mjs: edit that file, then run this script.\n" +
    text
      .replace(generator, `generator client {\n  provider   = "prisma-client-js"\n  engineType = "client"\n  output     = "../../node_modules/@membercare/postgres-client"\n}`)
      .replace(datasource, `datasource db {\n  provider = "postgresql"\n  // Ignored at runtime: the driver adapter (@prisma/adapter-pg) connects.\n  url      = "postgresql://localhost/membercare"\n}`)
  );
}

if (process.argv[1] === import.meta.filename) {
  const wanted = postgresSchema(fs.readFileSync(source, "utf8"));
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(postgresSchemaPath) ? fs.readFileSync(postgresSchemaPath, "utf8") : "";
    if (current !== wanted) {
      console.error("prisma/postgres/schema.prisma is out of step with prisma/schema.prisma: run node scripts/postgres-schema.mjs");
      process.exit(1);
    }
  } else {
    fs.mkdirSync(path.dirname(postgresSchemaPath), { recursive: true });
    fs.writeFileSync(postgresSchemaPath, wanted);
  }
}
