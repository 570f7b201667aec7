import { deepEqual, equal, ok } from "node:assert/strict";
import { STAGES } from "../../shared/stages.ts";
import {
  actionCommands,
  type Command,
  rankCommands,
  scanCommands,
  stageCommands,
  strategyCommands,
  symbolCommands,
  templateCommands,
  uniqueById,
} from "./commands.ts";
import { loadRecent, RECENT_KEY, RECENT_MAX, rememberRecent } from "./recent.ts";

const all = (): Command[] => [...stageCommands(STAGES), ...actionCommands("dark")];

Deno.test("the list has every stage and every action; what changes something asks first", () => {
  const list = all();
  for (const s of STAGES) {
    ok(list.some((c) => c.run.kind === "go" && c.run.href === s.href && c.title === s.name), s.id);
  }
  const ids = list.map((c) => c.id);
  for (const id of ["action:new-order", "action:brief", "action:halt", "theme:light"]) {
    ok(ids.includes(id), id);
  }
  equal(ids.includes("theme:dark"), false, "the theme in use is not offered");
  for (const c of list) {
    equal(c.run.kind === "go", c.confirm === undefined, `${c.id}: confirm only for actions`);
  }
  equal(new Set(ids).size, ids.length, "ids are unique");
});

Deno.test("saved scans, strategies and symbols become links, with quotes in USD and %", () => {
  deepEqual(scanCommands([{ id: 7, name: "Breakouts" }])[0].run, {
    kind: "go",
    href: "/scanner?saved=7",
  });
  deepEqual(strategyCommands([{ id: 3, name: "Cross", version: 2 }])[0].run, {
    kind: "go",
    href: "/backtesting?strategy=3&version=2",
  });
  const [aapl, msft] = symbolCommands(
    [{ symbol: "AAPL", name: "Apple Inc." }, { symbol: "MSFT", name: "Microsoft" }],
    { AAPL: { last: 1234.5, changePercent: -1.234 } },
    "replay",
  );
  deepEqual(aapl.run, { kind: "go", href: "/symbol/AAPL" });
  equal(aapl.hint, "$1,234.50 −1.23 % · REPLAY");
  equal(msft.hint, undefined, "no quote, no number");
});

Deno.test("fuzzy ranking: abbreviations and typos of a title find it first", () => {
  const list = all();
  equal(rankCommands("exec", list)[0].id, "stage:execute");
  equal(rankCommands("bktst", list)[0].id, "stage:backtesting");
  equal(rankCommands("halt", list)[0].id, "action:halt");
  equal(rankCommands("kill switch", list)[0].id, "action:halt", "keywords count too");
  equal(rankCommands("ligh", list)[0].id, "theme:light");
  deepEqual(rankCommands("zzzzqx", list), []);
  deepEqual(rankCommands("  ", list, 3).map((c) => c.id), list.slice(0, 3).map((c) => c.id));
});

Deno.test("uniqueById keeps the first of each id", () => {
  const list = all();
  deepEqual(uniqueById([list[1], ...list]).length, list.length);
  equal(uniqueById([list[1], ...list])[0], list[1]);
});

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: (i) => [...m.keys()][i] ?? null,
    get length() {
      return m.size;
    },
  };
}

Deno.test("recent items: newest first, once each, capped, navigation only", () => {
  const storage = memoryStorage();
  const [execute, risk] = stageCommands(STAGES).filter((c) => /execute|risk/.test(c.id));
  rememberRecent(storage, execute);
  rememberRecent(storage, risk);
  rememberRecent(storage, execute);
  deepEqual(loadRecent(storage).map((c) => c.id), [execute.id, risk.id]);
  equal(loadRecent(storage)[0].group, "Recent");
  rememberRecent(storage, actionCommands("dark").find((c) => c.id === "action:halt")!);
  equal(loadRecent(storage).length, 2, "an action is not remembered");
  for (const c of stageCommands(STAGES)) rememberRecent(storage, c);
  equal(loadRecent(storage).length, RECENT_MAX);
});

Deno.test("recent items: broken or foreign stored data is ignored", () => {
  const storage = memoryStorage();
  storage.setItem(RECENT_KEY, "{not json");
  deepEqual(loadRecent(storage), []);
  storage.setItem(
    RECENT_KEY,
    JSON.stringify([{ id: "x", title: "Evil", href: "//evil.example" }, { id: 1 }, {
      id: "stage:risk",
      title: "Risk",
      href: "/risk",
    }]),
  );
  deepEqual(loadRecent(storage).map((c) => c.id), ["stage:risk"]);
  deepEqual(loadRecent(undefined), []);
});

Deno.test("each order template opens the ticket filled from it, and places nothing", () => {
  const [c] = templateCommands([{
    id: 12,
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
  }]);
  deepEqual(
    [c.id, c.title, c.group, c.hint, c.confirm],
    [
      "template:12",
      "Order template: Swing buy",
      "Order templates",
      "Buy 10 sh · Limit · GTC",
      undefined,
    ],
  );
  deepEqual(c.run, { kind: "go", href: "/execute?template=12" });
  equal(rankCommands("swing", [...all(), c])[0].id, "template:12");
});
