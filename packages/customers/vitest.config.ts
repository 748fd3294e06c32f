import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Workspace packages are resolved to their sources, so tests need no prior build.
const src = (p: string) => fileURLToPath(new URL(`../${p}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@custkit/align": src("align"),
      "@custkit/enfuce": src("enfuce"),
      "@custkit/loanpro": src("loanpro"),
      "@custkit/maia": src("maia"),
      "@custkit/nuweb": src("nuweb"),
      "@custkit/runtime": src("runtime"),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
