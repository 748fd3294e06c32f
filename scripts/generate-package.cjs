// A generated package's `generate` script: `node ../../scripts/generate-package.cjs <provider>`.
// Inside custkit's workspace it runs the codegen bundle (dist/generate/cli.cjs, built by turbo).
// Inside another workspace that lists custkit's packages but not this folder (custkit as a
// submodule), the generator's dependencies are not installed: the package's src/ is committed,
// so there is nothing to do, and saying so beats failing the host's `generate` task.
// Plain CommonJS with no dependencies, so that it runs before anything is built or installed.
const { existsSync } = require("node:fs");
const path = require("node:path");

// This folder's own node_modules only: a NODE_PATH (pnpm's bin shims set one) must not count.
if (!existsSync(path.join(__dirname, "node_modules/openapi-typescript/package.json"))) {
  console.log(
    "custkit: the generator is not installed in this workspace; src/ is committed, nothing to generate",
  );
  process.exit(0);
}
// In this process: the bundle reads process.argv.slice(2) (the provider) and sets the exit code.
require("./dist/generate/cli.cjs");
