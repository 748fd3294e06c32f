/**
 * The core entry (`@custkit/customers/core` + `@custkit/customers/<p>`) and the main entry built
 * on it: same behaviour, and a bundle of the core with one provider holds only that provider.
 */
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { align, alignProvider } from "../src/align.js";
import { capabilitiesOf, createCustomers as createCore } from "../src/core.js";
import { enfuce } from "../src/enfuce.js";
import { capabilities, createCustomers } from "../src/index.js";
import { maia } from "../src/maia.js";
import { nuweb } from "../src/nuweb.js";
import { IDS } from "./helpers.js";

let server: Server;
let base = "";
let lastUrl = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    lastUrl = req.url ?? "";
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        req.url?.startsWith("/customers/") ? JSON.stringify({ id: 9, gender: "female" }) : "{}",
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("core entry", () => {
  it("updates through a provider binding", async () => {
    const customers = createCore({
      providers: {
        align: align({ apiKey: "k", baseUrl: base }),
        maia: maia({ token: "t", baseUrl: base }),
      },
    });
    expect(customers.providers).toEqual(["align", "maia"]);
    const a = await customers.update("align", IDS.align, { name: { given: "Ana" } });
    expect(a).toMatchObject({ provider: "align", written: ["name.given"], requests: 1 });
    expect(lastUrl).toBe(`/v0/customers/${IDS.align}`);
    const m = await customers.update("maia", "9", { gender: "female" });
    expect(m.customer).toEqual({ id: "9", gender: "female" });
  });

  it("plans exactly as the main entry does", () => {
    const patch = {
      kind: "individual",
      name: { given: "Ana", family: "Diaz" },
      birthDate: "1990-01-31",
    } as const;
    const core = createCore({ providers: { align: align({ apiKey: "k" }) } });
    const main = createCustomers({ providers: { align: { apiKey: "k" } } });
    expect(core.plan("align", IDS.align, patch)).toEqual(main.plan("align", IDS.align, patch));
    expect(core.capabilities("align")).toEqual(capabilities("align"));
    expect(capabilitiesOf(alignProvider)).toEqual(capabilities("align"));
  });

  it("types the configured providers only", () => {
    const customers = createCore({ providers: { align: align({ apiKey: "k" }) } });
    expectTypeOf(customers.providers).toEqualTypeOf<readonly "align"[]>();
    // @ts-expect-error maia is not configured
    expect(() => customers.plan("maia", "1", {})).toThrow(/maia is not configured/);
  });

  it("refuses plain options and mismatched bindings", () => {
    expect(() => createCore({ providers: { align: { apiKey: "k" } as never } })).toThrow(
      /providers\.align must be configured with its provider function/,
    );
    expect(() => createCore({ providers: { maia: align({ apiKey: "k" }) as never } })).toThrow(
      /providers\.maia holds the align provider/,
    );
  });

  it("checks a provider's configuration when it is bound", () => {
    expect(() => enfuce({ token: "t" } as never)).toThrow(/enfuce: auditUser is required/);
    expect(() => createCustomers({ providers: { enfuce: { token: "t" } as never } })).toThrow(
      /enfuce: auditUser is required/,
    );
    expect(() => nuweb({ token: "t" })).not.toThrow();
  });
});

describe("tree-shaking", () => {
  const src = fileURLToPath(new URL("../src/", import.meta.url));
  const inputsOf = async (code: string) => {
    const r = await build({
      stdin: { contents: code, resolveDir: src, loader: "ts" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    return Object.keys(Object.values(r.metafile.outputs)[0]?.inputs ?? {}).join("\n");
  };

  it("core + align holds no other provider, no phone or country library", async () => {
    const inputs = await inputsOf(
      'import { createCustomers } from "./core.js"; import { align } from "./align.js"; export const c = createCustomers({ providers: { align: align({ apiKey: "k" }) } });',
    );
    expect(inputs).toContain("providers/align.ts");
    for (const other of ["enfuce", "nuweb", "loanpro", "maia"]) {
      expect(inputs).not.toContain(`providers/${other}.ts`);
      expect(inputs).not.toContain(`packages/${other}/`);
    }
    expect(inputs).not.toContain("libphonenumber-js");
    expect(inputs).not.toContain("i18n-iso-countries");
  });

  it("enfuce takes only the country library's code table", async () => {
    const inputs = await inputsOf(
      'export { enfuce } from "./enfuce.js"; export { createCustomers } from "./core.js";',
    );
    expect(inputs).toContain("providers/enfuce.ts");
    expect(inputs).toContain("i18n-iso-countries/codes.json");
    expect(inputs).not.toContain("i18n-iso-countries/index.js");
    expect(inputs).not.toContain("langs/");
  });

  it("phone parsing comes only with the providers that take a phone", async () => {
    const withNuweb = await inputsOf(
      'export { nuweb } from "./nuweb.js"; export { createCustomers } from "./core.js";',
    );
    expect(withNuweb).toContain("libphonenumber-js");
    const withMaia = await inputsOf(
      'export { maia } from "./maia.js"; export { createCustomers } from "./core.js";',
    );
    expect(withMaia).not.toContain("libphonenumber-js");
    expect(withMaia).toContain("i18n-iso-countries/langs/en.json");
    expect(withMaia).not.toContain("i18n-iso-countries/langs/de.json");
    // Names only: not the library's code tables nor its diacritics map.
    expect(withMaia).not.toContain("i18n-iso-countries/codes.json");
    expect(withMaia).not.toContain("diacritics");
  });
});

describe("country codes", () => {
  it("the validator's alpha-2 list is i18n-iso-countries' list", async () => {
    const { ALPHA2_CODES } = await import("../src/country-codes.js");
    const countries = (await import("i18n-iso-countries/index.js")).default;
    expect([...ALPHA2_CODES].sort()).toEqual(Object.keys(countries.getAlpha2Codes()).sort());
  });

  it("alpha-3 codes convert as i18n-iso-countries converts them", async () => {
    const { fromAlpha3, toAlpha3 } = await import("../src/countries.js");
    const countries = (await import("i18n-iso-countries/index.js")).default;
    for (const alpha2 of Object.keys(countries.getAlpha2Codes())) {
      const alpha3 = countries.alpha2ToAlpha3(alpha2) as string;
      expect(toAlpha3(alpha2)).toBe(alpha3);
      expect(fromAlpha3(alpha3)).toBe(alpha2);
    }
    expect(toAlpha3("ZZ")).toBeUndefined();
    expect(fromAlpha3("gbr")).toBeUndefined();
    expect(fromAlpha3("toString")).toBeUndefined();
  });

  it("English names convert as i18n-iso-countries converts them", async () => {
    const { countryFromName, countryName } = await import("../src/country-names.js");
    const countries = (await import("i18n-iso-countries/index.js")).default;
    countries.registerLocale((await import("i18n-iso-countries/langs/en.json")).default);
    const all = countries.getNames("en", { select: "all" });
    for (const code of Object.keys(countries.getAlpha2Codes())) {
      expect(countryName(code)).toBe(countries.getName(code, "en", { select: "official" }));
      for (const name of all[code] ?? []) {
        for (const asked of [name, name.toUpperCase(), name.toLowerCase()])
          expect(countryFromName(asked), asked).toBe(countries.getAlpha2Code(asked, "en"));
      }
    }
    expect(countryName("ZZ")).toBeUndefined();
    expect(countryFromName("Atlantis")).toBeUndefined();
    expect(countryFromName("toString")).toBeUndefined();
  });
});
