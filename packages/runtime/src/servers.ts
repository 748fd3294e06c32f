/** The base URL of a client: an explicit `baseUrl`, or a spec environment with its variables. */
import { misconfigured } from "./invalid.js";
import type { ApiDefinition, BaseClientOptions } from "./types.js";

const SAFE_SERVER_VALUE = /^[A-Za-z0-9](?:[A-Za-z0-9._~-]*[A-Za-z0-9_~-])?$/;

/** The base URL from `baseUrl`, or the environment's server URL with its variables filled in. */
export function resolveBaseUrl(definition: ApiDefinition, options: BaseClientOptions): string {
  const { provider } = definition;
  if (options.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw misconfigured(provider, `option "baseUrl" is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw misconfigured(provider, `option "baseUrl" must be an http(s) URL`);
    }
    if (url.search || url.hash)
      throw misconfigured(provider, `option "baseUrl" must not have a query or fragment`);
    return options.baseUrl.replace(/\/+$/, "");
  }
  const names = Object.keys(definition.environments);
  const envName = options.environment ?? definition.defaultEnvironment;
  const env = Object.hasOwn(definition.environments, envName)
    ? definition.environments[envName]
    : undefined;
  if (!env) {
    throw misconfigured(
      provider,
      `option "environment" must be one of ${names.map((n) => `"${n}"`).join(", ")}; got "${envName}"`,
    );
  }
  const declared = env.variables ?? {};
  const given = options.serverVariables ?? {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) {
      throw misconfigured(
        provider,
        `option "serverVariables.${name}" is not a variable of environment "${envName}"`,
      );
    }
  }
  const url = env.url.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const variable = declared[name];
    if (!variable)
      throw misconfigured(
        provider,
        `environment "${envName}" uses undeclared server variable "${name}"`,
      );
    const raw = (given as Record<string, unknown>)[name];
    const value = raw === undefined ? variable.default : raw;
    if (typeof value !== "string")
      throw misconfigured(provider, `option "serverVariables.${name}" must be a string`);
    if (variable.enum && !variable.enum.includes(value)) {
      throw misconfigured(
        provider,
        `option "serverVariables.${name}" must be one of ${variable.enum.map((v) => `"${v}"`).join(", ")}; got "${value}"`,
      );
    }
    if (!SAFE_SERVER_VALUE.test(value)) {
      throw misconfigured(
        provider,
        `option "serverVariables.${name}" may only hold letters, digits, ".", "_", "~" and "-"`,
      );
    }
    return encodeURIComponent(value);
  });
  return url.replace(/\/+$/, "");
}

/**
 * Whether `url` is plain `http:` to a host other than loopback (127.0.0.0/8, [::1], localhost):
 * what a client refuses unless `allowInsecureHttp` is set. WHATWG URL parsing has already
 * normalised the host (`127.1`, `0x7f.0.0.1` → `127.0.0.1`), so the check sees the real address.
 */
export function isInsecureHttpUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:") return false;
  const host = parsed.hostname;
  return !(host === "localhost" || host === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(host));
}

/**
 * Refuses, before anything is sent, a client whose credentials and customer data would cross the
 * network in clear text: plain `http:` to a host that is not loopback, unless opted in.
 */
export function checkPlainHttp(
  definition: ApiDefinition,
  options: BaseClientOptions,
  baseUrl: string,
): void {
  const { provider } = definition;
  const optIn = options.allowInsecureHttp;
  if (optIn !== undefined && typeof optIn !== "boolean")
    throw misconfigured(provider, `option "allowInsecureHttp" must be true or false`);
  if (optIn === true || !isInsecureHttpUrl(baseUrl)) return;
  const source =
    options.baseUrl !== undefined
      ? `option "baseUrl"`
      : `environment "${options.environment ?? definition.defaultEnvironment}"`;
  throw misconfigured(
    provider,
    `${source} is plain http:// to ${new URL(baseUrl).host}, which is not loopback: credentials and customer data would cross the network unencrypted. Use https://, or set allowInsecureHttp: true to send in clear text anyway`,
  );
}
