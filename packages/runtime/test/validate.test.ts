/**
 * The constraint interpreter on its own: every check the generated tables can ask for, the message
 * and code each failure carries, the field path it names, and which values count as sensitive.
 */
import { describe, expect, test } from "vitest";
import { type Schema, sensitiveValues, validateValue } from "../src/validate.js";

const check = (schema: Schema, value: unknown, lenient = false) =>
  validateValue(schema, value, "body", [], lenient);
const reasons = (schema: Schema, value: unknown) =>
  check(schema, value).map((e) => `${e.field} ${e.code}: ${e.reason}`);

describe("types", () => {
  test("a mismatch names the expected type with its article; nothing else is checked", () => {
    expect(reasons({ t: "string", mx: 1 }, 5)).toEqual(["body type: must be a string"]);
    expect(reasons({ t: "integer" }, 1.5)).toEqual(["body type: must be an integer"]);
    expect(reasons({ t: "object" }, [])).toEqual(["body type: must be an object"]);
    expect(reasons({ t: "array" }, {})).toEqual(["body type: must be an array"]);
    expect(reasons({ t: ["string", "number"] }, true)).toEqual([
      "body type: must be a string or number",
    ]);
  });

  test("an integer is a number; absent type accepts anything", () => {
    expect(check({ t: "number" }, 3)).toEqual([]);
    expect(check({ t: ["string", "number"] }, 3)).toEqual([]);
    expect(check({ t: "integer" }, 3)).toEqual([]);
    expect(check({}, Symbol.iterator)).toEqual([]);
  });

  test("null: refused unless nullable or untyped", () => {
    expect(reasons({ t: "string" }, null)).toEqual(["body type: must not be null"]);
    expect(check({ t: "string", n: 1 }, null)).toEqual([]);
    expect(check({ e: ["a"] }, null)).toEqual([]);
  });

  test("parameters are lenient: numeric and boolean text counts as numbers and booleans", () => {
    expect(check({ t: "integer", hi: 10 }, "7", true)).toEqual([]);
    expect(check({ t: "number" }, "-1.5", true)).toEqual([]);
    expect(check({ t: "boolean" }, "false", true)).toEqual([]);
    expect(check({ t: "integer" }, "7")).toHaveLength(1);
    expect(check({ t: "integer" }, "7x", true)).toHaveLength(1);
    expect(check({ t: "integer", hi: 10 }, "11", true).map((e) => e.code)).toEqual(["maximum"]);
    // A string-typed parameter stays a string.
    expect(check({ t: "string", mn: 2 }, "7", true).map((e) => e.code)).toEqual(["minLength"]);
  });
});

describe("scalars", () => {
  test("enum", () => {
    expect(reasons({ t: "string", e: ["a", "b"] }, "c")).toEqual([
      "body enum: must be one of the allowed values",
    ]);
    expect(check({ e: [1, "a"] }, 1)).toEqual([]);
  });

  test("lengths count code points, not UTF-16 units", () => {
    expect(check({ t: "string", mx: 3 }, "😀😀😀")).toEqual([]);
    expect(reasons({ t: "string", mx: 3 }, "abcd")).toEqual([
      "body maxLength: must be at most 3 characters",
    ]);
    expect(reasons({ t: "string", mn: 2 }, "😀")).toEqual([
      "body minLength: must be at least 2 characters",
    ]);
    expect(check({ t: "string", mn: 2 }, "😀😀")).toEqual([]);
    expect(check({ t: "string", mn: 1 }, "")).toHaveLength(1);
    // A lone surrogate is one character.
    expect(check({ t: "string", mx: 2 }, "\ud800a")).toEqual([]);
  });

  test("pattern in unicode mode; an invalid pattern checks nothing", () => {
    expect(reasons({ t: "string", p: "^[A-Z]{2}$" }, "usa")).toEqual([
      "body pattern: does not match the required pattern",
    ]);
    expect(check({ p: "^.$" }, "😀")).toEqual([]);
    expect(check({ p: "(" }, "x")).toEqual([]);
  });

  test("formats: date, date-time, email, uuid; others unchecked", () => {
    const f = (format: string, v: string) => check({ t: "string", f: format }, v).length === 0;
    expect(f("date", "2024-02-29")).toBe(true);
    expect(f("date", "2023-02-29")).toBe(false);
    expect(f("date", "2024-13-01")).toBe(false);
    expect(f("date", "2024-00-10")).toBe(false);
    expect(f("date", "2024-01-00")).toBe(false);
    expect(f("date", "2024-1-01")).toBe(false);
    expect(f("date-time", "2024-02-29T23:59:60.5+01:00")).toBe(true);
    expect(f("date-time", "2024-02-29 10:00:00Z")).toBe(true);
    expect(f("date-time", "2024-02-30T10:00:00Z")).toBe(false);
    expect(f("date-time", "2024-02-29T24:00:00Z")).toBe(false);
    expect(f("date-time", "2024-02-29T10:00:00")).toBe(false);
    expect(f("email", "a.b@example.com")).toBe(true);
    expect(f("email", "a b@example.com")).toBe(false);
    expect(f("email", "ab@example")).toBe(false);
    expect(f("uuid", "123e4567-E89B-12d3-a456-426614174000")).toBe(true);
    expect(f("uuid", "123e4567e89b12d3a456426614174000")).toBe(false);
    expect(f("int32", "anything")).toBe(true);
    expect(reasons({ t: "string", f: "uuid" }, "x")).toEqual(["body format: must be a valid uuid"]);
  });

  test("minimum and maximum", () => {
    expect(reasons({ t: "number", lo: 1, hi: 5 }, 0)).toEqual(["body minimum: must be at least 1"]);
    expect(reasons({ t: "number", lo: 1, hi: 5 }, 5.5)).toEqual([
      "body maximum: must be at most 5",
    ]);
    expect(check({ t: "number", lo: 1, hi: 5 }, 5)).toEqual([]);
  });

  test("several failures of one value are all reported", () => {
    expect(check({ t: "string", mx: 1, e: ["x"], p: "^\\d+$" }, "ab").map((e) => e.code)).toEqual([
      "enum",
      "maxLength",
      "pattern",
    ]);
  });
});

