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
 */
import {
  type FieldError,
  type Schema,
  UnsupportedFieldError,
  ValidationError,
  type ValidationTable,
  validateRequest,
} from "@custkit/runtime";
import { translateClientValidation } from "./client-errors.js";
import { type CustomerKind, type CustomerPatch, MODEL_FIELDS, SECRET_FIELDS } from "./model.js";
import type { PhoneNormalizer } from "./normalize.js";
import { refusalMessage } from "./refusal.js";
import { MODEL_VALIDATORS } from "./validators.js";

export interface VendorRequest {
  /** A generated client method name. */
  operation: string;
  params: {
    path?: Record<string, string | number>;
    query?: Record<string, string>;
    header?: Record<string, string>;
  };
  body?: unknown;
  contentType?: string;
}

export type UnsupportedPolicy = "reject" | "warn";

export type ProblemCode =
  | "unsupported"
  | "cannot_clear"
  | "invalid"
  | "too_long"
  | "pattern"
  | "enum"
  | "unknown_country"
  | "required"
  | "collision"
  | "unknown_field";

export interface FieldProblem {
  /** Path in the caller's input: `address.country`, `passthrough.locale`, `id`. */
  field: string;
  reason: string;
  code: ProblemCode;
}

/** What a rule sees while it maps one field. */
export interface MapContext<C> {
  readonly provider: string;
  readonly config: C;
  /** The customer kind this request is for (from the patch, the config or inferred). */
  readonly kind: CustomerKind | undefined;
  readonly patch: CustomerPatch;
  /** Write a vendor body field (dotted path); the request is checked against the spec when built. */
  put(vendorPath: string, value: unknown): void;
  /** Refuse the current field. */
  fail(reason: string, code?: ProblemCode): void;
  /** Refuse one named field (e.g. a part of a group). */
  failField(field: string, reason: string, code?: ProblemCode): void;
  /** A note for the result (never containing values). */
  warn(message: string): void;
  /** Raise a flag the request builder reads (e.g. Enfuce's DELETE_TEMPORARY_ADDRESS). */
  flag(name: string): void;
  /** Whether the vendor field accepts null (from the spec). */
  nullable(vendorPath: string): boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: tables of every provider share one engine type
export interface Rule<C = any> {
  /** Model field path (`name.given`) or group path taken as a whole (`name`). */
  readonly field: string;
  /** Vendor body fields written, as dotted paths. Empty when the field selects rather than writes. */
  readonly to: readonly string[];
  /** Only for customers of these kinds. */
  readonly kinds?: readonly CustomerKind[];
  /** Write a value. Default: `put(to[0], value)`. */
  // biome-ignore lint/suspicious/noExplicitAny: tables of every provider share one engine type
  readonly set?: (value: any, ctx: MapContext<C>) => void;
  /**
   * Clear (`null`). Default: write null to every `to` field when the spec marks them all
   * nullable, else refuse with `cannot_clear`. `false` always refuses.
   */
  readonly clear?: false | ((ctx: MapContext<C>) => void);
  /** `clear`: a group rule that only handles `null`; values go to the children's rules. */
  readonly group?: "clear";
  /** For a group rule: children it refuses (shown as unsupported in the capability doc). */
  readonly except?: readonly string[];
  /** How the capability doc shows the target, when `to` is not enough. */
  readonly docs?: string;
  readonly note?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: tables of every provider share one engine type
export interface ProviderMapping<C = any, N extends string = string> {
  readonly provider: N;
  /** The client method that takes the mapped body. */
  readonly operation: string;
  /** Every client method the mapper may call. */
  readonly operations: readonly string[];
  readonly rules: readonly Rule<C>[];
  /** The generated package's constraint trees (`<p>Validation`), by operation. */
  readonly validation: ValidationTable;
  /** Check the id; return a reason when it is not valid for the vendor. */
  validateId(id: string | number): string | undefined;
  /** The customer kind, from the patch and configuration; may record problems. */
  resolveKind?(
    patch: CustomerPatch,
    config: C,
    fail: (field: string, reason: string) => void,
  ): CustomerKind | undefined;
  /** Turn the mapped body into requests. `body` is undefined when no body field was written. */
  buildRequests(
    id: string | number,
    body: Record<string, unknown> | undefined,
    state: {
      config: C;
      kind: CustomerKind | undefined;
      flags: ReadonlySet<string>;
      fail: (field: string, reason: string) => void;
    },
  ): VendorRequest[];
  /**
   * The model fields (of `written`) one of the built requests writes, for a patch that needs
   * several requests (a partial failure names what went through). Default: all of them.
   */
  requestFields?(request: VendorRequest, written: readonly string[]): string[];
  /** Phones in international form with punctuation → E.164 (`normalize.ts`), by a mapper that takes a phone. */
  readonly normalizePhone?: PhoneNormalizer;
  /** Vendor notes for the capability doc. */
  readonly notes?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Model tree: built once from MODEL_FIELDS.

interface ModelNode {
  readonly key: string;
  readonly path: string;
  readonly children: Record<string, ModelNode> | undefined;
  readonly validate: ((value: unknown) => string | undefined) | undefined;
}

function buildModelTree(): Record<string, ModelNode> {
  type Mutable = { key: string; path: string; children?: Record<string, Mutable> };
  const root: Record<string, Mutable> = {};
  for (const field of MODEL_FIELDS) {
    const parts = field.split(".");
    let level = root;
    let path = "";
    for (let i = 0; i < parts.length; i++) {
      const key = parts[i] as string;
      path = path ? `${path}.${key}` : key;
      let node = level[key];
      if (!node) {
        node = { key, path };
        level[key] = node;
      }
      if (i < parts.length - 1) {
        node.children ??= {};
        level = node.children;
      }
    }
  }
  const freeze = (m: Record<string, Mutable>): Record<string, ModelNode> => {
    const out: Record<string, ModelNode> = Object.create(null);
    for (const [k, n] of Object.entries(m)) {
      out[k] = {
        key: n.key,
        path: n.path,
        children: n.children ? freeze(n.children) : undefined,
        validate: MODEL_VALIDATORS[n.path],
      };
    }
    return out;
  };
  return freeze(root);
}

const MODEL_TREE = buildModelTree();

// ---------------------------------------------------------------------------------------------
// Compiled mapping.

interface PNode {
  readonly path: string;
  readonly validate: ModelNode["validate"];
  readonly rule: Rule | undefined;
  /** The vendor path a rule without `set` writes (`to[0]`), split once. */
  readonly target: readonly string[] | undefined;
  readonly children: Record<string, PNode> | undefined;
  /** Whether this node or a descendant has a rule. */
  readonly hasRule: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: tables of every provider share one engine type
export interface CompiledMapping<C = any> {
  readonly mapping: ProviderMapping<C>;
  readonly tree: Record<string, PNode>;
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

/** The schemas a dotted body path may reach (through properties and anyOf / oneOf / allOf). */
function schemasAt(schema: Schema | undefined, segments: readonly string[]): Schema[] {
  if (schema === undefined) return [];
  const branches = [...(schema.u ?? []), ...(schema.l ?? [])];
  const out = branches.flatMap((b) => schemasAt(b, segments));
  if (segments.length === 0) return [schema, ...out];
  const [head, ...rest] = segments as [string, ...string[]];
  const child = schema.o && Object.hasOwn(schema.o, head) ? schema.o[head] : undefined;
  return [...schemasAt(child, rest), ...out];
}

export function compileMapping<C>(mapping: ProviderMapping<C>): CompiledMapping<C> {
  const rulesByField = new Map<string, Rule<C>>();
  for (const rule of mapping.rules) {
    if (rulesByField.has(rule.field))
      throw new Error(`${mapping.provider}: two rules for ${rule.field}`);
    rulesByField.set(rule.field, rule);
  }
  const build = (nodes: Record<string, ModelNode>): Record<string, PNode> => {
    const out: Record<string, PNode> = Object.create(null);
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
      const found = schemasAt(bodySchema, vendorPath.split("."));
      n = found.length > 0 && found.some((x) => x.n === 1);
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
    schemasAt(bodySchema, vendorPath.split(".")).length > 0;
  return { mapping, tree: build(MODEL_TREE), rulesByField, mappedKeys, nullable, hasField };
}

// ---------------------------------------------------------------------------------------------
// Planning one patch.

export interface PlanOptions {
  unsupported?: UnsupportedPolicy;
  /** Vendor body fields the model does not cover, sent as they are. */
  passthrough?: Record<string, unknown>;
}

export interface Plan {
  provider: string;
  requests: VendorRequest[];
  /** Model fields (and `passthrough.<key>`) written. */
  written: string[];
  /** Fields that were not written (only with `unsupported: 'warn'`). */
  skipped: FieldProblem[];
  warnings: string[];
}

const SKIPPABLE: ReadonlySet<ProblemCode> = new Set(["unsupported", "cannot_clear"]);

class PlanState<C> implements MapContext<C> {
  readonly provider: string;
  current = "";
  problems: FieldProblem[] | undefined;
  warnings: string[] | undefined;
  flags: Set<string> | undefined;
  readonly written: string[] = [];
  body: Record<string, unknown> | undefined;

  constructor(
    readonly compiled: CompiledMapping<C>,
    readonly config: C,
    readonly patch: CustomerPatch,
    public kind: CustomerKind | undefined,
  ) {
    this.provider = compiled.mapping.provider;
  }

  failField(field: string, reason: string, code: ProblemCode = "invalid"): void {
    if (this.problems === undefined) this.problems = [];
    this.problems.push({ field, reason, code });
  }
  fail(reason: string, code: ProblemCode = "invalid"): void {
    this.failField(this.current, reason, code);
  }
  warn(message: string): void {
    if (this.warnings === undefined) this.warnings = [];
    this.warnings.push(message);
  }
  flag(name: string): void {
    if (this.flags === undefined) this.flags = new Set();
    this.flags.add(name);
  }
  nullable(vendorPath: string): boolean {
    return this.compiled.nullable(vendorPath);
  }

  put(vendorPath: string, value: unknown): void {
    this.putAt(segmentsOf(vendorPath), value);
  }

  /** `put` of a path already split. */
  putAt(segs: readonly string[], value: unknown): void {
    if (this.body === undefined) this.body = {};
    let target = this.body;
    const last = segs.length - 1;
    for (let i = 0; i < last; i++) {
      const seg = segs[i] as string;
      let next = target[seg] as Record<string, unknown> | undefined;
      if (next === undefined || next === null || typeof next !== "object") {
        next = {};
        target[seg] = next;
      }
      target = next;
    }
    target[segs[last] as string] = value;
  }
}

// Vendor paths come from the providers' tables (a few dozen): split once, not on every write.
const SEGMENTS = new Map<string, readonly string[]>();
function segmentsOf(vendorPath: string): readonly string[] {
  let segs = SEGMENTS.get(vendorPath);
  if (segs === undefined) {
    segs = vendorPath.split(".");
    SEGMENTS.set(vendorPath, segs);
  }
  return segs;
}

function problemCount(s: PlanState<unknown>): number {
  return s.problems === undefined ? 0 : s.problems.length;
}

function applyRule<C>(s: PlanState<C>, node: PNode, value: unknown, isGroup = false): void {
  const rule = node.rule as Rule<C>;
  const before = problemCount(s as PlanState<unknown>);
  s.current = rule.field;
  if (rule.kinds !== undefined && (s.kind === undefined || !rule.kinds.includes(s.kind))) {
    s.fail(
      `${s.provider} takes ${rule.field} only for ${rule.kinds.join(" or ")} customers`,
      "unsupported",
    );
    return;
  }
  if (value === null) {
    if (rule.clear === false) {
      s.fail(`${s.provider} cannot clear ${rule.field}`, "cannot_clear");
    } else if (rule.clear !== undefined) {
      rule.clear(s);
    } else {
      let ok = rule.to.length > 0;
      for (const to of rule.to) if (!s.nullable(to)) ok = false;
      if (!ok) s.fail(`${s.provider} cannot clear ${rule.field}`, "cannot_clear");
      else for (const to of rule.to) s.put(to, null);
    }
  } else if (rule.set !== undefined) {
    rule.set(value, s);
  } else {
    s.putAt(node.target as readonly string[], value);
  }
  if (problemCount(s as PlanState<unknown>) === before) {
    if (isGroup && value !== null) {
      for (const k in value as Record<string, unknown>) {
        if ((value as Record<string, unknown>)[k] !== undefined)
          s.written.push(`${rule.field}.${k}`);
      }
    } else {
      s.written.push(rule.field);
    }
  }
}

function unsupported<C>(s: PlanState<C>, path: string): void {
  s.failField(path, `${s.provider} has no such field`, "unsupported");
}

/** Validate a group's children (types, unknown keys) without mapping them. */
function validateChildren<C>(
  s: PlanState<C>,
  node: PNode,
  value: Record<string, unknown>,
): boolean {
  const before = problemCount(s as PlanState<unknown>);
  const children = node.children as Record<string, PNode>;
  for (const k in value) {
    const v = value[k];
    if (v === undefined) continue;
    const child = children[k];
    if (child === undefined) {
      s.failField(`${node.path}.${k}`, "not a field of the customer model", "unknown_field");
      continue;
    }
    const reason = child.validate?.(v);
    if (reason !== undefined) s.failField(child.path, reason, "invalid");
    else if (child.children && v !== null) validateChildren(s, child, v as Record<string, unknown>);
  }
  return problemCount(s as PlanState<unknown>) === before;
}

function visitNull<C>(s: PlanState<C>, node: PNode): void {
  if (node.rule !== undefined) applyRule(s, node, null);
  else if (!node.hasRule) unsupported(s, node.path);
  else if (node.children) for (const k in node.children) visitNull(s, node.children[k] as PNode);
  else unsupported(s, node.path);
}

function visit<C>(s: PlanState<C>, node: PNode, value: unknown): void {
  const reason = node.validate?.(value);
  if (reason !== undefined) {
    s.failField(node.path, reason, "invalid");
    return;
  }
  const rule = node.rule;
  if (node.children !== undefined) {
    if (value === null) {
      visitNull(s, node);
      return;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      s.failField(node.path, "must be an object", "invalid");
      return;
    }
    if (rule !== undefined && rule.group !== "clear") {
      if (validateChildren(s, node, value as Record<string, unknown>))
        applyRule(s, node, value, true);
      return;
    }
    walk(s, node.children, value as Record<string, unknown>, node.path);
    return;
  }
  if (rule !== undefined) applyRule(s, node, value);
  else unsupported(s, node.path);
}

function walk<C>(
  s: PlanState<C>,
  nodes: Record<string, PNode>,
  obj: Record<string, unknown>,
  prefix: string,
): void {
  for (const key in obj) {
    const value = obj[key];
    if (value === undefined) continue;
    const node = nodes[key];
    if (node === undefined) {
      s.failField(
        prefix ? `${prefix}.${key}` : key,
        "not a field of the customer model",
        "unknown_field",
      );
      continue;
    }
    visit(s, node, value);
  }
}

/** The error for a list of problems: ValidationError, or UnsupportedFieldError when every problem is one. */
export function problemsError(
  provider: string,
  problems: FieldProblem[],
): ValidationError | UnsupportedFieldError {
  const onlyUnsupported = problems.every((p) => SKIPPABLE.has(p.code));
  const fieldErrors = problems.map((p) => ({ field: p.field, reason: p.reason, code: p.code }));
  const init = { provider, message: refusalMessage(provider, fieldErrors), fieldErrors };
  return onlyUnsupported ? new UnsupportedFieldError(init) : new ValidationError(init);
}

/**
 * Map one patch to the vendor requests, or throw (before anything is sent) a ValidationError /
 * UnsupportedFieldError naming every field, the provider and the reason. The requests are checked
 * against the vendor's spec by `checkRequests`, or by the client as it sends.
 */
export function mapPatch<C>(
  compiled: CompiledMapping<C>,
  id: string | number,
  patch: CustomerPatch,
  config: C,
  options: PlanOptions = {},
): Plan {
  const mapping = compiled.mapping;
  const provider = mapping.provider;
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
    throw new ValidationError({ provider, message: `${provider}: the patch must be an object` });
  }
  const s = new PlanState<C>(compiled, config, patch, undefined);
  const idReason = mapping.validateId(id);
  if (idReason !== undefined) s.failField("id", idReason, "invalid");
  const failAt = (field: string, reason: string) => s.failField(field, reason, "invalid");
  s.kind = mapping.resolveKind ? mapping.resolveKind(patch, config, failAt) : patch.kind;
  walk(s, compiled.tree, patch as Record<string, unknown>, "");

  const passthrough = options.passthrough;
  if (passthrough !== undefined && passthrough !== null) {
    for (const key in passthrough) {
      const value = passthrough[key];
      if (value === undefined) continue;
      s.current = `passthrough.${key}`;
      const owner = compiled.mappedKeys.get(key);
      if (owner !== undefined) {
        s.fail(
          `${provider} field ${key} is mapped from ${owner}: set it through the model`,
          "collision",
        );
        continue;
      }
      s.put(key, value);
      s.written.push(s.current);
    }
  }

  let skipped: FieldProblem[] = [];
  if (s.problems !== undefined) {
    const policy = options.unsupported ?? "reject";
    const fatal = policy === "warn" ? s.problems.filter((p) => !SKIPPABLE.has(p.code)) : s.problems;
    if (fatal.length > 0) throw problemsError(provider, fatal);
    skipped = s.problems;
  }
  const requests = mapping.buildRequests(id, s.body, {
    config,
    kind: s.kind,
    flags: s.flags ?? EMPTY_SET,
    fail: failAt,
  });
  if (s.problems !== undefined && s.problems.length > skipped.length) {
    throw problemsError(
      provider,
      s.problems.filter((p) => !SKIPPABLE.has(p.code)),
    );
  }
  const warnings = s.warnings ?? [];
  for (const p of skipped) warnings.push(`${p.field} not written: ${p.reason}`);
  return { provider, requests, written: s.written, skipped, warnings };
}

/**
 * Every request against the vendor's spec, before any is sent (`check`, default: the provider's
 * constraint trees): what is found is thrown as one ValidationError in the caller's fields.
 */
export function checkRequests(
  compiled: CompiledMapping,
  requests: readonly VendorRequest[],
  check: ((request: VendorRequest) => FieldError[]) | undefined,
  passthrough: Record<string, unknown> | undefined,
): void {
  const { provider, validation } = compiled.mapping;
  let refused: FieldError[] | undefined;
  let refusedOperation: string | undefined;
  for (const request of requests) {
    const found = check
      ? check(request)
      : validateRequest(
          Object.hasOwn(validation, request.operation) ? validation[request.operation] : undefined,
          { params: request.params, body: request.body },
          request.contentType,
        );
    if (found.length === 0) continue;
    refused ??= [];
    refusedOperation ??= request.operation;
    refused.push(...found);
  }
  if (refused !== undefined) {
    throw translateClientValidation(
      compiled,
      new ValidationError({
        provider,
        operation: refusedOperation,
        message: `${provider} ${refusedOperation}: invalid request`,
        fieldErrors: refused,
      }),
      passthrough ?? undefined,
    );
  }
}

const EMPTY_SET: ReadonlySet<string> = new Set();

// ---------------------------------------------------------------------------------------------
// Capabilities.

export interface FieldCapability {
  field: string;
  supported: boolean;
  /** Vendor target(s), as shown in the docs. */
  target?: string;
  clear: "yes" | "no";
  kinds?: readonly CustomerKind[];
  note?: string;
  secret?: boolean;
}

export interface ProviderCapabilities {
  provider: string;
  operations: readonly string[];
  fields: FieldCapability[];
  notes: readonly string[];
}

export function describeCapabilities(compiled: CompiledMapping): ProviderCapabilities {
  const { mapping, rulesByField } = compiled;
  const fields: FieldCapability[] = [];
  const clearable = (rule: Rule): boolean => {
    if (rule.clear === false) return false;
    if (rule.clear !== undefined) return true;
    return rule.to.length > 0 && rule.to.every((t) => compiled.nullable(t));
  };
  for (const field of MODEL_FIELDS) {
    let rule = rulesByField.get(field);
    let viaGroup: Rule | undefined;
    if (rule === undefined) {
      const parts = field.split(".");
      for (let i = parts.length - 1; i > 0 && !viaGroup; i--) {
        const g = rulesByField.get(parts.slice(0, i).join("."));
        if (g !== undefined && g.group !== "clear" && !g.except?.includes(parts.slice(i).join(".")))
          viaGroup = g;
        else if (g !== undefined && g.group !== "clear") break;
      }
    }
    rule ??= viaGroup;
    const secret = SECRET_FIELDS.has(field) || undefined;
    if (rule === undefined) {
      fields.push({ field, supported: false, clear: "no", ...(secret ? { secret } : {}) });
      continue;
    }
    const cap: FieldCapability = {
      field,
      supported: true,
      target: rule.docs ?? rule.to.join(", "),
      clear: clearable(rule) ? "yes" : "no",
    };
    if (rule.kinds) cap.kinds = rule.kinds;
    if (rule.note) cap.note = rule.note;
    if (secret) cap.secret = true;
    fields.push(cap);
  }
  // Group-level clears (e.g. Enfuce temporaryAddress: null).
  for (const rule of mapping.rules) {
    if (rule.group === "clear") {
      fields.push({
        field: `${rule.field} (whole, null)`,
        supported: true,
        target: rule.docs ?? "",
        clear: "yes",
        ...(rule.note ? { note: rule.note } : {}),
      });
    }
  }
  return {
    provider: mapping.provider,
    operations: mapping.operations,
    fields,
    notes: mapping.notes ?? [],
  };
}
