/**
 * The value mapping both backends share (see the table in `./database.ts`). PGlite and
 * postgres.js each ship their own defaults, and they disagree (int8, date, bytea, jsonb text,
 * NULLs inside arrays), so both are configured from the functions here.
 *
 * @module
 */

/** Type oids from `pg_type` that the mapping cares about. */
export const oid = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

/** Text-format parser for one type. */
export type Parse = (text: string) => unknown;
/** Turns a JS parameter into the text Postgres reads for one type. */
export type Serialize = (value: unknown) => string;

/** int8 becomes a number, but never a rounded one. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(
      `int8 value ${text} is beyond JavaScript's safe integers; cast it to text in the SQL`,
    );
  }
  return n;
}

/** timestamptz: sessions run in UTC, so the text always carries an offset. */
export function parseTimestamptz(text: string): Date {
  return new Date(text);
}

/** timestamp without time zone: read as UTC so the result does not depend on the host's zone. */
export function parseTimestamp(text: string): Date {
  return new Date(text.replace(" ", "T") + "Z");
}

/** bytea in Postgres' default hex output (`\x0a0b`). */
export function parseBytea(text: string): Uint8Array {
  if (!text.startsWith("\\x")) throw new Error("bytea must use bytea_output = 'hex'");
  const out = new Uint8Array((text.length - 2) / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.slice(2 + i * 2, 4 + i * 2), 16);
  }
  return out;
}

function serializeBytea(value: unknown): string {
  if (!(value instanceof Uint8Array)) return String(value);
  let hex = "\\x";
  for (const b of value) hex += b.toString(16).padStart(2, "0");
  return hex;
}

function serializeInstant(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function serializeDay(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
}

/**
 * Always stringify: PGlite passes JS strings through as JSON text while postgres.js encodes them
 * as JSON strings, so "stringify everything" is the only rule both can follow.
 */
function serializeJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`cannot send ${typeof value} as json`);
  return text;
}

const identity: Parse = (text) => text;
const toNumber: Parse = (text) => Number(text);

/** Parsers and serializers both backends install, by element type oid. */
export const codecs: Record<number, { parse: Parse; serialize: Serialize }> = {
  [oid.int8]: { parse: parseInt8, serialize: String },
  [oid.date]: { parse: identity, serialize: serializeDay },
  [oid.timestamp]: { parse: parseTimestamp, serialize: serializeInstant },
  [oid.timestamptz]: { parse: parseTimestamptz, serialize: serializeInstant },
  [oid.bytea]: { parse: parseBytea, serialize: serializeBytea },
  [oid.json]: { parse: JSON.parse, serialize: serializeJson },
  [oid.jsonb]: { parse: JSON.parse, serialize: serializeJson },
};

/**
 * Array types whose parsing postgres.js gets wrong (it reads an unquoted NULL element as the
 * string "NULL" or NaN), keyed by array oid, with their element's parser and serializer.
 */
export const arrayCodecs: Record<number, { parse: Parse; serialize: Serialize }> = (() => {
  const element = (o: number, parse: Parse) => ({
    parse,
    serialize: codecs[o]?.serialize ?? String,
  });
  const elements: Record<number, { parse: Parse; serialize: Serialize }> = {
    1000: element(oid.bool, (t) => t === "t"),
    1001: element(oid.bytea, parseBytea),
    1005: element(oid.int2, toNumber),
    1007: element(oid.int4, toNumber),
    1009: element(oid.text, identity),
    1014: element(oid.bpchar, identity),
    1015: element(oid.varchar, identity),
    1016: element(oid.int8, parseInt8),
    1021: element(oid.float4, toNumber),
    1022: element(oid.float8, toNumber),
    1028: element(oid.oid, toNumber),
    1115: element(oid.timestamp, parseTimestamp),
    1182: element(oid.date, identity),
    1185: element(oid.timestamptz, parseTimestamptz),
    1231: element(oid.numeric, identity),
    2951: element(oid.uuid, identity),
    199: element(oid.json, JSON.parse),
    3807: element(oid.jsonb, JSON.parse),
  };
  const out: Record<number, { parse: Parse; serialize: Serialize }> = {};
  for (const [arrayOid, el] of Object.entries(elements)) {
    out[Number(arrayOid)] = {
      parse: (text) => parseArrayLiteral(text, el.parse),
      serialize: (value) => serializeArrayLiteral(value, el.serialize),
    };
  }
  return out;
})();

/**
 * Parses a Postgres array literal such as `{1,NULL,"a \"b\""}` or `{{1,2},{3,4}}`. An unquoted
 * NULL is SQL NULL; a quoted "NULL" is the text NULL.
 */
export function parseArrayLiteral(text: string, parseElement: Parse): unknown[] {
  let i = 0;
  // Arrays with non-default bounds are printed as `[0:1]={...}`; the bounds carry no values.
  if (text[0] === "[") i = text.indexOf("=") + 1;

  const parseLevel = (): unknown[] => {
    if (text[i] !== "{") throw new SyntaxError(`bad array literal at ${i}: ${text}`);
    i++;
    const items: unknown[] = [];
    if (text[i] === "}") {
      i++;
      return items;
    }
    for (;;) {
      if (text[i] === "{") {
        items.push(parseLevel());
      } else if (text[i] === '"') {
        let s = "";
        i++;
        while (text[i] !== '"') {
          if (i >= text.length) throw new SyntaxError(`unterminated array literal: ${text}`);
          if (text[i] === "\\") i++;
          s += text[i++];
        }
        i++;
        items.push(parseElement(s));
      } else {
        const start = i;
        while (i < text.length && text[i] !== "," && text[i] !== "}") i++;
        const raw = text.slice(start, i);
        items.push(raw.toUpperCase() === "NULL" ? null : parseElement(raw));
      }
      if (text[i] === ",") {
        i++;
      } else if (text[i] === "}") {
        i++;
        return items;
      } else {
        throw new SyntaxError(`bad array literal at ${i}: ${text}`);
      }
    }
  };
  return parseLevel();
}

/** Writes a (possibly nested) JS array as a Postgres array literal, quoting every element. */
export function serializeArrayLiteral(value: unknown, serializeElement: Serialize): string {
  if (!Array.isArray(value)) return String(value);
  const parts = value.map((item) => {
    if (item === null || item === undefined) return "NULL";
    if (Array.isArray(item)) return serializeArrayLiteral(item, serializeElement);
    return '"' + serializeElement(item).replace(/[\\"]/g, "\\$&") + '"';
  });
  return "{" + parts.join(",") + "}";
}

/**
 * The parameter type a JS value announces before Postgres looks at the SQL. postgres.js sends
 * these for Date, Uint8Array, boolean and bigint; PGlite is told the same so `$1::text` of a
 * Date, say, prints identically on both. 0 lets Postgres infer the type from the SQL.
 */
export function announcedType(value: unknown): number {
  if (value instanceof Date) return oid.timestamptz;
  if (value instanceof Uint8Array) return oid.bytea;
  if (typeof value === "boolean") return oid.bool;
  if (typeof value === "bigint") return oid.int8;
  return 0;
}

/** Rejects `undefined` parameters, which one backend would send as NULL and the other refuse. */
export function checkParams(params: readonly unknown[]): void {
  const i = params.findIndex((p) => p === undefined);
  if (i !== -1) {
    throw new TypeError(`query parameter $${i + 1} is undefined; pass null for SQL NULL`);
  }
}
