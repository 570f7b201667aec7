import assert from "node:assert/strict";
import { withTestDatabases } from "./testing.ts";

// One expected object for both backends: passing on both proves they return identical values.

withTestDatabases("result types map identically", async (db) => {
  const [row] = await db.query(`
    select
      1::int2 as int2, 2::int4 as int4, 3::int8 as int8, count(*) as count,
      9007199254740991::int8 as int8_max_safe, 7::oid as oid,
      12.345::numeric(20, 6) as numeric, 0.1::numeric + 0.2::numeric as numeric_sum,
      1.5::float8 as float8, 2.5::float4 as float4,
      true as bool, false as bool_false,
      '2024-01-02 03:04:05.678+00'::timestamptz as timestamptz,
      '2024-01-02 03:04:05.678+05:30'::timestamptz as timestamptz_offset,
      '2024-01-02 03:04:05.678'::timestamp as timestamp,
      '2024-01-02'::date as date,
      '{"a": [1, "x", null], "b": {"c": true}}'::jsonb as jsonb,
      '[1, 2]'::json as json,
      '"str"'::jsonb as jsonb_string,
      '00000000-0000-0000-0000-000000000001'::uuid as uuid,
      '\\x00ff10'::bytea as bytea,
      'héllo ✓'::text as text, 'ab'::varchar(5) as varchar, 'ab'::char(3) as bpchar,
      '1 day 02:00:00'::interval as interval, '12:34:56'::time as time,
      array['a', null, 'b,c', '"q"', 'NULL', 'back\\slash', '']::text[] as text_array,
      array[1, null, 3]::int4[] as int4_array,
      array[1, null]::int8[] as int8_array,
      array[1.10, null]::numeric[] as numeric_array,
      array[1.5]::float8[] as float8_array,
      array['2024-01-02'::date] as date_array,
      array['2024-01-02 03:04:05+00'::timestamptz, null] as timestamptz_array,
      array[true, false, null] as bool_array,
      array['{"a": 1}'::jsonb, null] as jsonb_array,
      array[array[1, 2], array[3, 4]]::int4[] as int4_matrix,
      '{}'::text[] as empty_array,
      '[0:1]={5,6}'::int4[] as shifted_array,
      null::text as null_text, null::int8 as null_int8, null::numeric as null_numeric,
      null::timestamptz as null_timestamptz, null::jsonb as null_jsonb
    from (select 1) as one
  `);
  assert.deepEqual(row, {
    int2: 1,
    int4: 2,
    int8: 3,
    count: 1,
    int8_max_safe: Number.MAX_SAFE_INTEGER,
    oid: 7,
    numeric: "12.345000",
    numeric_sum: "0.3",
    float8: 1.5,
    float4: 2.5,
    bool: true,
    bool_false: false,
    timestamptz: new Date("2024-01-02T03:04:05.678Z"),
    timestamptz_offset: new Date("2024-01-01T21:34:05.678Z"),
    timestamp: new Date("2024-01-02T03:04:05.678Z"),
    date: "2024-01-02",
    jsonb: { a: [1, "x", null], b: { c: true } },
    json: [1, 2],
    jsonb_string: "str",
    uuid: "00000000-0000-0000-0000-000000000001",
    bytea: new Uint8Array([0x00, 0xff, 0x10]),
    text: "héllo ✓",
    varchar: "ab",
    bpchar: "ab ",
    interval: "1 day 02:00:00",
    time: "12:34:56",
    text_array: ["a", null, "b,c", '"q"', "NULL", "back\\slash", ""],
    int4_array: [1, null, 3],
    int8_array: [1, null],
    numeric_array: ["1.10", null],
    float8_array: [1.5],
    date_array: ["2024-01-02"],
    timestamptz_array: [new Date("2024-01-02T03:04:05Z"), null],
    bool_array: [true, false, null],
    jsonb_array: [{ a: 1 }, null],
    int4_matrix: [[1, 2], [3, 4]],
    empty_array: [],
    shifted_array: [5, 6],
    null_text: null,
    null_int8: null,
    null_numeric: null,
    null_timestamptz: null,
    null_jsonb: null,
  });
});

