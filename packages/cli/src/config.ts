/**
 * Provider configuration for the CLI: client and mapper options from environment variables
 * (`CUSTKIT_<PROVIDER>_<OPTION>`), a credentials file, and `--config provider.option=value` flags.
 * Secrets are read only from the environment or the credentials file, never from flags.
 */
import { readFileSync } from "node:fs";
import {
  closestName,
  PROVIDER_DEFINITIONS,
  PROVIDER_NAMES,
  type ProviderName,
} from "@custkit/customers";
import {
  type ApiDefinition,
  type AuthSchemeDefinition,
  createApiClient,
  isInsecureHttpUrl,
  resolveBaseUrl,
} from "@custkit/runtime";
import { UsageError } from "./errors.js";

export interface OptionSpec {
  /** Option name in `createCustomers({ providers: { p: { … } } })`; dotted for server variables. */
  option: string;
  secret?: boolean;
  /** Required to send anything. */
  required?: boolean;
  /** Given as `true` or `false` (environment variables and flags are text). */
  boolean?: boolean;
  description: string;
}

/** Client options of each auth scheme kind (the runtime's BearerAuthOptions, BasicAuthOptions, …). */
function authOptions(scheme: AuthSchemeDefinition): OptionSpec[] {
  switch (scheme.kind) {
    case "bearer":
      return [{ option: "token", secret: true, description: "bearer token" }];
    case "basic":
      return [
        { option: "username", secret: true, description: "HTTP Basic user" },
        { option: "password", secret: true, description: "HTTP Basic password" },
      ];
    case "apiKey":
      return [{ option: "apiKey", secret: true, description: `${scheme.header} header` }];
  }
}

function clientOptions(definition: ApiDefinition): {
  auth: OptionSpec[];
  headers: OptionSpec[];
  base: OptionSpec[];
  serverVariables: OptionSpec[];
} {
  const auth = new Map<string, OptionSpec>();
  for (const scheme of definition.auth)
    for (const o of authOptions(scheme)) if (!auth.has(o.option)) auth.set(o.option, o);
  const headers = Object.entries(definition.clientHeaders).map(([option, h]) => ({
    option,
    ...(h.required ? { required: true } : {}),
    description: `${h.header} header${h.description ? ` (${h.description})` : ""}`,
  }));
  const base: OptionSpec[] = [
    { option: "baseUrl", description: "base URL (overrides the environment), e.g. a mock server" },
    {
      option: "allowInsecureHttp",
      boolean: true,
      description:
        "true: allow a plain http:// base URL to a host other than loopback (credentials in clear text)",
    },
    {
      option: "environment",
      description: `named environment from the provider's spec: ${Object.keys(definition.environments).join(", ")} (default ${definition.defaultEnvironment})`,
    },
  ];
  const variables = new Map<string, OptionSpec>();
  for (const env of Object.values(definition.environments))
    for (const [name, v] of Object.entries(env.variables ?? {}))
      if (!variables.has(name))
        variables.set(name, {
          option: `serverVariables.${name}`,
          description: `server variable {${name}}${v.description ? `: ${v.description}` : ""}`,
        });
  return { auth: [...auth.values()], headers, base, serverVariables: [...variables.values()] };
}

function providerOptions(provider: ProviderName): OptionSpec[] {
  // The generated client's definition gives every client option; the mapper adds its own.
  const { client, options: mapperOptions } = PROVIDER_DEFINITIONS[provider];
  const c = clientOptions(client);
  return [...c.auth, ...c.headers, ...mapperOptions, ...c.base, ...c.serverVariables];
}

/** Every option the CLI can set, per provider. Auth: one of the secret groups. */
export const PROVIDER_OPTIONS = Object.fromEntries(
  PROVIDER_NAMES.map((p) => [p, providerOptions(p)]),
) as { [P in ProviderName]: OptionSpec[] };

