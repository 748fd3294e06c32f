/**
 * Errors and output that teach (issue 16), on the built binary: each refusal names field, provider,
 * reason and value once and suggests the fix; unambiguous input is normalised and reported; ids
 * are ids; typos in names, options and variables get the nearest valid name; a dry run needs no
 * configuration; output says where the request went, the attempts, waits and the vendor's wait.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALIGN_ID, run, startServer, tempDir } from "./helpers.js";

const ALIGN_KEY = "planted-align-key-teach";
const count = (text: string, word: string) => text.split(word).length - 1;

describe("refusals", () => {
  it("each field once, with provider, reason, value and the likely fix (exit 3)", async () => {
    const r = await run([
      "update",
      "-p",
      "nuweb",
      "-i",
      "1",
      "--set",
      "nationality=XX",
      "--set",
      "gender=Female",
      "--dry-run",
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      [
        "✗ validation: nuweb refused 2 fields, nothing was sent:",
        '  - nationality "XX": must be an ISO 3166-1 alpha-2 country code',
        '  - gender "Female": must be one of female, male, unknown (did you mean "female"?)',
        "",
      ].join("\n"),
    );
    expect(count(r.stderr, "nationality")).toBe(1);
  });

  it("an id is reported as an id, with its value", async () => {
    const r = await run(["update", "-p", "align", "-i", "1", "--set", "occupation=x", "--dry-run"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('align: id "1": must be a UUID');
    expect(r.stderr).not.toMatch(/field/);
  });

  it("a secret field's value is never shown", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "patch.json");
    await writeFile(
      file,
      JSON.stringify({ taxNumber: { number: "planted-tax-77", issuingCountry: "ZZ" } }),
    );
    const r = await run([
      "update",
      "-p",
      "nuweb",
      "-i",
      "1",
      "--patch",
      file,
      "--dry-run",
      "--json",
    ]);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.fieldErrors[0]).toMatchObject({ field: "taxNumber" });
    expect(r.stdout + r.stderr).not.toContain("planted-tax-77");
  });

  it("--set: the nearest field path, whole objects and JSON lists (exit 2)", async () => {
    const cases: [string, string][] = [
      ["birthdate=1990-01-31", 'unknown field path "birthdate"; did you mean "birthDate"?'],
      [
        "taxNumber.number=123",
        "taxNumber is set as a whole object, not by part; a whole JSON object: --set taxNumber='{",
      ],
      [
        "address.lines=1 Main St",
        `--set address.lines takes a JSON list: --set address.lines='["1 Main St"]'`,
      ],
    ];
    for (const [set, hint] of cases) {
      const r = await run(["update", "-p", "align", "-i", ALIGN_ID, "--set", set, "--dry-run"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(hint);
    }
  });

  it("an unknown field in --patch or on stdin gets the same nearest path as --set", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "patch.json");
    const cases: [Record<string, unknown>, string, string][] = [
      [{ birthdate: "1990-01-31" }, "birthdate=1990-01-31", "birthDate"],
      [{ name: { Given: "Jane" } }, "name.Given=Jane", "name.given"],
      [{ adress: { city: "Austin" } }, "adress.city=Austin", "address"],
    ];
    for (const [patch, set, near] of cases) {
      const fromSet = await run(["update", "-p", "nuweb", "-i", "1", "--set", set, "--dry-run"]);
      expect(fromSet.stderr).toMatch(new RegExp(`did you mean "${near}(\\.city)?"\\?`));
      await writeFile(file, JSON.stringify(patch));
      const fromFile = await run([
        "update",
        "-p",
        "nuweb",
        "-i",
        "1",
        "--patch",
        file,
        "--dry-run",
      ]);
      const fromStdin = await run(["update", "-p", "nuweb", "-i", "1", "--dry-run"], {
        input: JSON.stringify(patch),
      });
      for (const r of [fromFile, fromStdin]) {
        expect(r.code).toBe(3);
        expect(r.stderr).toContain(`not a field of the customer model (did you mean ${near}?)`);
      }
    }
  });

  it("provider names in any case; a typo gets the nearest name", async () => {
    const upper = await run([
      "update",
      "-p",
      "Align",
      "-i",
      ALIGN_ID,
      "--set",
      "occupation=x",
      "--dry-run",
    ]);
    expect(upper.code).toBe(0);
    expect(upper.stdout).toContain("dry run: align");
    const typo = await run(["providers", "alin"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown provider "alin"; did you mean "align"?');
  });

  it("a credentials file option in another spelling: the valid names", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "creds.json");
    await writeFile(file, JSON.stringify({ align: { api_key: ALIGN_KEY } }));
    const r = await run([
      "update",
      "-p",
      "align",
      "-i",
      ALIGN_ID,
      "--set",
      "occupation=x",
      "--credentials-file",
      file,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown option "api_key" for align; did you mean "apiKey"? (options: apiKey, baseUrl, allowInsecureHttp, environment',
    );
    expect(r.stderr).not.toContain(ALIGN_KEY);
  });

  it("an unknown CUSTKIT_* variable is warned about with the nearest valid name", async () => {
    const r = await run(
      ["update", "-p", "align", "-i", ALIGN_ID, "--set", "occupation=x", "--dry-run"],
      {
        env: { CUSTKIT_ALIGN_BASEURL: "http://127.0.0.1:9" },
      },
    );
    expect(r.stderr).toContain(
      "warning: CUSTKIT_ALIGN_BASEURL is not a custkit variable and is ignored; did you mean CUSTKIT_ALIGN_BASE_URL?",
    );
    // …and the output says where the request would have gone.
    expect(r.stdout).toContain("to environment sandbox (https://api-sandbox.alignlabs.dev)");
  });
});

describe("normalisation", () => {
  it("an international phone and a lower-case country are normalised and reported", async () => {
    const args = [
      "update",
      "-p",
      "enfuce",
      "-i",
      "C-1",
      "--set",
      "kind=individual",
      "--set",
      "phone=+44 7911 123456",
      "--set",
      "nationality=gb",
      "--dry-run",
    ];
    const human = await run(args);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('normalized: phone "+44 7911 123456" → "+447911123456"');
    expect(human.stdout).toContain('normalized: nationality "gb" → "GB"');
    const json = JSON.parse((await run([...args, "--json"])).stdout);
    expect(json.requests[0].body).toEqual({ mobileNumber: "+447911123456", nationality: "GBR" });
    expect(json.normalized).toEqual([
      { field: "nationality", from: "gb", to: "GB" },
      { field: "phone", from: "+44 7911 123456", to: "+447911123456" },
    ]);
  });
});

describe("dry run without configuration", () => {
  it.each([
    [
      "enfuce",
      "C-1",
      ["kind=individual", "email=jane@example.com"],
      "username, password, auditUser",
    ],
    ["loanpro", "42", ["email=jane@example.com"], "token, instanceId"],
  ])("%s: placeholders, marked as such", async (provider, id, sets, placeholders) => {
    const r = await run([
      "update",
      "-p",
      provider,
      "-i",
      id,
      ...sets.flatMap((s) => ["--set", s]),
      "--dry-run",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `placeholders (not configured, shown as placeholder-<option>): ${placeholders}`,
    );
  });
});

describe("providers", () => {
  it("shows environments, formats and enum values, with counts that agree", async () => {
    const r = await run(["providers", "align"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("sandbox (default)  https://api-sandbox.alignlabs.dev");
    expect(r.stdout).toMatch(/birthDate\s+→ birth_date {2}\[ISO date \(YYYY-MM-DD\)\]/);
    expect(r.stdout).toMatch(/kind\s+→ .*\[one of individual, business\]/);
    const [, supported, total] = /fields \((\d+) of (\d+) model fields/.exec(r.stdout) ?? [];
    const [, unsupported] = /not supported \((\d+)\)/.exec(r.stdout) ?? [];
    expect(Number(supported) + Number(unsupported)).toBe(Number(total));
    const json = JSON.parse((await run(["providers", "align", "--json"])).stdout)[0];
    expect(json.environments[0]).toEqual({
      name: "sandbox",
      url: "https://api-sandbox.alignlabs.dev",
      default: true,
    });
    expect(json.fields.find((f: { field: string }) => f.field === "nationality").format).toBe(
      "ISO 3166-1 alpha-2 country code",
    );
  });
});

describe("update output: where, attempts, waits", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let script: { status: number; body?: string; headers?: Record<string, string> }[] = [];
  beforeAll(async () => {
    server = await startServer(() => script.shift());
  });
  afterAll(() => server.close());
  const env = () => ({ CUSTKIT_ALIGN_API_KEY: ALIGN_KEY, CUSTKIT_ALIGN_BASE_URL: server.url });
  const update = ["update", "-p", "align", "-i", ALIGN_ID, "--set", "occupation=Pilot"];

  it("a retried update says attempts, the wait, and the base URL", async () => {
    script = [{ status: 503, body: "{}", headers: { "retry-after": "1" } }];
    const r = await run(update, { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `updated (1 request; 2 attempts, waited 1.0 s; vendor asked for 1 s)`,
    );
    expect(r.stdout).toContain(`to base URL ${server.url}`);
  });

  it("a 429 asking for longer than custkit waits says what the vendor asked for", async () => {
    script = [{ status: 429, body: '{"message":"slow down"}', headers: { "retry-after": "120" } }];
    const r = await run(update, { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the vendor asked to wait 120 s before retrying");
    expect(r.stderr).toContain(`to base URL ${server.url}: 1 attempt; vendor asked for 120 s`);
  });
});