withTestDatabases("parameters map identically", async (db) => {
  const instant = new Date("2024-03-04T05:06:07.890Z");
  const [row] = await db.query(
    `select $1::int8 as int8, $2::int8 as int8_from_bigint, $3::numeric as numeric,
       $4::timestamptz as timestamptz, $5::timestamptz as timestamptz_text,
       $6::date as date, $7::date as date_from_date, $8::jsonb as jsonb,
       $9::jsonb as jsonb_string, $10::jsonb as jsonb_array, $11::bytea as bytea,
       $12::text[] as text_array, $13::int4[] as int4_array, $14::bool as bool,
       $15::text as date_as_text, $16::text as number_as_text, $17::int4 as text_as_int,
       $18::numeric[] as numeric_array, $19::timestamptz[] as timestamptz_array,
       $20::jsonb[] as jsonb_list, $21::text as null_text, $22::timestamp as timestamp`,
    [
      42,
      42n,
      "1234567890.123456789",
      instant,
      "2024-03-04 05:06:07.89+00",
      "2024-03-04",
      instant,
      { config: { fast: 10, slow: [30, "x"] } },
      "hello",
      [1, { two: 2 }],
      new Uint8Array([1, 2, 255]),
      ["a", null, 'q"uote', "back\\slash", "NULL", ""],
      [1, null, 3],
      true,
      instant,
      7,
      "8",
      ["0.1", null],
      [instant],
      [{ a: 1 }, null],
      null,
      instant,
    ],
  );
  assert.deepEqual(row, {
    int8: 42,
    int8_from_bigint: 42,
    numeric: "1234567890.123456789",
    timestamptz: instant,
    timestamptz_text: instant,
    date: "2024-03-04",
    date_from_date: "2024-03-04",
    jsonb: { config: { fast: 10, slow: [30, "x"] } },
    jsonb_string: "hello",
    jsonb_array: [1, { two: 2 }],
    bytea: new Uint8Array([1, 2, 255]),
    text_array: ["a", null, 'q"uote', "back\\slash", "NULL", ""],
    int4_array: [1, null, 3],
    bool: true,
    date_as_text: "2024-03-04 05:06:07.89+00",
    number_as_text: "7",
    text_as_int: 8,
    numeric_array: ["0.1", null],
    timestamptz_array: [instant],
    jsonb_list: [{ a: 1 }, null],
    null_text: null,
    timestamp: instant,
  });
});

withTestDatabases("money round-trips exactly through numeric columns", async (db) => {
  await db.exec("create table ledger (amount numeric(20, 6) not null)");
  await db.query("insert into ledger (amount) values ($1), ($2), ($3)", [
    "0.1",
    "0.2",
    "12345678901234.000001",
  ]);
  const [sum] = await db.query<{ total: string }>("select sum(amount) as total from ledger");
  assert.equal(sum.total, "12345678901234.300001");
});

withTestDatabases("int8 beyond 2^53 rejects instead of rounding", async (db) => {
  await assert.rejects(
    db.query("select 9007199254740993::int8 as big"),
    (error: Error) => error instanceof RangeError && /9007199254740993/.test(error.message),
  );
  assert.deepEqual(await db.query("select 9007199254740993::int8::text as big"), [
    { big: "9007199254740993" },
  ]);
});

withTestDatabases("undefined parameters are rejected", async (db) => {
  await assert.rejects(
    db.query("select $1::text as a, $2::text as b", ["x", undefined]),
    /parameter \$2 is undefined/,
  );
});

withTestDatabases("query takes one statement, exec takes a script", async (db) => {
  await assert.rejects(db.query("select 1; select 2"));
  await db.exec("create table a (x int); insert into a values (1); insert into a values (2);");
  assert.deepEqual(await db.query("select x from a order by x"), [{ x: 1 }, { x: 2 }]);
  assert.deepEqual(await db.query("insert into a values (3)"), []);
});