describe("arrays and objects", () => {
  test("item counts and items, named by index", () => {
    const schema: Schema = { t: "array", ni: 2, xi: 3, i: { t: "string", mx: 1 } };
    expect(reasons(schema, ["a", "bb"])).toEqual([
      "body[1] maxLength: must be at most 1 characters",
    ]);
    expect(reasons(schema, ["a"])).toEqual(["body minItems: must have at least 2 items"]);
    expect(reasons(schema, ["a", "b", "c", "d"])).toEqual([
      "body maxItems: must have at most 3 items",
    ]);
  });

  test("required, properties and unknown properties, named by path", () => {
    const schema: Schema = {
      t: "object",
      r: ["id", "name"],
      o: { id: { t: "string" }, name: { t: "object", o: { given: { t: "string", mx: 2 } } } },
      a: 0,
    };
    expect(reasons(schema, { id: undefined, name: { given: "abc" }, constructor: 1 })).toEqual([
      "body.id required: is required",
      "body.name.given maxLength: must be at most 2 characters",
      "body.constructor additionalProperties: is not a known property",
    ]);
    // Inherited names are neither properties nor present.
    expect(reasons({ t: "object", r: ["toString"], a: 0 }, {})).toEqual([
      "body.toString required: is required",
    ]);
    expect(check(schema, JSON.parse('{"id":"1","name":{},"__proto__":{}}'))).toEqual([
      {
        field: "body.__proto__",
        reason: "is not a known property",
        code: "additionalProperties",
      },
    ]);
  });

  test("additionalProperties as a schema applies to every unlisted property", () => {
    const schema: Schema = { t: "object", o: { a: { t: "string" } }, a: { t: "integer" } };
    expect(reasons(schema, { a: "x", b: 1, c: "y" })).toEqual(["body.c type: must be an integer"]);
  });

  test("parameters stay lenient below the root", () => {
    const schema: Schema = { t: "object", o: { page: { t: "integer", lo: 1 } } };
    expect(validateValue(schema, { page: "2" }, "query", [], true)).toEqual([]);
    expect(validateValue(schema, { page: "0" }, "query", [], true).map((e) => e.field)).toEqual([
      "query.page",
    ]);
  });

  test("errors are appended to the list given", () => {
    const out = [{ field: "x", reason: "y", code: "z" }];
    expect(validateValue({ t: "string" }, 1, "body", out)).toBe(out);
    expect(out).toHaveLength(2);
    // A oneOf's branches are tried in the same list: only the closest branch's errors stay.
    const either: Schema = { u: [{ t: "string", mx: 1 }, { t: "integer" }] };
    const earlier = { field: "x", reason: "y", code: "z" };
    expect(validateValue(either, "ab", "body", [earlier])).toEqual([
      earlier,
      { field: "body", reason: "must be at most 1 characters", code: "maxLength" },
    ]);
    expect(validateValue(either, 2, "body", [earlier])).toEqual([earlier]);
  });

  test("a tree that refers back to itself is walked as deep as the value goes", () => {
    const node: { t: string; o: { [name: string]: Schema } } = { t: "object", o: {} };
    node.o.child = node;
    node.o.children = { t: "array", i: node };
    expect(reasons(node, { child: { child: { child: 1 } } })).toEqual([
      "body.child.child.child type: must be an object",
    ]);
    expect(reasons(node, { children: [{ child: {} }, { children: [1] }] })).toEqual([
      "body.children[1].children[0] type: must be an object",
    ]);
  });
});