/** Which secret options authenticate a provider: any one group complete, in preference order. */
const AUTH_GROUPS = Object.fromEntries(
  PROVIDER_NAMES.map((p) => [
    p,
    PROVIDER_DEFINITIONS[p].client.auth.map((scheme) => authOptions(scheme).map((o) => o.option)),
  ]),
) as { [P in ProviderName]: string[][] };

const screaming = (s: string) =>
  s
    .replace(/^serverVariables\./, "server_")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase();

/** `CUSTKIT_ALIGN_API_KEY`, `CUSTKIT_ENFUCE_SERVER_REALM`, … */
export function envName(provider: ProviderName, option: string): string {
  return `CUSTKIT_${provider.toUpperCase()}_${screaming(option)}`;
}

export function isProvider(name: string): name is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(name);
}

/** A provider named on the command line: any case (`Align`); else a usage error with the nearest name. */
export function providerNamed(name: string, where = ""): ProviderName {
  const lower = name.trim().toLowerCase();
  if (isProvider(lower)) return lower;
  const near = closestName(lower, PROVIDER_NAMES);
  throw new UsageError(
    `${where}unknown provider "${name}"${near ? `; did you mean "${near}"?` : ""} (known: ${PROVIDER_NAMES.join(", ")})`,
  );
}

export function parseProviders(list: string): ProviderName[] {
  const names = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError("--providers needs at least one provider");
  return [...new Set(names.map((n) => providerNamed(n)))];
}

/** Every `CUSTKIT_*` variable custkit reads. */
const KNOWN_VARIABLES: readonly string[] = PROVIDER_NAMES.flatMap((p) =>
  PROVIDER_OPTIONS[p].map((o) => envName(p, o.option)),
);

/**
 * Warnings for `CUSTKIT_*` variables custkit does not read, with the nearest one it does: a typo
 * (`CUSTKIT_ALIGN_BASEURL`) would otherwise send the request to the default environment unnoticed.
 */
export function unknownVariableWarnings(env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith("CUSTKIT_") || KNOWN_VARIABLES.includes(name)) continue;
    const near = closestName(name, KNOWN_VARIABLES);
    warnings.push(
      `warning: ${name} is not a custkit variable and is ignored${near ? `; did you mean ${near}?` : ""}`,
    );
  }
  return warnings;
}

export interface ConfigSources {
  env: NodeJS.ProcessEnv;
  /** Path of a JSON file `{ "<provider>": { "<option>": "value" } }`. */
  credentialsFile?: string;
  /** `provider.option=value` pairs (non-secret options only). */
  flags?: string[];
  /** Extra values for one provider (from --base-url / --environment). */
  overrides?: Partial<Record<ProviderName, Record<string, string>>>;
}

function setOption(target: Record<string, unknown>, option: string, value: unknown): void {
  if (option.startsWith("serverVariables.")) {
    if (target.serverVariables === undefined) target.serverVariables = {};
    const vars = target.serverVariables as Record<string, unknown>;
    vars[option.slice("serverVariables.".length)] = value;
  } else {
    target[option] = value;
  }
}

function readCredentialsFile(file: string): Record<string, Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read --credentials-file ${file}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The file holds secrets: do not echo the parser's message (it quotes the text).
    throw new UsageError(`--credentials-file ${file} is not valid JSON`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError(`--credentials-file ${file} must hold an object keyed by provider`);
  }
  const byProvider: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(parsed))
    byProvider[providerNamed(key, `--credentials-file ${file}: `)] = value;
  return byProvider;
}

/** `unknown option "api_key" for align; did you mean "apiKey"? (options: …)` */
function unknownOption(where: string, provider: ProviderName, option: string): string {
  const names = PROVIDER_OPTIONS[provider].map((o) => o.option);
  // Variable-style spellings (api_key, API_KEY) are matched without their underscores.
  const near = closestName(option.replaceAll("_", ""), names);
  return `${where}: unknown option "${option}" for ${provider}${near ? `; did you mean "${near}"?` : ""} (options: ${names.join(", ")})`;
}

export interface ResolvedConfig {
  config: Record<string, unknown>;
  /** Missing credentials or required options, as messages naming the variables. */
  missing: string[];
}

