/**
 * Planning one patch: the compiled tree walked against the patch, each field's rule applied,
 * every problem collected; then the mapper builds the requests. Nothing is sent here.
 */
import { UnsupportedFieldError, ValidationError } from "@custkit/runtime";
import type { CustomerKind, CustomerPatch } from "../model.js";
import { refusalMessage } from "../refusal.js";
import type { CompiledMapping, RuleNode } from "./compile.js";
import type {
  FieldProblem,
  MapContext,
  ProblemCode,
  Rule,
  UnsupportedPolicy,
  VendorRequest,
} from "./rules.js";

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

function problemCount(state: PlanState<unknown>): number {
  return state.problems === undefined ? 0 : state.problems.length;
}

function applyRule<C>(state: PlanState<C>, node: RuleNode, value: unknown, isGroup = false): void {
  const rule = node.rule as Rule<C>;
  const before = problemCount(state as PlanState<unknown>);
  state.current = rule.field;
  if (rule.kinds !== undefined && (state.kind === undefined || !rule.kinds.includes(state.kind))) {
    state.fail(
      `${state.provider} takes ${rule.field} only for ${rule.kinds.join(" or ")} customers`,
      "unsupported",
    );
    return;
  }
  if (value === null) {
    if (rule.clear === false) {
      state.fail(`${state.provider} cannot clear ${rule.field}`, "cannot_clear");
    } else if (rule.clear !== undefined) {
      rule.clear(state);
    } else {
      let ok = rule.to.length > 0;
      for (const to of rule.to) if (!state.nullable(to)) ok = false;
      if (!ok) state.fail(`${state.provider} cannot clear ${rule.field}`, "cannot_clear");
      else for (const to of rule.to) state.put(to, null);
    }
  } else if (rule.set !== undefined) {
    rule.set(value, state);
  } else {
    state.putAt(node.target as readonly string[], value);
  }
  if (problemCount(state as PlanState<unknown>) === before) {
    if (isGroup && value !== null) {
      for (const k in value as Record<string, unknown>) {
        if ((value as Record<string, unknown>)[k] !== undefined)
          state.written.push(`${rule.field}.${k}`);
      }
    } else {
      state.written.push(rule.field);
    }
  }
}

function unsupported<C>(state: PlanState<C>, path: string): void {
  state.failField(path, `${state.provider} has no such field`, "unsupported");
}

/** Validate a group's children (types, unknown keys) without mapping them. */
function validateChildren<C>(
  state: PlanState<C>,
  node: RuleNode,
  value: Record<string, unknown>,
): boolean {
  const before = problemCount(state as PlanState<unknown>);
  const children = node.children as Record<string, RuleNode>;
  for (const k in value) {
    const v = value[k];
    if (v === undefined) continue;
    const child = children[k];
    if (child === undefined) {
      state.failField(`${node.path}.${k}`, "not a field of the customer model", "unknown_field");
      continue;
    }
    const reason = child.validate?.(v);
    if (reason !== undefined) state.failField(child.path, reason, "invalid");
    else if (child.children && v !== null)
      validateChildren(state, child, v as Record<string, unknown>);
  }
  return problemCount(state as PlanState<unknown>) === before;
}

function visitNull<C>(state: PlanState<C>, node: RuleNode): void {
  if (node.rule !== undefined) applyRule(state, node, null);
  else if (!node.hasRule) unsupported(state, node.path);
  else if (node.children)
    for (const k in node.children) visitNull(state, node.children[k] as RuleNode);
  else unsupported(state, node.path);
}

function visit<C>(state: PlanState<C>, node: RuleNode, value: unknown): void {
  const reason = node.validate?.(value);
  if (reason !== undefined) {
    state.failField(node.path, reason, "invalid");
    return;
  }
  const rule = node.rule;
  if (node.children !== undefined) {
    if (value === null) {
      visitNull(state, node);
      return;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      state.failField(node.path, "must be an object", "invalid");
      return;
    }
    if (rule !== undefined && rule.group !== "clear") {
      if (validateChildren(state, node, value as Record<string, unknown>))
        applyRule(state, node, value, true);
      return;
    }
    walk(state, node.children, value as Record<string, unknown>, node.path);
    return;
  }
  if (rule !== undefined) applyRule(state, node, value);
  else unsupported(state, node.path);
}

function walk<C>(
  state: PlanState<C>,
  nodes: Record<string, RuleNode>,
  obj: Record<string, unknown>,
  prefix: string,
): void {
  for (const key in obj) {
    const value = obj[key];
    if (value === undefined) continue;
    const node = nodes[key];
    if (node === undefined) {
      state.failField(
        prefix ? `${prefix}.${key}` : key,
        "not a field of the customer model",
        "unknown_field",
      );
      continue;
    }
    visit(state, node, value);
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
  const state = new PlanState<C>(compiled, config, patch, undefined);
  const idReason = mapping.validateId(id);
  if (idReason !== undefined) state.failField("id", idReason, "invalid");
  const failAt = (field: string, reason: string) => state.failField(field, reason, "invalid");
  state.kind = mapping.resolveKind ? mapping.resolveKind(patch, config, failAt) : patch.kind;
  walk(state, compiled.tree, patch as Record<string, unknown>, "");

  const passthrough = options.passthrough;
  if (passthrough !== undefined && passthrough !== null) {
    for (const key in passthrough) {
      const value = passthrough[key];
      if (value === undefined) continue;
      state.current = `passthrough.${key}`;
      const owner = compiled.mappedKeys.get(key);
      if (owner !== undefined) {
        state.fail(
          `${provider} field ${key} is mapped from ${owner}: set it through the model`,
          "collision",
        );
        continue;
      }
      state.put(key, value);
      state.written.push(state.current);
    }
  }

  let skipped: FieldProblem[] = [];
  if (state.problems !== undefined) {
    const policy = options.unsupported ?? "reject";
    const fatal =
      policy === "warn" ? state.problems.filter((p) => !SKIPPABLE.has(p.code)) : state.problems;
    if (fatal.length > 0) throw problemsError(provider, fatal);
    skipped = state.problems;
  }
  const requests = mapping.buildRequests(id, state.body, {
    config,
    kind: state.kind,
    flags: state.flags ?? EMPTY_SET,
    fail: failAt,
  });
  if (state.problems !== undefined && state.problems.length > skipped.length) {
    throw problemsError(
      provider,
      state.problems.filter((p) => !SKIPPABLE.has(p.code)),
    );
  }
  const warnings = state.warnings ?? [];
  for (const p of skipped) warnings.push(`${p.field} not written: ${p.reason}`);
  return { provider, requests, written: state.written, skipped, warnings };
}

const EMPTY_SET: ReadonlySet<string> = new Set();
