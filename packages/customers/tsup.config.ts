import { defineConfig } from "tsup";

export default defineConfig({
  // index: everything, by provider name; core + one entry per provider: only what is imported.
  entry: [
    "src/index.ts",
    "src/core.ts",
    "src/align.ts",
    "src/enfuce.ts",
    "src/loanpro.ts",
    "src/maia.ts",
    "src/nuweb.ts",
  ],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "node20.19",
});