describe("allOf, anyOf / oneOf", () => {
  test("allOf: every schema applies", () => {
    const schema: Schema = { l: [{ t: "string", mx: 3 }, { p: "^a" }] };
    expect(check(schema, "bcde").map((e) => e.code)).toEqual(["maxLength", "pattern"]);
  });

  test("anyOf: one matching branch is enough; otherwise the closest branch's errors", () => {
    const schema: Schema = { u: [{ t: "string", mx: 2 }, { t: "integer" }] };
    expect(check(schema, "ab")).toEqual([]);
    expect(check(schema, 3)).toEqual([]);
    expect(reasons(schema, "abc")).toEqual(["body maxLength: must be at most 2 characters"]);
  });

  test("object branches are chosen by the properties they know", () => {
    const person: Schema = {
      t: "object",
      o: { first_name: { t: "string", mx: 3 }, kind: { t: "string" } },
      a: 0,
    };
    const business: Schema = {
      t: "object",
      o: { legal_name: { t: "string" }, kind: { t: "string" } },
      a: 0,
    };
    const schema: Schema = { t: "object", u: [person, business] };
    expect(reasons(schema, { first_name: "abcd", kind: "x" })).toEqual([
      "body.first_name maxLength: must be at most 3 characters",
    ]);
    expect(reasons(schema, { legal_name: 1, kind: "x" })).toEqual([
      "body.legal_name type: must be a string",
    ]);
    expect(check(schema, { legal_name: "y" })).toEqual([]);
  });
});

describe("sensitiveValues", () => {
  const schema: Schema = {
    t: "object",
    o: {
      name: { t: "string" },
      ssn: { t: "string", s: 1 },
      pin: { t: "integer", s: 1 },
      id_document: {
        t: "object",
        s: 1,
        o: { type: { t: "string", e: ["passport"] }, number: { t: "string" } },
      },
      cards: { t: "array", i: { t: "object", o: { cvv: { t: "string", s: 1 } } } },
      extra: { t: "object", a: { t: "string", s: 1 } },
      either: { u: [{ t: "object", o: { token: { t: "string", s: 1 } } }, { t: "string" }] },
    },
  };

  test("values under sensitive nodes, nested, in arrays, additional properties and branches", () => {
    const values = sensitiveValues(schema, {
      name: "Ada",
      ssn: "123-45-6789",
      pin: 1234,
      id_document: { type: "passport", number: "X1", more: { deep: "D2" } },
      cards: [{ cvv: "999" }, { cvv: "888" }],
      extra: { anything: "E3" },
      either: { token: "T4" },
    });
    expect(new Set(values)).toEqual(
      new Set(["123-45-6789", "1234", "X1", "D2", "999", "888", "E3", "T4"]),
    );
  });

  test("a value is sensitive when the branch it may take is", () => {
    const secret: Schema = { u: [{ t: "string", s: 1 }, { t: "integer" }] };
    expect(sensitiveValues(secret, "s3cr3t")).toEqual(["s3cr3t"]);
    expect(sensitiveValues({ l: [{ s: 1 }] }, 42)).toEqual(["42"]);
  });

  test("booleans are never collected (redacting every `true` would hide too much)", () => {
    expect(sensitiveValues({ s: 1 }, true)).toEqual([]);
  });

  test("nothing when no node is sensitive, no schema, or no value", () => {
    expect(sensitiveValues({ t: "object", o: { a: { t: "string" } } }, { a: "x" })).toEqual([]);
    expect(sensitiveValues(undefined, { a: "x" })).toEqual([]);
    expect(sensitiveValues(schema, null)).toEqual([]);
    expect(sensitiveValues(schema, { ssn: null, name: "Ada" })).toEqual([]);
  });

  test("values are appended to the list given", () => {
    const out = ["k"];
    expect(sensitiveValues({ s: 1 }, "v", out)).toBe(out);
    expect(out).toEqual(["k", "v"]);
  });
});
