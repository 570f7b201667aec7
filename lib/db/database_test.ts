import assert from "node:assert/strict";
import { freshPglite, withTestDatabases } from "./testing.ts";

withTestDatabases("transaction commits and returns fn's value", async (db) => {
  await db.exec("create table t (x int not null)");
  const result = await db.transaction(async (tx) => {
    await tx.query("insert into t values ($1)", [1]);
    await tx.query("insert into t values ($1)", [2]);
    return (await tx.query<{ n: number }>("select count(*) as n from t"))[0].n;
  });
  assert.equal(result, 2);
  assert.deepEqual(await db.query("select x from t order by x"), [{ x: 1 }, { x: 2 }]);
});

withTestDatabases("transaction rolls back when fn throws", async (db) => {
  await db.exec("create table t (x int not null)");
  const boom = new Error("boom");
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.query("insert into t values (1)");
      throw boom;
    }),
    (error) => error === boom,
  );
  assert.deepEqual(await db.query("select x from t"), []);
});

withTestDatabases("a failed statement rolls back even when fn catches it", async (db) => {
  await db.exec("create table t (x int not null)");
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.query("insert into t values (1)");
      await tx.query("insert into t values (null)").catch(() => {});
      return "looked fine";
    }),
    /null value/,
  );
  assert.deepEqual(await db.query("select x from t"), []);
});

withTestDatabases("the database refuses calls from inside its own transaction", async (db) => {
  await assert.rejects(
    db.transaction(async () => {
      await db.query("select 1");
    }),
    /inside db\.transaction\(\); use the tx/,
  );
  await assert.rejects(
    db.transaction(() => db.transaction(() => Promise.resolve())),
    /db\.transaction\(\) was called inside/,
  );
  // Outside again, the database works normally.
  assert.deepEqual(await db.query("select 1 as one"), [{ one: 1 }]);
});

withTestDatabases("a transaction handle cannot be used after the transaction", async (db) => {
  let leaked: { query(sql: string): Promise<unknown> } | undefined;
  await db.transaction((tx) => {
    leaked = tx;
    return Promise.resolve();
  });
  await assert.rejects(leaked!.query("select 1"), /already finished/);
});

withTestDatabases("concurrent transactions do not see each other's work", async (db) => {
  await db.exec("create table counter (n int not null); insert into counter values (0)");
  // Each transaction reads, yields, then writes: interleaving on one connection would lose
  // updates; on the server, row locks (select ... for update) keep them apart.
  await Promise.all(
    Array.from({ length: 10 }, () =>
      db.transaction(async (tx) => {
        const [{ n }] = await tx.query<{ n: number }>("select n from counter for update");
        await new Promise((resolve) => setTimeout(resolve, 2));
        await tx.query("update counter set n = $1", [n + 1]);
      })),
  );
  assert.deepEqual(await db.query("select n from counter"), [{ n: 10 }]);
});

withTestDatabases("ping measures a round trip", async (db) => {
  const ms = await db.ping();
  assert.equal(typeof ms, "number");
  assert.ok(ms >= 0 && ms < 5_000, `ping took ${ms} ms`);
});

withTestDatabases(
  "a statement sent again after its table changed shape reads the new table",
  async (db) => {
    // Both backends keep statements prepared; the second shape must not meet the first's plan.
    await db.exec("create table shape (x int)");
    await db.query("insert into shape values ($1)", [1]);
    for (let i = 0; i < 6; i++) assert.deepEqual(await db.query("select * from shape"), [{ x: 1 }]);
    await db.exec("drop table shape; create table shape (x text, y int)");
    await db.query("insert into shape values ($1, $2)", ["a", 2]);
    assert.deepEqual(await db.query("select * from shape"), [{ x: "a", y: 2 }]);
  },
);

Deno.test("db[pglite] keeps at most 256 prepared statements, the least recently used closed", async () => {
  const db = await freshPglite({ migrated: false });
  try {
    const first = "select $1::int + 0 as n";
    for (let i = 0; i < 300; i++) {
      assert.deepEqual(await db.query(`select $1::int + ${i} as n`, [1]), [{ n: 1 + i }]);
      // Used again and again, the first one is never the least recent.
      if (i % 50 === 0) await db.query(first, [1]);
    }
    const [{ n }] = await db.query<{ n: number }>(
      "select count(*)::int as n from pg_prepared_statements",
    );
    assert.ok(n <= 256, `${n} statements kept`);
    const [{ kept }] = await db.query<{ kept: boolean }>(
      "select bool_or(statement like $1) as kept from pg_prepared_statements",
      ["%$1::int + 0 as n%"],
    );
    assert.equal(kept, true);
    assert.deepEqual(await db.query("select $1::int + 5 as n", [1]), [{ n: 6 }]);
  } finally {
    await db.close();
  }
});

Deno.test("db[pglite] transactions are serialised: statements never interleave", async () => {
  const db = await freshPglite({ migrated: false });
  try {
    await db.exec("create table log (seq int generated always as identity, tx int, step int)");
    await Promise.all(
      Array.from({ length: 5 }, (_, tx) =>
        db.transaction(async (t) => {
          for (let step = 0; step < 3; step++) {
            await t.query("insert into log (tx, step) values ($1, $2)", [tx, step]);
            await new Promise((resolve) => setTimeout(resolve, 1));
          }
        })),
    );
    const rows = await db.query<{ tx: number; step: number }>(
      "select tx, step from log order by seq",
    );
    // Each transaction's three steps are adjacent, and transactions run in call order.
    assert.deepEqual(
      rows,
      Array.from({ length: 15 }, (_, i) => ({ tx: Math.floor(i / 3), step: i % 3 })),
    );
  } finally {
    await db.close();
  }
});

Deno.test("db[pglite] a plain query waits for the running transaction", async () => {
  const db = await freshPglite({ migrated: false });
  try {
    await db.exec("create table t (x int)");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    const tx = db.transaction(async (t) => {
      await t.query("insert into t values (1)");
      await gate;
      await t.query("insert into t values (2)");
    });
    // Queued behind the transaction: must not see the uncommitted first row, nor run inside it.
    const read = db.query<{ n: number }>("select count(*) as n from t");
    release();
    await tx;
    assert.deepEqual(await read, [{ n: 2 }]);
  } finally {
    await db.close();
  }
});

Deno.test("db[pglite] a closed database rejects calls", async () => {
  const db = await freshPglite({ migrated: false });
  await db.close();
  await db.close();
  await assert.rejects(db.query("select 1"), /closed/);
  await assert.rejects(db.ping(), /closed/);
});

withTestDatabases(
  "statements started together in one transaction each get their own rows",
  async (db) => {
    // Once uncached (prepared on the way), once from the statement cache.
    for (let round = 0; round < 2; round++) {
      const [a, b, c] = await db.transaction((tx) =>
        Promise.all([
          tx.query<{ a: number }>("select $1::int as a", [1]),
          tx.query<{ b: number }>("select $1::int as b", [2]),
          tx.query<{ c: string }>("select 'three' as c"),
        ])
      );
      assert.deepEqual(a, [{ a: 1 }]);
      assert.deepEqual(b, [{ b: 2 }]);
      assert.deepEqual(c, [{ c: "three" }]);
    }
  },
);
