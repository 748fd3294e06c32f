import { defineConfig } from "tsup";

export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  dts: false,
  clean: true,
  target: "node20.19",
  // Every `dependencies` entry (the facade, which brings the generated clients, the runtime,
  // commander, cli-progress) stays external (tsup's default): users get one copy of the facade, shared with
  // their own code, and `changeset version` bumps the CLI when the facade changes.
  platform: "node",
  banner: { js: "#!/usr/bin/env node" },
});
