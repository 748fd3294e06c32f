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
