/**
 * Bundles the codegen (src/generate/cli.ts, all.ts) into dist/generate/*.cjs: `pnpm generate`
 * and the generated packages' turbo `generate` tasks run these with plain `node`, so a cold run
 * pays neither tsx's transpiling nor its extra process.
 * - CommonJS on purpose: Node's ESM loader compiles TypeScript's 9 MB CommonJS file once more to
 *   detect its format and lexes it for exports (≈ 0.4 s); require() does neither.
 * - Dependencies stay external (some read their own files next to them, e.g. the OpenAPI
 *   meta-schemas); only our sources are bundled.
 * - dist/generate is as deep as src/generate, so `import.meta.url`-relative paths
 *   (the repository root, LICENSE) resolve the same from either.
 * Run by turbo as this package's `build` (root turbo.json `@custkit/scripts#build`).
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));

// The sources' `import x from "openapi-typescript"` means the package's ESM default export.
// esbuild gives importers in a "type": "module" package Node's CommonJS interop
// (default = module.exports), which in a CommonJS bundle would be the exports object, so the
// default import is routed through a module outside that package, which reads `exports.default`.
const esmDefaultImports = {
  name: "esm-default-imports",
  setup(b) {
    b.onResolve({ filter: /^openapi-typescript$/ }, (args) =>
      args.namespace === "esm-default"
        ? { path: args.path, external: true }
        : { path: args.path, namespace: "esm-default" },
    );
    b.onLoad({ filter: /.*/, namespace: "esm-default" }, (args) => ({
      contents: `import * as m from ${JSON.stringify(args.path)};\nexport default m.default;\nexport * from ${JSON.stringify(args.path)};\n`,
      loader: "js",
      resolveDir: here,
    }));
  },
};

/** Builds the bundles into `outdir` (default dist/generate). */
export async function bundleGenerator(outdir = `${here}dist/generate`) {
  const result = await build({
    absWorkingDir: here,
    entryPoints: ["src/generate/cli.ts", "src/generate/all.ts"],
    outdir,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    target: "node20.19",
    define: { "import.meta.url": "__importMetaUrl" },
    // first in the file, so the sources keep ES modules' strict mode
    banner: {
      js: '"use strict";\nconst __importMetaUrl = require("node:url").pathToFileURL(__filename).href;',
    },
    plugins: [esmDefaultImports],
    // Any other import.meta use would be empty in a CommonJS bundle: fail the build instead.
    logOverride: { "empty-import-meta": "error" },
    logLevel: "warning",
    metafile: true,
  });
  // turbo reruns this build, and the generated packages' `generate` tasks, on changes under
  // src/generate/ only: a bundled source elsewhere would go stale unnoticed.
  const outside = Object.keys(result.metafile.inputs).filter(
    (f) => !f.startsWith("src/generate/") && !f.startsWith("esm-default:"),
  );
  if (outside.length > 0)
    throw new Error(`the generator bundles sources outside src/generate/: ${outside.join(", ")}`);
}

// `node bundle-generator.mjs [outdir]`: the bench times a build into a scratch folder.
if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleGenerator(process.argv[2]);
