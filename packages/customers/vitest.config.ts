import { defineConfig } from "vitest/config";

// Workspace packages resolve through their package.json `exports` to their built dist/, the view a
// consumer gets; `turbo run test` builds them first (`^build`).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
