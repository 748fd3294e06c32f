/**
 * `pnpm lint`'s module-graph check: no import cycle in any package's source (type-only imports
 * count: a cycle of types is still two modules that cannot be read apart).
 */

// Known cycles, each with who removes it. Delete an entry when its cycle is gone.
const KNOWN_CYCLES = [
  // transport/index ↔ redirect and ↔ tracing (each imports the transport's types back), and
  // rate-limit/gate ↔ redis (type-only), all arrived with the redirect, tracing and queue work:
  // their owners break them by moving the shared types into a module of their own.
  "^packages/runtime/src/transport/(index|redirect|tracing)\\.ts$",
  "^packages/runtime/src/rate-limit/(gate|redis)\\.ts$",
];

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "An import cycle: move what both modules need into a third.",
      severity: "error",
      from: { pathNot: KNOWN_CYCLES },
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules)/" },
  },
};
