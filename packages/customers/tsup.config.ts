import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

// One entry per subpath of package.json's `exports` (generated from the provider list): index
// (everything, by provider name), core, and one per provider (only what is imported).
const { exports } = JSON.parse(readFileSync("package.json", "utf8")) as {
  exports: Record<string, unknown>;
};
const entries = Object.keys(exports)
  .filter((subpath) => subpath !== "./package.json")
  .map((subpath) => (subpath === "." ? "src/index.ts" : `src/${subpath.slice(2)}.ts`));

export default defineConfig({
  entry: entries,
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "node20.19",
});
