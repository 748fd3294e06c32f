/**
 * A provider's table compiled once against the model tree: one node per model field with its
 * rule, and what the vendor's constraint tree says about the body (which fields exist, which
 * accept null).
 */
import { fieldAt, type Schema, type ValidationTable } from "@custkit/runtime";
import { MODEL_TREE, type ModelNode } from "./model-tree.js";
import type { ProviderMapping, Rule } from "./rules.js";

export interface RuleNode {
  readonly path: string;
  readonly validate: ModelNode["validate"];
  readonly rule: Rule | undefined;
  /** The vendor path a rule without `set` writes (`to[0]`), split once. */
  readonly target: readonly string[] | undefined;
  readonly children: Record<string, RuleNode> | undefined;
  /** Whether this node or a descendant has a rule. */
  readonly hasRule: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: tables of every provider share one engine type
export interface CompiledMapping<C = any> {
  readonly mapping: ProviderMapping<C>;
  readonly tree: Record<string, RuleNode>;
  readonly rulesByField: ReadonlyMap<string, Rule<C>>;
  /** Top-level vendor body key → model field that writes it. */
  readonly mappedKeys: ReadonlyMap<string, string>;
  /** Whether a vendor body field (dotted path) of `mapping.operation` accepts null. */
  nullable(vendorPath: string): boolean;
  /** Whether the body of `mapping.operation` declares a vendor field (dotted path). */
  hasField(vendorPath: string): boolean;
}

/** The JSON body schema of an operation (else its first media type's). */
function bodySchemaOf(validation: ValidationTable, operation: string): Schema | undefined {
  const body = Object.hasOwn(validation, operation) ? validation[operation]?.body : undefined;
  if (body === undefined) return undefined;
  const media = Object.keys(body);
  const json = media.find((m) => /^application\/(.+\+)?json\b/i.test(m)) ?? media[0];
  return json === undefined ? undefined : body[json];
}

export function compileMapping<C>(mapping: ProviderMapping<C>): CompiledMapping<C> {
  const rulesByField = new Map<string, Rule<C>>();
  for (const rule of mapping.rules) {
    if (rulesByField.has(rule.field))
      throw new Error(`${mapping.provider}: two rules for ${rule.field}`);
    rulesByField.set(rule.field, rule);
  }
  const build = (nodes: Record<string, ModelNode>): Record<string, RuleNode> => {
    const out: Record<string, RuleNode> = Object.create(null);
    for (const [k, n] of Object.entries(nodes)) {
      const children = n.children ? build(n.children) : undefined;
      const rule = rulesByField.get(n.path);
      const hasRule =
        rule !== undefined ||
        (children !== undefined && Object.values(children).some((c) => c.hasRule));
      const target =
        rule !== undefined && rule.set === undefined && rule.to[0] !== undefined
          ? rule.to[0].split(".")
          : undefined;
      out[k] = { path: n.path, validate: n.validate, rule, target, children, hasRule };
    }
    return out;
  };
  const known = new Set<string>();
  const walk = (nodes: Record<string, ModelNode>) => {
    for (const n of Object.values(nodes)) {
      known.add(n.path);
      if (n.children) walk(n.children);
    }
  };
  walk(MODEL_TREE);
  for (const field of rulesByField.keys()) {
    if (!known.has(field))
      throw new Error(`${mapping.provider}: rule for unknown model field ${field}`);
  }
  const bodySchema = bodySchemaOf(mapping.validation, mapping.operation);
  const nullables = new Map<string, boolean>();
  const nullable = (vendorPath: string): boolean => {
    let n = nullables.get(vendorPath);
    if (n === undefined) {
      n = fieldAt(bodySchema, vendorPath.split(".")).nullable;
      nullables.set(vendorPath, n);
    }
    return n;
  };
  const mappedKeys = new Map<string, string>();
  for (const rule of mapping.rules) {
    for (const to of rule.to) {
      const top = to.split(".")[0] as string;
      if (!mappedKeys.has(top)) mappedKeys.set(top, rule.field);
    }
  }
  const hasField = (vendorPath: string): boolean =>
    fieldAt(bodySchema, vendorPath.split(".")).declared;
  return { mapping, tree: build(MODEL_TREE), rulesByField, mappedKeys, nullable, hasField };
}