/**
 * The `createCustomers` configuration of each provider. Precedence: flags, then the credentials
 * file, then the environment.
 */
export function resolveConfigs(
  providers: readonly ProviderName[],
  sources: ConfigSources,
): Record<ProviderName, ResolvedConfig> {
  const file = sources.credentialsFile ? readCredentialsFile(sources.credentialsFile) : {};
  const flagValues: Partial<Record<ProviderName, Record<string, string>>> = {};
  for (const pair of sources.flags ?? []) {
    const eq = pair.indexOf("=");
    const dot = pair.indexOf(".");
    if (eq < 0 || dot < 0 || dot > eq)
      throw new UsageError(`--config takes provider.option=value; got "${pair.split("=")[0]}"`);
    const provider = providerNamed(pair.slice(0, dot), "--config: ");
    const option = pair.slice(dot + 1, eq);
    const spec = PROVIDER_OPTIONS[provider].find((o) => o.option === option);
    if (!spec) throw new UsageError(unknownOption("--config", provider, option));
    if (spec.secret) {
      throw new UsageError(
        `--config: ${provider}.${option} is a secret; give it in ${envName(provider, option)} or --credentials-file, not on the command line`,
      );
    }
    const values = flagValues[provider] ?? {};
    values[option] = pair.slice(eq + 1);
    flagValues[provider] = values;
  }
  const out = {} as Record<ProviderName, ResolvedConfig>;
  for (const provider of providers) {
    const config: Record<string, unknown> = {};
    let baseUrlSource = "";
    const fromFile = file[provider] ?? {};
    for (const key of Object.keys(fromFile)) {
      if (
        !PROVIDER_OPTIONS[provider].some(
          (o) =>
            o.option === key || o.option === `serverVariables.${key}` || key === "serverVariables",
        )
      ) {
        throw new UsageError(unknownOption("--credentials-file", provider, key));
      }
    }
    for (const spec of PROVIDER_OPTIONS[provider]) {
      const fileValue = spec.option.startsWith("serverVariables.")
        ? (fromFile.serverVariables as Record<string, unknown> | undefined)?.[spec.option.slice(16)]
        : fromFile[spec.option];
      const sourced = sourceOf(provider, spec.option, [
        [flagValues[provider]?.[spec.option], `--config ${provider}.${spec.option}`],
        [sources.overrides?.[provider]?.[spec.option], OVERRIDE_FLAGS[spec.option] ?? ""],
        [fileValue === null ? undefined : fileValue, "--credentials-file"],
        [sources.env[envName(provider, spec.option)] || undefined, envName(provider, spec.option)],
      ]);
      if (sourced === undefined) continue;
      setOption(config, spec.option, spec.boolean ? booleanOf(sourced) : sourced.value);
      if (spec.option === "baseUrl") baseUrlSource = sourced.source;
    }
    if (
      typeof config.baseUrl === "string" &&
      isInsecureHttpUrl(config.baseUrl) &&
      config.allowInsecureHttp !== true
    ) {
      throw new UsageError(
        `${provider}: the base URL from ${baseUrlSource} is plain http:// to ${new URL(config.baseUrl).host}, which is not loopback: credentials and customer data would cross the network unencrypted. Use https://, or opt in with --allow-insecure-http (update) or ${envName(provider, "allowInsecureHttp")}=true`,
      );
    }
    const missing: string[] = [];
    const groups = AUTH_GROUPS[provider];
    if (!groups.some((g) => g.every((o) => config[o] !== undefined))) {
      missing.push(
        `${provider}: missing credentials: set ${groups.map((g) => g.map((o) => envName(provider, o)).join(" + ")).join(" or ")} (or use --credentials-file)`,
      );
    }
    for (const spec of PROVIDER_OPTIONS[provider]) {
      if (spec.required && config[spec.option] === undefined) {
        missing.push(
          `${provider}: missing ${spec.option}: set ${envName(provider, spec.option)} or --config ${provider}.${spec.option}=…`,
        );
      }
    }
    out[provider] = { config, missing };
  }
  return out;
}

