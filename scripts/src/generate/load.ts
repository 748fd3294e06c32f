/**
 * Loading one provider: provider.yaml → vendor spec (validated) → overlay applied → effective spec
 * (validated) → provider.yaml checked against the effective spec. Everything in memory; nothing
 * here writes to disk.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { openapiOverlay } from "openapi-format";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { GenerateError, pointer } from "./errors.js";

export type Json = Record<string, unknown>;
export type HttpMethod = "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace";
const METHODS: readonly HttpMethod[] = [
  "get",
  "put",
  "post",
  "delete",
  "patch",
  "head",
  "options",
  "trace",
];

export interface ProviderOperation {
  operationId?: string;
  method: HttpMethod;
  path: string;
  idempotent: boolean;
  why?: string;
}

export interface ClientHeader {
  header: string;
  required: boolean;
  description?: string;
}

/**
 * Vendor error-body shapes beyond the common `{ message, code, errors }` one, each read by the
 * runtime export of the same name + `Error` (`odataError`…); the generated client bundles only
 * its vendor's readers.
 */
export const ERROR_SHAPES = ["enfuce", "odata", "strapi"] as const;
export type ErrorShape = (typeof ERROR_SHAPES)[number];

export interface ProviderConfig {
  name: string;
  package: string;
  title: string;
  summary: string;
  docs?: string;
  provenance: "verbatim" | "authored";
  source?: string;
  spec: string;
  overlay?: string;
  environments: Record<string, number>;
  defaultEnvironment: string;
  auth: string[];
  clientHeaders: Record<string, ClientHeader>;
  errorShapes: ErrorShape[];
  operations: Record<string, ProviderOperation>;
}

