// Lint: TypeScript's recommended rules plus the project's own few.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "tmp/**", "artifacts/**", "coverage/**", "extensions/**/dist/**", "extensions/**/generated/**", ".cache/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Scripts and the server talk to a terminal.
    files: ["scripts/**", "tools/**", "server.mjs", "tests/**"],
    rules: { "no-console": "off" },
  },
);
