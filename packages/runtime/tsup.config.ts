import { defineConfig } from "tsup";

// ESM (.js) and CommonJS (.cjs), each with its own declarations (.d.ts, .d.cts).
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  // Our engines floor; a lower target makes esbuild drop import attributes (`with { type: "json" }`).
  target: "node20.19",
  // openapi-fetch's CommonJS build exports its client as `exports.default`, which esbuild's
  // Node-mode interop (we are "type": "module") turns into the whole exports object in our .cjs:
  // bundle it so `require("@custkit/runtime")` gets the real function. Its types still come from
  // the `openapi-fetch` dependency.
  noExternal: ["openapi-fetch"],
});