export interface LoadedProvider {
  config: ProviderConfig;
  /** The vendor spec with our overlay applied. */
  spec: Json;
  /** Paths relative to the root, for messages. */
  files: { provider: string; spec: string; overlay?: string };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

async function readText(root: string, file: string): Promise<string> {
  try {
    return await readFile(path.join(root, file), "utf8");
  } catch (error) {
    throw new GenerateError(
      file,
      "",
      `cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}

/** Parse YAML or JSON (by extension), with the failing line in the reason. */
export async function readDocument(root: string, file: string): Promise<unknown> {
  const text = await readText(root, file);
  if (file.endsWith(".json")) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new GenerateError(file, "", `invalid JSON: ${(error as Error).message}`);
    }
  }
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos?.[0];
      throw new GenerateError(
        file,
        "",
        `invalid YAML${where ? ` at line ${where.line}, column ${where.col}` : ""}: ${error.code}`,
      );
    }
    throw new GenerateError(file, "", `invalid YAML: ${(error as Error).message}`);
  }
}

interface AjvError {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
  keyword?: string;
}

let validator: Validator | undefined;

/** Validate an OpenAPI 3.0 document; throw with the most specific errors (deepest pointers). */
export async function validateSpec(spec: unknown, file: string, what: string): Promise<void> {
  if (!isObject(spec)) throw new GenerateError(file, "", `${what} is not an object`);
  if (typeof spec.openapi !== "string" || !/^3\.0\.\d+$/.test(spec.openapi)) {
    throw new GenerateError(
      file,
      "/openapi",
      `${what} must be OpenAPI 3.0.x; got ${JSON.stringify(spec.openapi)}`,
    );
  }
  // One validator for every spec of the run: it compiles the OpenAPI meta-schema (ajv, the
  // costliest step of a cold run) on first use and keeps it; a fresh one per spec recompiled it.
  validator ??= new Validator({ strict: false });
  const result = await validator.validate(structuredClone(spec));
  if (result.valid) return;
  const errors = result.errors;
  if (typeof errors === "string" || !errors || errors.length === 0) {
    throw new GenerateError(
      file,
      "",
      `${what} is not a valid OpenAPI 3.0 document: ${String(errors ?? "unknown error")}`,
    );
  }
  const list = (errors as AjvError[]).filter(
    (e) => e.keyword !== "oneOf" && e.keyword !== "anyOf" && e.keyword !== "if",
  );
  const usable = list.length > 0 ? list : (errors as AjvError[]);
  const depth = (e: AjvError) => e.instancePath.split("/").length;
  const deepest = Math.max(...usable.map(depth));
  const chosen = usable.filter((e) => depth(e) === deepest);
  const first = chosen[0] as AjvError;
  const detail = (e: AjvError) =>
    `${e.message ?? "invalid"}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""}`;
  const others = [...new Set(chosen.slice(1, 4).map(detail))].filter((d) => d !== detail(first));
  throw new GenerateError(
    file,
    first.instancePath,
    `${what} is not a valid OpenAPI 3.0 document: ${detail(first)}${others.length ? ` (also: ${others.join("; ")})` : ""}`,
  );
}

/**
 * Apply an OpenAPI Overlay 1.0 or 1.1 document; every action must apply (a stale target is an
 * error). 1.1's `copy` moves a vendor node at apply time (the overlay holds no copy of it).
 */
export async function applyOverlay(spec: Json, overlay: unknown, file: string): Promise<Json> {
  if (!isObject(overlay)) throw new GenerateError(file, "", "overlay is not an object");
  if (typeof overlay.overlay !== "string" || !/^1\.[01]\.\d+$/.test(overlay.overlay)) {
    throw new GenerateError(
      file,
      "/overlay",
      `unsupported overlay version ${JSON.stringify(overlay.overlay)}; expected 1.0.x or 1.1.x`,
    );
  }
  if (!Array.isArray(overlay.actions))
    throw new GenerateError(file, "/actions", "overlay has no actions list");
  overlay.actions.forEach((action, i) => {
    if (!isObject(action) || typeof action.target !== "string") {
      throw new GenerateError(file, pointer("actions", i), "action needs a string target");
    }
    if (!("update" in action) && action.remove !== true && typeof action.copy !== "string") {
      throw new GenerateError(
        file,
        pointer("actions", i),
        "action needs update, remove: true or copy",
      );
    }
  });
  const messages: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => messages.push(args.map(String).join(" "));
  let result: Awaited<ReturnType<typeof openapiOverlay>>;
  try {
    result = await openapiOverlay(
      structuredClone(spec) as never,
      { overlaySet: structuredClone(overlay) } as never,
    );
  } finally {
    console.error = original;
  }
  if (messages.length > 0) {
    // openapi-format names the action "Overlay action #N", counted from 1: the error names it
    // once, by its JSON pointer (#/actions/N-1), as every other overlay error does.
    const message = messages[0] ?? "";
    const label = /^Overlay action #(\d+): /.exec(message);
    const at = label ? pointer("actions", Number(label[1]) - 1) : "";
    const reason = label ? message.slice(label[0].length) : message;
    throw new GenerateError(file, at, `overlay could not be applied: ${reason}`);
  }
  const unused = (result.resultData as { unusedActions?: Json[] } | undefined)?.unusedActions ?? [];
  if (unused.length > 0) {
    const action = unused[0] as Json;
    const index = (overlay.actions as unknown[]).indexOf(action);
    throw new GenerateError(
      file,
      pointer("actions", Math.max(index, 0)),
      `overlay action target ${JSON.stringify(action.target)} matches nothing in the spec (stale overlay?)`,
    );
  }
  return result.data as Json;
}

function str(value: unknown, file: string, at: string, required = true): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || value.trim() === "")
    throw new GenerateError(file, at, "must be a non-empty string");
  return value;
}

/** Read and shape-check provider.yaml (not yet against the spec). */
export function parseConfig(raw: unknown, file: string, dirName: string): ProviderConfig {
  if (!isObject(raw)) throw new GenerateError(file, "", "provider.yaml must be a mapping");
  const name = str(raw.name, file, "/name") as string;
  if (name !== dirName)
    throw new GenerateError(
      file,
      "/name",
      `name "${name}" must equal the folder name "${dirName}"`,
    );
  if (!/^[a-z][a-z0-9]*$/.test(name))
    throw new GenerateError(file, "/name", "name must be lower-case letters and digits");
  const pkg = str(raw.package, file, "/package") as string;
  if (pkg !== `@custkit/${name}`)
    throw new GenerateError(file, "/package", `package must be "@custkit/${name}"`);
  const provenance = raw.provenance;
  if (provenance !== "verbatim" && provenance !== "authored") {
    throw new GenerateError(file, "/provenance", `must be "verbatim" or "authored"`);
  }
  if (!isObject(raw.environments) || Object.keys(raw.environments).length === 0) {
    throw new GenerateError(file, "/environments", "must map environment names to server indexes");
  }
  const environments: Record<string, number> = {};
  for (const [env, index] of Object.entries(raw.environments)) {
    if (!Number.isInteger(index) || (index as number) < 0) {
      throw new GenerateError(
        file,
        pointer("environments", env),
        "must be a server index (integer ≥ 0)",
      );
    }
    environments[env] = index as number;
  }
  const defaultEnvironment = str(raw.defaultEnvironment, file, "/defaultEnvironment") as string;
  if (!(defaultEnvironment in environments)) {
    throw new GenerateError(
      file,
      "/defaultEnvironment",
      `"${defaultEnvironment}" is not one of environments`,
    );
  }
  const auth = raw.auth ?? [];
  if (!Array.isArray(auth) || auth.some((a) => typeof a !== "string")) {
    throw new GenerateError(file, "/auth", "must be a list of security scheme names");
  }
  const clientHeaders: Record<string, ClientHeader> = {};
  if (raw.clientHeaders !== undefined && raw.clientHeaders !== null) {
    if (!isObject(raw.clientHeaders))
      throw new GenerateError(file, "/clientHeaders", "must be a mapping");
    for (const [option, def] of Object.entries(raw.clientHeaders)) {
      const at = pointer("clientHeaders", option);
      if (!/^[a-z][A-Za-z0-9]*$/.test(option))
        throw new GenerateError(file, at, "option name must be camelCase");
      if (
        [
          "token",
          "username",
          "password",
          "apiKey",
          "environment",
          "baseUrl",
          "serverVariables",
          "fetch",
          "headers",
        ].includes(option)
      ) {
        throw new GenerateError(file, at, `option name "${option}" is reserved`);
      }
      if (!isObject(def))
        throw new GenerateError(file, at, "must be a mapping with header, required");
      const header = str(def.header, file, `${at}/header`) as string;
      if (def.required !== undefined && typeof def.required !== "boolean") {
        throw new GenerateError(file, `${at}/required`, "must be true or false");
      }
      clientHeaders[option] = {
        header,
        required: def.required === true,
        ...(typeof def.description === "string" ? { description: def.description } : {}),
      };
    }
  }
  const errorShapes = raw.errorShapes ?? [];
  if (
    !Array.isArray(errorShapes) ||
    errorShapes.some((s) => !(ERROR_SHAPES as readonly unknown[]).includes(s)) ||
    new Set(errorShapes).size !== errorShapes.length
  ) {
    throw new GenerateError(
      file,
      "/errorShapes",
      `must be a list of distinct error body shapes from ${ERROR_SHAPES.join(", ")}`,
    );
  }
  if (!isObject(raw.operations) || Object.keys(raw.operations).length === 0) {
    throw new GenerateError(file, "/operations", "must list at least one operation");
  }
  const operations: Record<string, ProviderOperation> = {};
  for (const [opName, def] of Object.entries(raw.operations)) {
    const at = pointer("operations", opName);
    if (!/^[a-z][A-Za-z0-9]*$/.test(opName))
      throw new GenerateError(file, at, "operation name must be camelCase");
    if (["raw", "definition", "baseUrl"].includes(opName))
      throw new GenerateError(file, at, `operation name "${opName}" is reserved`);
    if (!isObject(def)) throw new GenerateError(file, at, "must be a mapping");
    const method = typeof def.method === "string" ? def.method.toLowerCase() : "";
    if (!METHODS.includes(method as HttpMethod))
      throw new GenerateError(file, `${at}/method`, `must be one of ${METHODS.join(", ")}`);
    const opPath = str(def.path, file, `${at}/path`) as string;
    if (typeof def.idempotent !== "boolean")
      throw new GenerateError(file, `${at}/idempotent`, "must be true or false");
    operations[opName] = {
      method: method as HttpMethod,
      path: opPath,
      idempotent: def.idempotent,
      ...(typeof def.operationId === "string" ? { operationId: def.operationId } : {}),
      ...(typeof def.why === "string" ? { why: def.why } : {}),
    };
  }
  return {
    name,
    package: pkg,
    title: str(raw.title, file, "/title") as string,
    summary: str(raw.summary, file, "/summary") as string,
    ...(typeof raw.docs === "string" ? { docs: raw.docs } : {}),
    provenance,
    ...(typeof raw.source === "string" ? { source: raw.source } : {}),
    spec: str(raw.spec, file, "/spec") as string,
    ...(raw.overlay !== undefined ? { overlay: str(raw.overlay, file, "/overlay") as string } : {}),
    environments,
    defaultEnvironment,
    auth: auth as string[],
    clientHeaders,
    errorShapes: errorShapes as ErrorShape[],
    operations,
  };
}

/** Follow a local `$ref` (`#/components/...`); other refs are refused. */
export function deref(spec: Json, value: unknown, seen = new Set<string>()): unknown {
  if (!isObject(value) || typeof value.$ref !== "string") return value;
  const ref = value.$ref;
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported: ${ref}`);
  if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
  seen.add(ref);
  let node: unknown = spec;
  for (const seg of ref.slice(2).split("/")) {
    const key = seg.replace(/~1/g, "/").replace(/~0/g, "~");
    node = isObject(node) ? node[key] : undefined;
  }
  if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  return deref(spec, node, seen);
}

/** The operation object at method+path, with path-level parameters merged in. */
export function operationObject(spec: Json, method: string, opPath: string): Json | undefined {
  const paths = spec.paths as Json | undefined;
  const item = paths?.[opPath];
  if (!isObject(item)) return undefined;
  const op = item[method];
  return isObject(op) ? op : undefined;
}

/** Parameters of an operation (path-level ones first, operation-level ones override), dereferenced. */
export function operationParameters(spec: Json, method: string, opPath: string): Json[] {
  const item = (spec.paths as Json)[opPath] as Json;
  const op = item[method] as Json;
  const byKey = new Map<string, Json>();
  for (const list of [item.parameters, op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      const param = deref(spec, p) as Json;
      byKey.set(`${String(param.in)}:${String(param.name).toLowerCase()}`, param);
    }
  }
  return [...byKey.values()];
}

/** Check provider.yaml against the effective spec. */
export function checkConfigAgainstSpec(config: ProviderConfig, spec: Json, file: string): void {
  const servers = Array.isArray(spec.servers) ? spec.servers : [];
  for (const [env, index] of Object.entries(config.environments)) {
    if (index >= servers.length) {
      throw new GenerateError(
        file,
        pointer("environments", env),
        `server index ${index} does not exist; the effective spec has ${servers.length} server(s)`,
      );
    }
  }
  const schemes = ((spec.components as Json | undefined)?.securitySchemes ?? {}) as Json;
  config.auth.forEach((name, i) => {
    const scheme = schemes[name];
    if (!isObject(scheme)) {
      throw new GenerateError(
        file,
        pointer("auth", i),
        `security scheme "${name}" is not in the effective spec (has: ${Object.keys(schemes).join(", ") || "none"})`,
      );
    }
    const resolved = deref(spec, scheme) as Json;
    const ok =
      (resolved.type === "http" && /^(bearer|basic)$/i.test(String(resolved.scheme))) ||
      (resolved.type === "apiKey" && resolved.in === "header" && typeof resolved.name === "string");
    if (!ok)
      throw new GenerateError(
        file,
        pointer("auth", i),
        `security scheme "${name}" is not http bearer, http basic or an apiKey header`,
      );
  });
  for (const [opName, op] of Object.entries(config.operations)) {
    const at = pointer("operations", opName);
    const found = operationObject(spec, op.method, op.path);
    if (!found)
      throw new GenerateError(
        file,
        at,
        `no ${op.method.toUpperCase()} ${op.path} in the effective spec`,
      );
    if (op.operationId !== undefined && found.operationId !== op.operationId) {
      throw new GenerateError(
        file,
        `${at}/operationId`,
        `the spec's operationId at ${op.method.toUpperCase()} ${op.path} is ${JSON.stringify(found.operationId)}, not "${op.operationId}"`,
      );
    }
  }
  for (const [option, def] of Object.entries(config.clientHeaders)) {
    const declared = Object.values(config.operations).some((op) =>
      operationParameters(spec, op.method, op.path).some(
        (p) => p.in === "header" && String(p.name).toLowerCase() === def.header.toLowerCase(),
      ),
    );
    if (!declared) {
      throw new GenerateError(
        file,
        pointer("clientHeaders", option),
        `header "${def.header}" is not a header parameter of any configured operation`,
      );
    }
  }
}

/** Load, validate and check one provider folder (`specs/<name>`). */
export async function loadProvider(root: string, name: string): Promise<LoadedProvider> {
  const dir = path.posix.join("specs", name);
  const providerFile = path.posix.join(dir, "provider.yaml");
  const config = parseConfig(await readDocument(root, providerFile), providerFile, name);
  const specFile = path.posix.join(dir, config.spec);
  const vendor = await readDocument(root, specFile);
  await validateSpec(vendor, specFile, "vendor spec");
  let spec = vendor as Json;
  let overlayFile: string | undefined;
  if (config.overlay) {
    overlayFile = path.posix.join(dir, config.overlay);
    spec = await applyOverlay(spec, await readDocument(root, overlayFile), overlayFile);
    await validateSpec(spec, overlayFile, "effective spec (vendor spec + overlay)");
  }
  try {
    checkConfigAgainstSpec(config, spec, providerFile);
  } catch (error) {
    if (error instanceof GenerateError) throw error;
    throw new GenerateError(overlayFile ?? specFile, "", (error as Error).message);
  }
  return {
    config,
    spec,
    files: {
      provider: providerFile,
      spec: specFile,
      ...(overlayFile ? { overlay: overlayFile } : {}),
    },
  };
}
