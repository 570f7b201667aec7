import assert from "node:assert/strict";
import fc from "fast-check";
import {
  checkParams,
  parseArrayLiteral,
  parseBytea,
  parseInt8,
  parseTimestamp,
  serializeArrayLiteral,
} from "./codec.ts";

const text = (t: string) => t;

Deno.test("array literals: NULL, quoting, nesting, bounds", () => {
  assert.deepEqual(parseArrayLiteral("{}", text), []);
  assert.deepEqual(parseArrayLiteral('{a,NULL,"NULL","b,c","q\\"x","s\\\\t",""}', text), [
    "a",
    null,
    "NULL",
    "b,c",
    'q"x',
    "s\\t",
    "",
  ]);
  assert.deepEqual(parseArrayLiteral("{null,NuLl}", text), [null, null]);
  assert.deepEqual(parseArrayLiteral("{{1,2},{3,NULL}}", Number), [[1, 2], [3, null]]);
  assert.deepEqual(parseArrayLiteral("[0:1]={5,6}", Number), [5, 6]);
  assert.throws(() => parseArrayLiteral("{a", text), SyntaxError);
  assert.throws(() => parseArrayLiteral('{"a', text), SyntaxError);
});

Deno.test("array literals round-trip any nesting of strings and nulls", () => {
  const element = fc.oneof(fc.string({ unit: "grapheme" }), fc.constant(null));
  fc.assert(
    fc.property(fc.array(element), fc.array(fc.array(element, { minLength: 2, maxLength: 2 })), (
      flat,
      nested,
    ) => {
      assert.deepEqual(parseArrayLiteral(serializeArrayLiteral(flat, String), text), flat);
      assert.deepEqual(parseArrayLiteral(serializeArrayLiteral(nested, String), text), nested);
    }),
  );
});

Deno.test("int8 parses to a number only when exact", () => {
  assert.equal(parseInt8("-9007199254740991"), -Number.MAX_SAFE_INTEGER);
  assert.equal(parseInt8("9007199254740991"), Number.MAX_SAFE_INTEGER);
  assert.throws(() => parseInt8("9007199254740992"), RangeError);
  assert.throws(() => parseInt8("-9223372036854775808"), RangeError);
});

Deno.test("timestamp without time zone reads as UTC, bytea reads hex", () => {
  assert.deepEqual(
    parseTimestamp("2024-01-02 03:04:05.123456"),
    new Date("2024-01-02T03:04:05.123Z"),
  );
  assert.deepEqual(parseBytea("\\x00ff"), new Uint8Array([0, 255]));
  assert.deepEqual(parseBytea("\\x"), new Uint8Array());
  assert.throws(() => parseBytea("abc"), /hex/);
});

Deno.test("undefined parameters are named, holes included", () => {
  checkParams([null, 0, ""]);
  assert.throws(() => checkParams([1, undefined]), /\$2 is undefined/);
  // deno-lint-ignore no-sparse-arrays
  assert.throws(() => checkParams([1, , 3]), /\$2 is undefined/);
});