/**
 * Builds the provider's client once from `config` (mapper options left out), so that a wrong
 * environment, base URL or credential is a ConfigurationError (exit 2) before anything is sent.
 */
export function checkClientConfig(provider: ProviderName, config: Record<string, unknown>): void {
  const mapperOptions = new Set<string>(
    PROVIDER_DEFINITIONS[provider].options.map((o) => o.option),
  );
  const options = Object.fromEntries(
    Object.entries(config).filter(([key]) => !mapperOptions.has(key)),
  );
  createApiClient(PROVIDER_DEFINITIONS[provider].client, options);
}

/** The flags `update` sets overrides from, to name them in messages. */
const OVERRIDE_FLAGS: Record<string, string> = {
  baseUrl: "--base-url",
  environment: "--environment",
  allowInsecureHttp: "--allow-insecure-http",
};

interface Sourced {
  value: unknown;
  /** Where the value came from, as the user wrote it: a flag, the file, a variable. */
  source: string;
  name: string;
}

/** The first given value, in precedence order, with where it came from. */
function sourceOf(
  provider: ProviderName,
  option: string,
  candidates: [unknown, string][],
): Sourced | undefined {
  for (const [value, source] of candidates)
    if (value !== undefined) return { value, source, name: `${provider}.${option}` };
  return undefined;
}

function booleanOf({ value, source, name }: Sourced): boolean {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new UsageError(`${name} (from ${source}) must be true or false`);
}

/**
 * A dry run's configuration: what is missing (credentials, required options such as Enfuce's
 * `auditUser` or LoanPro's `instanceId`) filled with placeholders, so a dry run needs no
 * configuration; `placeholders` names them, for the output to mark.
 */
export function withPlaceholders(
  provider: ProviderName,
  config: Record<string, unknown>,
): { config: Record<string, unknown>; placeholders: string[] } {
  const out = { ...config };
  const placeholders: string[] = [];
  const fill = (option: string) => {
    if (out[option] !== undefined) return;
    out[option] = `placeholder-${option}`;
    placeholders.push(option);
  };
  const groups = AUTH_GROUPS[provider];
  if (!groups.some((g) => g.every((o) => config[o] !== undefined)))
    for (const o of groups[0] ?? []) fill(o);
  for (const spec of PROVIDER_OPTIONS[provider]) if (spec.required) fill(spec.option);
  return { config: out, placeholders };
}

/** Where a provider's requests go: its named environment (none for an explicit base URL) and URL. */
export interface Endpoint {
  environment: string | undefined;
  baseUrl: string;
}

/** The endpoint a configuration selects (the client's own resolution; throws as the client would). */
export function endpointOf(provider: ProviderName, config: Record<string, unknown>): Endpoint {
  const definition = PROVIDER_DEFINITIONS[provider].client;
  return {
    environment:
      config.baseUrl === undefined
        ? ((config.environment as string | undefined) ?? definition.defaultEnvironment)
        : undefined,
    baseUrl: resolveBaseUrl(definition, config),
  };
}

/** The environments of a provider, the default first: `sandbox (default) https://…`. */
export function environmentsOf(
  provider: ProviderName,
): { name: string; url: string; default: boolean }[] {
  const definition = PROVIDER_DEFINITIONS[provider].client;
  return Object.entries(definition.environments)
    .map(([name, env]) => ({ name, url: env.url, default: name === definition.defaultEnvironment }))
    .sort((a, b) => Number(b.default) - Number(a.default));
}

/** The help text listing every environment variable. */
export function environmentHelp(): string {
  const lines = ["Environment variables (secrets only here or in --credentials-file):"];
  for (const p of PROVIDER_NAMES) {
    const vars = PROVIDER_OPTIONS[p].map(
      (o) => `${envName(p, o.option)}${o.secret ? " (secret)" : o.required ? " (required)" : ""}`,
    );
    lines.push(`  ${p}: ${vars.join(", ")}`);
  }
  return lines.join("\n");
}
