/**
 * `/api/journal` and `/api/order-templates` over the real app (replay pinned to an open session,
 * so market orders fill; real database, real KV): entries on orders, fills and positions, their
 * filters and pages, the CSV export, and templates with their rules and limit. Another user's
 * order, fill, entry or template is a 404 every time.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { type ApiCaller, call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { JOURNAL_CSV_COLUMNS } from "../lib/journal/csv.ts";
import { MAX_TEMPLATES } from "../lib/shared/order_template.ts";

interface User extends ApiCaller {
  id: number;
}

async function withApp(fn: (t: TestApp, user: () => Promise<User>) => Promise<void>) {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, {
    market: () => openReplayForTest(),
  });
  const user = async () => {
    const me = await signUp(t.app);
    return { t, bearer: me.bearer, id: me.user.id };
  };
  try {
    await fn(t, user);
  } finally {
    await t.close();
  }
}

/** A filled market buy: its order id and its fill's id. */
async function buy(s: User, symbol: string, qty = 1): Promise<{ orderId: string; fillId: string }> {
  const placed = await call(s, "POST", "/api/orders", {
    symbol,
    side: "buy",
    type: "market",
    timeInForce: "day",
    qty,
    clientOrderId: crypto.randomUUID(),
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const orderId = placed.body.order.id;
  const fills = (await call(s, "GET", "/api/portfolio/fills")).body.fills;
  const fill = fills.find((f: { orderId: string }) => f.orderId === orderId);
  assert.ok(fill, "the market order filled at once in the open replay session");
  return { orderId, fillId: fill.id };
}

async function csv(s: ApiCaller, query = ""): Promise<{ res: Response; text: string }> {
  const res = await s.t.app.request(`/api/journal/export.csv${query}`, { headers: s.bearer });
  return { res, text: await res.text() };
}

Deno.test("journal: entries on an order, a fill, a position and nothing; read, edit, delete", async () => {
  await withApp(async (_t, user) => {
    const a = await user();
    const { orderId, fillId } = await buy(a, "AAPL");

    const free = await call(a, "POST", "/api/journal", {
      why: "  Market felt toppy  ",
      emotion: "anxious",
      tags: ["Macro", "macro"],
    });
    assert.equal(free.status, 201, JSON.stringify(free.body));
    assert.deepEqual(
      { ...free.body.entry, id: 0, createdAt: "", updatedAt: "" },
      {
        id: 0,
        link: "none",
        symbol: null,
        orderId: null,
        fillId: null,
        why: "Market felt toppy",
        plan: "",
        emotion: "anxious",
        lesson: "",
        tags: ["macro"],
        createdAt: "",
        updatedAt: "",
      },
    );

    const onPosition = await call(a, "POST", "/api/journal", { symbol: "aapl", plan: "Hold" });
    assert.equal(onPosition.status, 201);
    assert.equal(onPosition.body.entry.link, "position");
    assert.equal(onPosition.body.entry.symbol, "AAPL");

    const onOrder = await call(a, "POST", "/api/journal", { orderId, why: "Breakout" });
    assert.equal(onOrder.status, 201);
    assert.deepEqual(
      [onOrder.body.entry.link, onOrder.body.entry.symbol, onOrder.body.entry.orderId],
      ["order", "AAPL", orderId],
      "an order's entry takes the order's symbol",
    );

    const onFill = await call(a, "POST", "/api/journal", { fillId, lesson: "Chased it" });
    assert.equal(onFill.status, 201);
    assert.deepEqual(
      [onFill.body.entry.link, onFill.body.entry.fillId, onFill.body.entry.orderId],
      ["fill", fillId, orderId],
      "a fill's entry names its order too",
    );

    const mismatch = await call(a, "POST", "/api/journal", { orderId, symbol: "MSFT", why: "x" });
    assert.equal(mismatch.status, 422);
    assert.equal(mismatch.body.error.code, "link_mismatch");
    const unknownOrder = await call(a, "POST", "/api/journal", {
      orderId: crypto.randomUUID(),
      why: "x",
    });
    assert.equal(unknownOrder.status, 404);
    assert.equal(
      (await call(a, "POST", "/api/journal", { fillId: "999999", why: "x" })).status,
      404,
    );

    const id = onOrder.body.entry.id;
    assert.deepEqual((await call(a, "GET", `/api/journal/${id}`)).body.entry, onOrder.body.entry);
    const edited = await call(a, "PATCH", `/api/journal/${id}`, {
      lesson: "Waited for the close: good",
      emotion: "calm",
      tags: ["breakout"],
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual(
      [edited.body.entry.why, edited.body.entry.lesson, edited.body.entry.emotion],
      ["Breakout", "Waited for the close: good", "calm"],
    );
    assert.ok(edited.body.entry.updatedAt >= onOrder.body.entry.updatedAt);
    assert.equal(edited.body.entry.orderId, orderId, "the link stays");
    const blanked = await call(a, "PATCH", `/api/journal/${id}`, {
      why: "",
      lesson: "",
      emotion: null,
      tags: [],
    });
    assert.equal(blanked.status, 400, "an entry that would say nothing is refused");
    assert.equal((await call(a, "GET", `/api/journal/${id}`)).body.entry.why, "Breakout");

    assert.equal((await call(a, "DELETE", `/api/journal/${id}`)).status, 204);
    assert.equal((await call(a, "GET", `/api/journal/${id}`)).status, 404);
    assert.equal((await call(a, "DELETE", `/api/journal/${id}`)).status, 404);
    assert.equal((await call(a, "GET", "/api/journal/abc")).status, 404);

    for (
      const body of [{}, { why: "x", emotion: "ecstatic" }, { why: "x", tags: ["a b"] }, "{"]
    ) {
      const r = await call(a, "POST", "/api/journal", body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(r.body.error.code && r.body.error.message);
    }
    assert.equal((await call(a, "PATCH", `/api/journal/${free.body.entry.id}`, {})).status, 400);
    assert.equal(
      (await call(a, "PATCH", `/api/journal/${free.body.entry.id}`, { orderId })).status,
      400,
    );
  });
});

Deno.test("journal: filters by symbol, tag, emotion, order, fill and day; keyset pages", async () => {
  await withApp(async (t, user) => {
    const a = await user();
    const aapl = await buy(a, "AAPL");
    const msft = await buy(a, "MSFT");
    const made: number[] = [];
    const add = async (body: Record<string, unknown>) => {
      const r = await call(a, "POST", "/api/journal", body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      made.push(r.body.entry.id);
      return r.body.entry.id as number;
    };
    await add({ orderId: aapl.orderId, why: "a1", tags: ["breakout"], emotion: "confident" });
    const aaplFill = await add({ fillId: aapl.fillId, why: "a2", tags: ["breakout", "swing"] });
    await add({ symbol: "AAPL", why: "a3", emotion: "greedy" });
    await add({ orderId: msft.orderId, why: "m1", tags: ["swing"], emotion: "confident" });
    await add({ why: "free1", tags: ["macro"] });
    await add({ why: "free2", emotion: "calm" });
    await add({ symbol: "KO", why: "k1" });

    const whys = async (query: string) => {
      const r = await call(a, "GET", `/api/journal${query}`);
      assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
      return r.body.entries.map((e: { why: string }) => e.why);
    };
    assert.deepEqual(await whys(""), ["k1", "free2", "free1", "m1", "a3", "a2", "a1"]);
    assert.deepEqual(await whys("?symbol=aapl"), ["a3", "a2", "a1"]);
    assert.deepEqual(await whys("?tag=breakout"), ["a2", "a1"]);
    assert.deepEqual(await whys("?tag=swing&symbol=MSFT"), ["m1"]);
    assert.deepEqual(await whys("?emotion=confident"), ["m1", "a1"]);
    assert.deepEqual(await whys(`?orderId=${aapl.orderId}`), ["a2", "a1"], "its fill's too");
    assert.deepEqual(await whys(`?fillId=${aapl.fillId}`), ["a2"]);
    assert.deepEqual(await whys("?tag=nothing"), []);

    // Days are New York days: move three entries back in time to filter on them.
    const db = t.services.db;
    await db.query(
      "update journal_entries set created_at = $2 where id = any($1::bigint[])",
      [[made[0], made[1]], new Date("2024-01-02T15:00:00Z")],
    );
    await db.query(
      "update journal_entries set created_at = $2 where id = $1",
      [made[2], new Date("2024-01-03T04:30:00Z")], // 23:30 on Jan 2 in New York
    );
    assert.deepEqual(await whys("?from=2024-01-02&to=2024-01-02"), ["a3", "a2", "a1"]);
    assert.deepEqual(await whys("?to=2024-01-02T16:00:00Z"), ["a2", "a1"]);
    assert.deepEqual(await whys("?from=2024-01-03&to=2024-01-03"), []);
    assert.equal((await call(a, "GET", "/api/journal?from=2024-01-05&to=2024-01-04")).status, 400);
    assert.equal((await call(a, "GET", "/api/journal?emotion=joy")).status, 400);
    assert.equal((await call(a, "GET", "/api/journal?limit=500")).status, 400);

    // Pages of three: every entry once, newest first, whatever is written meanwhile.
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const q: string = `?limit=3${cursor ? `&before=${cursor}` : ""}`;
      const page = await call(a, "GET", `/api/journal${q}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.entries.length <= 3);
      seen.push(...page.body.entries.map((e: { id: number }) => e.id));
      cursor = page.body.nextCursor;
      if (pages++ === 0) await add({ why: "written between pages" });
    } while (cursor !== null);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...made.slice(0, 7)].reverse());
    const filtered = await call(a, "GET", "/api/journal?symbol=AAPL&limit=2");
    assert.equal(filtered.body.entries.length, 2);
    const rest = await call(
      a,
      "GET",
      `/api/journal?symbol=AAPL&before=${filtered.body.nextCursor}`,
    );
    assert.deepEqual(rest.body.entries.map((e: { id: number }) => e.id), [made[0]]);
    assert.equal(rest.body.nextCursor, null);
    assert.ok(aaplFill > 0);
  });
});

Deno.test("journal: another user's order, fill and entries are 404; each sees only their own", async () => {
  await withApp(async (_t, user) => {
    const a = await user();
    const b = await user();
    const { orderId, fillId } = await buy(a, "AAPL");
    const entry = (await call(a, "POST", "/api/journal", { orderId, why: "mine" })).body.entry;
    await call(a, "POST", "/api/journal", { fillId, why: "=evil()" });

    const byB = [
      await call(b, "POST", "/api/journal", { orderId, why: "linking A's order" }),
      await call(b, "POST", "/api/journal", { fillId, why: "linking A's fill" }),
      await call(b, "GET", `/api/journal/${entry.id}`),
      await call(b, "PATCH", `/api/journal/${entry.id}`, { why: "overwritten" }),
      await call(b, "DELETE", `/api/journal/${entry.id}`),
    ];
    for (const r of byB) {
      assert.equal(r.status, 404, JSON.stringify(r.body));
      assert.equal(r.body.error.code, "not_found");
    }
    // Refusing A's order reads exactly like refusing an order that does not exist.
    const none = await call(b, "POST", "/api/journal", { orderId: crypto.randomUUID(), why: "x" });
    assert.equal(none.body.error.message, byB[0].body.error.message);

    assert.deepEqual((await call(b, "GET", "/api/journal")).body, {
      entries: [],
      nextCursor: null,
    });
    assert.deepEqual((await call(b, "GET", `/api/journal?orderId=${orderId}`)).body.entries, []);
    assert.equal((await csv(b)).text, JOURNAL_CSV_COLUMNS.join(",") + "\r\n");
    const mine = (await call(a, "GET", "/api/journal")).body.entries;
    assert.equal(mine.length, 2);
    assert.equal(mine[1].why, "mine", "B changed nothing");
  });
});

Deno.test("journal: the CSV export holds the user's entries, defused and filtered", async () => {
  await withApp(async (_t, user) => {
    const a = await user();
    const { orderId } = await buy(a, "AAPL");
    await call(a, "POST", "/api/journal", {
      orderId,
      why: '=HYPERLINK("http://evil.example","click")',
      plan: "+1 then -1, @ the close",
      lesson: "line one\nline two",
      tags: ["breakout", "swing"],
      emotion: "greedy",
    });
    await call(a, "POST", "/api/journal", { symbol: "KO", why: "@SUM(A1:A9)" });
    const { res, text } = await csv(a);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("Content-Type"), "text/csv; charset=utf-8");
    assert.match(
      res.headers.get("Content-Disposition") ?? "",
      /^attachment; filename="paiid-journal-/,
    );
    const entries = (await call(a, "GET", "/api/journal")).body.entries;
    const [older, newer] = [entries[1], entries[0]];
    assert.equal(
      text,
      [
        JOURNAL_CSV_COLUMNS.join(","),
        [
          older.id,
          older.createdAt,
          older.updatedAt,
          "order",
          "AAPL",
          orderId,
          "",
          "greedy",
          "breakout swing",
          `"'=HYPERLINK(""http://evil.example"",""click"")"`,
          `"'+1 then -1, @ the close"`,
          `"line one\nline two"`,
        ].join(","),
        [
          newer.id,
          newer.createdAt,
          newer.updatedAt,
          "position",
          "KO",
          "",
          "",
          "",
          "",
          "'@SUM(A1:A9)",
          "",
          "",
        ].join(","),
        "",
      ].join("\r\n"),
    );
    const onlyKo = (await csv(a, "?symbol=KO")).text.trim().split("\r\n");
    assert.equal(onlyKo.length, 2);
    assert.match(onlyKo[1], /,position,KO,/);
    assert.equal((await csv(a, "?limit=3")).res.status, 400);
  });
});

Deno.test("order templates: create, list, read, change, rules, names, delete, isolation", async () => {
  await withApp(async (_t, user) => {
    const a = await user();
    const b = await user();
    const made = await call(a, "POST", "/api/order-templates", {
      name: "Swing buy",
      side: "buy",
      type: "limit",
      timeInForce: "gtc",
      qty: 10,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const t1 = made.body.template;
    assert.deepEqual({ ...t1, id: 0, createdAt: "", updatedAt: "" }, {
      id: 0,
      name: "Swing buy",
      symbol: null,
      side: "buy",
      type: "limit",
      timeInForce: "gtc",
      qty: 10,
      notional: null,
      trailPrice: null,
      trailPercent: null,
      createdAt: "",
      updatedAt: "",
    });
    const t2 = (await call(a, "POST", "/api/order-templates", {
      name: "aapl $500",
      symbol: "aapl",
      side: "buy",
      type: "market",
      notional: 500,
    })).body.template;
    assert.equal(t2.symbol, "AAPL");
    const trail = await call(a, "POST", "/api/order-templates", {
      name: "Protect",
      side: "sell",
      type: "trailing_stop",
      timeInForce: "gtc",
      trailPercent: 2.5,
    });
    assert.equal(trail.status, 201);

    const list = (await call(a, "GET", "/api/order-templates")).body.templates;
    assert.deepEqual(list.map((x: { name: string }) => x.name), [
      "aapl $500",
      "Protect",
      "Swing buy",
    ]);
    assert.deepEqual((await call(a, "GET", `/api/order-templates/${t1.id}`)).body.template, t1);

    const changed = await call(a, "PATCH", `/api/order-templates/${t1.id}`, {
      name: "Swing buy 20",
      qty: 20,
      symbol: "MSFT",
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual([changed.body.template.qty, changed.body.template.symbol], [20, "MSFT"]);
    const cleared = await call(a, "PATCH", `/api/order-templates/${t1.id}`, { symbol: null });
    assert.equal(cleared.body.template.symbol, null);
    // A change that leaves a rule broken: dollars on a limit order.
    const broken = await call(a, "PATCH", `/api/order-templates/${t2.id}`, { type: "limit" });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error.details[0].path, "notional");
    assert.equal(
      (await call(a, "GET", `/api/order-templates/${t2.id}`)).body.template.type,
      "market",
    );

    const taken = await call(a, "POST", "/api/order-templates", {
      name: "PROTECT",
      side: "sell",
      type: "market",
    });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, "template_name_taken");
    const renamedOnto = await call(a, "PATCH", `/api/order-templates/${t1.id}`, {
      name: "protect",
    });
    assert.equal(renamedOnto.status, 409);
    const unknown = await call(a, "POST", "/api/order-templates", {
      name: "ghost",
      symbol: "ZZZZZ",
      side: "buy",
      type: "market",
    });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, "unknown_symbols");
    for (
      const body of [
        { name: "p", side: "buy", type: "limit", limitPrice: 100 },
        { name: "p", side: "buy", type: "market", qty: 1, notional: 5 },
        { name: "p", side: "buy", type: "market", trailPercent: 1 },
        { name: "p", side: "hold", type: "market" },
        { side: "buy", type: "market" },
      ]
    ) {
      const r = await call(a, "POST", "/api/order-templates", body);
      assert.equal(r.status, 400, JSON.stringify(body));
    }

    // B sees none of A's, and can touch none.
    assert.deepEqual((await call(b, "GET", "/api/order-templates")).body.templates, []);
    for (
      const r of [
        await call(b, "GET", `/api/order-templates/${t1.id}`),
        await call(b, "PATCH", `/api/order-templates/${t1.id}`, { qty: 1 }),
        await call(b, "DELETE", `/api/order-templates/${t1.id}`),
      ]
    ) assert.equal(r.status, 404);
    // Names are per user.
    assert.equal(
      (await call(b, "POST", "/api/order-templates", {
        name: "Protect",
        side: "buy",
        type: "market",
      }))
        .status,
      201,
    );

    assert.equal((await call(a, "DELETE", `/api/order-templates/${t1.id}`)).status, 204);
    assert.equal((await call(a, "GET", `/api/order-templates/${t1.id}`)).status, 404);
    assert.equal((await call(a, "GET", "/api/order-templates/x")).status, 404);
  });
});

Deno.test("order templates: at most 50 per user, even when saved all at once", async () => {
  await withApp(async (_t, user) => {
    const a = await user();
    const body = (i: number) => ({ name: `T${i}`, side: "buy", type: "market", qty: 1 });
    for (let i = 0; i < MAX_TEMPLATES - 2; i++) {
      assert.equal((await call(a, "POST", "/api/order-templates", body(i))).status, 201);
    }
    // Two places left and six saves at once: exactly two get them.
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call(a, "POST", "/api/order-templates", body(100 + i))),
    );
    assert.deepEqual(burst.map((r) => r.status).sort(), [201, 201, 422, 422, 422, 422]);
    for (const r of burst.filter((r) => r.status === 422)) {
      assert.equal(r.body.error.code, "template_limit");
    }
    assert.equal(
      (await call(a, "GET", "/api/order-templates")).body.templates.length,
      MAX_TEMPLATES,
    );
    const b = await user();
    assert.equal((await call(b, "POST", "/api/order-templates", body(0))).status, 201);
  });
});
