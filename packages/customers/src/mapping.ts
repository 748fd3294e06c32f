/**
 * The table-driven engine shared by every provider mapper.
 *
 * A provider's table is a list of rules, one per model field (or per group of fields taken as
 * a whole, e.g. NuWeb's single `name`). The same table gives
 *   (a) the runtime mapping (`mapPatch`, then `checkRequests`),
 *   (b) the compile-time patch type of the provider (`PatchOf` in types.ts),
 *   (c) the capability matrix (`describeCapabilities`, rendered into docs/capabilities.md).
 * Vendor limits (maxLength, pattern, enum, required, nullable) are the generated package's: its
 * constraint tree (`<p>Validation`, digested from the effective spec by the codegen) gives
 * `nullable` here, and every request of a patch is checked against it (`client.validate`, or the
 * tree itself when planning without a client) before the first is sent; client-errors.ts names
 * what it finds in model fields. Only checks the spec cannot express live in the facade
 * (validators.ts, the mappers).
 *
 * rules.ts: the table's shapes; model-tree.ts: the model as a tree; compile.ts: a table compiled
 * against it; plan.ts: one patch → requests; check.ts: the requests against the spec;
 * capabilities.ts: what a table can write (docs/capabilities.md).
 */
export * from "./mapping/capabilities.js";
export * from "./mapping/check.js";
export * from "./mapping/compile.js";
export * from "./mapping/plan.js";
export * from "./mapping/rules.js";
