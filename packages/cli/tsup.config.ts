import { defineConfig } from "tsup";

export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  dts: false,
  clean: true,
  target: "node20",
  // One file with the facade, clients and runtime inside: faster start-up, and JSON data the facade
  // imports (country names) is inlined instead of loaded through an ESM JSON import.
  noExternal: [/^@custkit\//, /^i18n-iso-countries/, /^libphonenumber-js/, /^openapi-fetch/],
  platform: "node",
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __custkitCreateRequire } from 'node:module'; const require = __custkitCreateRequire(import.meta.url);",
  },
});
