/**
 * `--rate align=50` (or `align=50/10`, with a burst): requests per second per provider, as the
 * clients' `rateLimit` option.
 */
import type { ProviderName } from "@custkit/customers";
import type { RateLimitOptions } from "@custkit/runtime";
import { providerNamed } from "./config.js";
import { UsageError } from "./errors.js";

export function parseRates(
  values: readonly string[],
  providers: readonly ProviderName[],
): Partial<Record<ProviderName, RateLimitOptions>> {
  const rates: Partial<Record<ProviderName, RateLimitOptions>> = {};
  for (const value of values) {
    const match = /^([A-Za-z]+)=(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(value.trim());
    if (!match)
      throw new UsageError(
        `--rate takes provider=perSecond[/burst], e.g. --rate align=50; got "${value}"`,
      );
    const [, name, perSecond, burst] = match as unknown as [string, string, string, string?];
    const provider = providerNamed(name, "--rate: ");
    if (!providers.includes(provider))
      throw new UsageError(`--rate ${provider}: not among --providers ${providers.join(",")}`);
    if (!(Number(perSecond) > 0)) throw new UsageError(`--rate ${provider}: must be above 0`);
    if (burst !== undefined && !(Number(burst) >= 1))
      throw new UsageError(`--rate ${provider}: the burst must be at least 1`);
    rates[provider] = {
      perSecond: Number(perSecond),
      ...(burst !== undefined ? { burst: Number(burst) } : {}),
    };
  }
  return rates;
}
