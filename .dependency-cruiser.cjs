/**
 * `pnpm lint`'s module-graph check: no import cycle in any package's source (type-only imports
 * count: a cycle of types is still two modules that cannot be read apart).
 */

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "An import cycle: move what both modules need into a third.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules)/" },
  },
};
