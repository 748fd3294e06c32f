/** The built `custkit` binary, run as a child process: help, providers, update, dry run, exit codes. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALIGN_ID, run, startServer, tempDir } from "./helpers.js";

const ALIGN_KEY = "planted-align-key-5f2e9c";
const NUWEB_TOKEN = "planted-nuweb-token-a81d3";
const PASSWORD = "planted-portal-password-77";

describe("--help", () => {
  for (const args of [
    ["--help"],
    ["providers", "--help"],
    ["update", "--help"],
    ["sync", "--help"],
    ["help", "sync"],
  ]) {
    it(`custkit ${args.join(" ")}`, async () => {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: custkit/);
      expect(r.stdout).toMatch(/Exit code/);
      expect(r.stdout).toMatch(/130\s+interrupted/);
    });
  }
  it("update --help documents the environment variables", async () => {
    const r = await run(["update", "--help"]);
    for (const name of [
      "CUSTKIT_ALIGN_API_KEY",
      "CUSTKIT_NUWEB_TOKEN",
      "CUSTKIT_LOANPRO_INSTANCE_ID",
      "CUSTKIT_ENFUCE_AUDIT_USER",
      "CUSTKIT_MAIA_BASE_URL",
    ]) {
      expect(r.stdout).toContain(name);
    }
  });
  it("no command is a usage error (exit 2)", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
  });
});

describe("providers", () => {
  it("prints every provider's capabilities", async () => {
    const r = await run(["providers"]);
    expect(r.code).toBe(0);
    for (const p of ["enfuce", "nuweb", "loanpro", "align", "maia"])
      expect(r.stdout).toContain(`${p} — operations:`);
    expect(r.stdout).toMatch(/name\.given\s+→ first_name/);
  });
  it("--json is parseable", async () => {
    const r = await run(["providers", "--json"]);
    const caps = JSON.parse(r.stdout) as {
      provider: string;
      fields: { field: string; supported: boolean }[];
    }[];
    expect(caps.map((c) => c.provider)).toEqual(["enfuce", "nuweb", "loanpro", "align", "maia"]);
    expect(
      caps.find((c) => c.provider === "maia")?.fields.find((f) => f.field === "maritalStatus")
        ?.supported,
    ).toBe(true);
  });
  it("an unknown provider is exit 2", async () => {
    const r = await run(["providers", "acme"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown provider "acme"');
  });
});

describe("update --dry-run", () => {
  it("prints the exact request with secrets redacted", async () => {
    const r = await run(
      [
        "update",
        "-p",
        "nuweb",
        "-i",
        "123",
        "--set",
        "name.full=Jane Doe",
        "--set",
        "phone=+447911123456",
        "--set",
        `portal.password=${PASSWORD}`,
        "--dry-run",
      ],
      { env: { CUSTKIT_NUWEB_TOKEN: NUWEB_TOKEN, CUSTKIT_NUWEB_COMPANY_ID: "7" } },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("POST https://api.nuwebgroup.com/v1/customers/update");
    expect(r.stdout).toMatch(/authorization: \[REDACTED\]/i);
    expect(r.stdout).toMatch(/x-nu-company-id: 7/i);
    expect(r.stdout).toContain('"phoneCode": 44');
    for (const secret of [NUWEB_TOKEN, PASSWORD]) expect(r.stdout + r.stderr).not.toContain(secret);
  });
  it("HTTP Basic credentials never show, in JSON either", async () => {
    const r = await run(
      [
        "update",
        "-p",
        "enfuce",
        "-i",
        "C-1",
        "--set",
        "kind=individual",
        "--set",
        "email=jane@example.com",
        "--dry-run",
        "--json",
      ],
      {
        env: {
          CUSTKIT_ENFUCE_USERNAME: "planted-user",
          CUSTKIT_ENFUCE_PASSWORD: "planted-enfuce-pass",
          CUSTKIT_ENFUCE_AUDIT_USER: "ops",
        },
      },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.requests[0].method).toBe("PATCH");
    expect(out.requests[0].url).toContain("/v3/PRIVATE/C-1?auditUser=ops");
    expect(out.requests[0].body).toEqual({ email: "jane@example.com" });
    expect(r.stdout + r.stderr).not.toContain("planted-enfuce-pass");
    expect(r.stdout + r.stderr).not.toContain(
      Buffer.from("planted-user:planted-enfuce-pass").toString("base64"),
    );
  });
  it("works without credentials (placeholders, redacted)", async () => {
    const r = await run([
      "update",
      "-p",
      "maia",
      "-i",
      "abc",
      "--set",
      "gender=female",
      "--dry-run",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("PUT ");
    expect(r.stdout).toContain('"gender": "female"');
  });
});

describe("update against a loopback server", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer((c) =>
      c.url.includes("missing") || c.url.includes("00000000-0000-4000-8000-000000000000")
        ? { status: 404, body: '{"message":"customer not found"}' }
        : undefined,
    );
  });
  afterAll(() => server.close());
  const env = () => ({ CUSTKIT_ALIGN_API_KEY: ALIGN_KEY, CUSTKIT_ALIGN_BASE_URL: server.url });

  it("sends the mapped request and reports success", async () => {
    const before = server.requests.length;
    const r = await run(
      [
        "update",
        "-p",
        "align",
        "-i",
        ALIGN_ID,
        "--set",
        "kind=individual",
        "--set",
        "name.given=Jane",
        "--set",
        "name.family=Doe",
        "--set",
        "birthDate=1990-01-31",
      ],
      { env: env() },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`✓ align: customer ${ALIGN_ID} updated (1 request)`);
    const req = server.requests[before];
    expect(req?.method).toBe("PUT");
    expect(req?.url).toBe(`/v0/customers/${ALIGN_ID}`);
    expect(req?.headers["api-key"]).toBe(ALIGN_KEY);
    expect(JSON.parse(req?.body ?? "")).toEqual({
      first_name: "Jane",
      last_name: "Doe",
      birth_date: "1990-01-31",
    });
    expect(r.stdout + r.stderr).not.toContain(ALIGN_KEY);
  });

  it("reads the patch from stdin; --json output parses", async () => {
    const r = await run(["update", "-p", "align", "-i", ALIGN_ID, "--json"], {
      env: env(),
      input: '{"kind":"individual","occupation":"Engineer"}',
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.result.written).toEqual(["kind", "occupation"]);
  });

  it("reads --patch file.json and applies --set on top", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "patch.json");
    await writeFile(
      file,
      JSON.stringify({ kind: "individual", name: { given: "Ann", family: "Lee" } }),
    );
    const before = server.requests.length;
    const r = await run(
      ["update", "-p", "align", "-i", ALIGN_ID, "--patch", file, "--set", "name.given=Anna"],
      { env: env() },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(server.requests[before]?.body ?? "")).toEqual({
      first_name: "Anna",
      last_name: "Lee",
    });
  });

  it("exit 1 on a vendor error, with the error's kind", async () => {
    const r = await run(
      [
        "update",
        "-p",
        "align",
        "-i",
        "00000000-0000-4000-8000-000000000000",
        "--set",
        "occupation=Engineer",
        "--json",
      ],
      { env: env() },
    );
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.error).toMatchObject({ kind: "not_found", status: 404, provider: "align" });
    const human = await run(
      [
        "update",
        "-p",
        "align",
        "-i",
        "00000000-0000-4000-8000-000000000000",
        "--set",
        "occupation=Engineer",
      ],
      { env: env() },
    );
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/not_found/);
  });

  it("exit 1 on a network failure", async () => {
    const r = await run(
      [
        "update",
        "-p",
        "align",
        "-i",
        ALIGN_ID,
        "--set",
        "occupation=Engineer",
        "--timeout",
        "5000",
      ],
      {
        env: { CUSTKIT_ALIGN_API_KEY: ALIGN_KEY, CUSTKIT_ALIGN_BASE_URL: "http://127.0.0.1:9" },
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/network/);
  });

  it("exit 3 when the provider cannot take a field; nothing is sent", async () => {
    const before = server.count();
    const r = await run(
      ["update", "-p", "align", "-i", ALIGN_ID, "--set", "email=jane@example.com"],
      { env: env() },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unsupported: .*email/);
    expect(server.count()).toBe(before);
  });

  it("exit 3 on an invalid value (validation)", async () => {
    const r = await run(
      ["update", "-p", "align", "-i", "not-a-uuid", "--set", "occupation=Engineer", "--json"],
      { env: env() },
    );
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.kind).toBe("validation");
  });

  it("exit 2 on usage errors: unknown path, missing credentials, secret on the command line", async () => {
    const unknown = await run(["update", "-p", "align", "-i", ALIGN_ID, "--set", "name.nick=J"], {
      env: env(),
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown field path "name.nick"');
    const missing = await run(["update", "-p", "align", "-i", ALIGN_ID, "--set", "occupation=x"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("CUSTKIT_ALIGN_API_KEY");
    const secret = await run(
      [
        "update",
        "-p",
        "align",
        "-i",
        ALIGN_ID,
        "--set",
        "occupation=x",
        "--config",
        "align.apiKey=abc",
      ],
      { env: env() },
    );
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain("is a secret");
    const badProvider = await run(["update", "-p", "acme", "-i", "1", "--set", "email=x"]);
    expect(badProvider.code).toBe(2);
  });

  it("exit 2 on a configuration error: a bad base URL or environment, kind configuration", async () => {
    for (const extra of [
      ["--base-url", "ftp://example.test"],
      ["--environment", "prod"],
    ]) {
      const r = await run(
        ["update", "-p", "align", "-i", ALIGN_ID, "--set", "occupation=x", "--json", ...extra],
        { env: { CUSTKIT_ALIGN_API_KEY: ALIGN_KEY } },
      );
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stdout).error).toMatchObject({
        kind: "configuration",
        provider: "align",
      });
    }
  });

  it("reads credentials from --credentials-file", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "creds.json");
    await writeFile(file, JSON.stringify({ align: { apiKey: ALIGN_KEY, baseUrl: server.url } }));
    const before = server.requests.length;
    const r = await run([
      "update",
      "-p",
      "align",
      "-i",
      ALIGN_ID,
      "--set",
      "occupation=Pilot",
      "--credentials-file",
      file,
    ]);
    expect(r.code).toBe(0);
    expect(server.requests[before]?.headers["api-key"]).toBe(ALIGN_KEY);
  });
});

describe("credentials stay on the configured origin", () => {
  const update = ["update", "-p", "align", "-i", ALIGN_ID, "--set", "occupation=Engineer"];

  it("a plain-http base URL to a non-loopback host is refused (exit 2), naming its source and the opt-in", async () => {
    // vendor.invalid never resolves: had anything been sent, this would be a network failure (exit 1).
    const flag = await run([...update, "--base-url", "http://vendor.invalid/v0"], {
      env: { CUSTKIT_ALIGN_API_KEY: ALIGN_KEY },
    });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(
      "align: the base URL from --base-url is plain http:// to vendor.invalid, which is not loopback",
    );
    expect(flag.stderr).toContain("--allow-insecure-http");
    expect(flag.stderr).toContain("CUSTKIT_ALIGN_ALLOW_INSECURE_HTTP=true");
    const env = await run([...update, "--json"], {
      env: { CUSTKIT_ALIGN_API_KEY: ALIGN_KEY, CUSTKIT_ALIGN_BASE_URL: "http://vendor.invalid" },
    });
    expect(env.code).toBe(2);
    expect(JSON.parse(env.stdout).error.message).toContain("from CUSTKIT_ALIGN_BASE_URL is plain");
    for (const r of [flag, env]) expect(r.stdout + r.stderr).not.toContain(ALIGN_KEY);
  });

  it("the opt-in, by flag or environment variable, lets it through; a bad value is a usage error", async () => {
    const base = ["--base-url", "http://vendor.invalid", "--dry-run", "--json"];
    const byFlag = await run([...update, ...base, "--allow-insecure-http"]);
    expect(byFlag.code).toBe(0);
    expect(JSON.parse(byFlag.stdout).requests[0].url).toMatch(/^http:\/\/vendor\.invalid\//);
    const byEnv = await run([...update, ...base], {
      env: { CUSTKIT_ALIGN_ALLOW_INSECURE_HTTP: "true" },
    });
    expect(byEnv.code).toBe(0);
    const bad = await run([...update, ...base], {
      env: { CUSTKIT_ALIGN_ALLOW_INSECURE_HTTP: "yes" },
    });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.message).toBe(
      "align.allowInsecureHttp (from CUSTKIT_ALIGN_ALLOW_INSECURE_HTTP) must be true or false",
    );
  });

  it("a redirect to another origin is a failure (exit 1, kind redirect); the other origin receives nothing", async () => {
    const other = await startServer();
    const vendor = await startServer(() => ({
      status: 302,
      headers: { location: `${other.url}/v0/customers/${ALIGN_ID}` },
    }));
    try {
      const r = await run([...update, "--json"], {
        env: { CUSTKIT_ALIGN_API_KEY: ALIGN_KEY, CUSTKIT_ALIGN_BASE_URL: vendor.url },
      });
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).error).toMatchObject({
        kind: "redirect",
        status: 302,
        targetOrigin: other.url,
        sameOrigin: false,
      });
      expect(r.stdout + r.stderr).not.toContain(ALIGN_KEY);
      expect(vendor.count()).toBe(1);
      expect(other.count()).toBe(0);
    } finally {
      await vendor.close();
      await other.close();
    }
  });
});
