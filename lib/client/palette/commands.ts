/**
 * What the palette offers: every stage, the actions, the user's saved scans, strategies and
 * order templates,
 * symbols with their quotes, and recent items, as plain data. A command says what running it
 * means (`run`); the overlay does it. Anything that changes something carries a `confirm`
 * question, and the overlay asks it before doing anything.
 */
import fuzzysort from "fuzzysort";
import type { Stage } from "../../shared/stages.ts";
import type { Theme } from "../../shared/appearance.ts";
import { THEMES } from "../../shared/appearance.ts";
import { symbolHref } from "../../shared/search_nav.ts";
import { formatChangePercent, formatPrice } from "../../shared/format.ts";
import { describeTemplate, type OrderTemplate } from "../../shared/order_template.ts";

export type CommandGroup =
  | "Recent"
  | "Stages"
  | "Actions"
  | "Symbols"
  | "Saved scans"
  | "Strategies"
  | "Order templates";

export type CommandRun =
  | { kind: "go"; href: string }
  | { kind: "brief" }
  | { kind: "halt" }
  | { kind: "theme"; theme: Theme };

export interface Command {
  /** Unique in a list: `stage:risk`, `symbol:AAPL`, `scan:3`, `backtest:5:2`, `theme:light`. */
  id: string;
  title: string;
  group: CommandGroup;
  /** Extra words the matcher reads (not shown). */
  keywords?: string;
  /** Shown on the right: a quote, a version. */
  hint?: string;
  run: CommandRun;
  /** The question asked before running; absent for plain navigation. */
  confirm?: string;
}

export function stageCommands(stages: readonly Stage[]): Command[] {
  return stages.map((s) => ({
    id: `stage:${s.id}`,
    title: s.name,
    group: "Stages",
    keywords: `${s.label.join(" ")} ${s.description}`,
    run: { kind: "go", href: s.href },
  }));
}

/** The fixed actions; the theme in use is left out of the theme switches. */
export function actionCommands(currentTheme: string | undefined): Command[] {
  const list: Command[] = [
    {
      id: "action:new-order",
      title: "New order",
      group: "Actions",
      keywords: "buy sell trade ticket execute",
      run: { kind: "go", href: "/execute" },
    },
    {
      id: "action:brief",
      title: "Run the morning brief",
      group: "Actions",
      keywords: "morning routine brief today",
      run: { kind: "brief" },
      confirm: "Build today's morning brief now? It then opens in Morning Routine.",
    },
    {
      id: "action:halt",
      title: "Halt trading",
      group: "Actions",
      keywords: "kill switch stop halt freeze",
      run: { kind: "halt" },
      confirm: "Halt trading on your account? New orders, approvals and automated orders are " +
        "refused until you resume. Open orders stay as they are.",
    },
  ];
  for (const theme of THEMES) {
    if (theme === currentTheme) continue;
    list.push({
      id: `theme:${theme}`,
      title: `Switch theme: ${theme}`,
      group: "Actions",
      keywords: "appearance theme colour color dark light system",
      run: { kind: "theme", theme },
      confirm: `Switch to the ${theme} theme? It is saved in your settings.`,
    });
  }
  return list;
}

export function scanCommands(scans: readonly { id: number; name: string }[]): Command[] {
  return scans.map((s) => ({
    id: `scan:${s.id}`,
    title: `Run saved scan: ${s.name}`,
    group: "Saved scans",
    keywords: "scanner screen",
    run: { kind: "go", href: `/scanner?saved=${s.id}` },
  }));
}

export function strategyCommands(
  strategies: readonly { id: number; name: string; version: number }[],
): Command[] {
  return strategies.map((s) => ({
    id: `backtest:${s.id}:${s.version}`,
    title: `Backtest: ${s.name}`,
    group: "Strategies",
    keywords: "strategy backtesting test",
    hint: `v${s.version}`,
    run: { kind: "go", href: `/backtesting?strategy=${s.id}&version=${s.version}` },
  }));
}

/** Each template opens Execute Trade with the ticket filled from it; nothing is placed. */
export function templateCommands(templates: readonly OrderTemplate[]): Command[] {
  return templates.map((t) => ({
    id: `template:${t.id}`,
    title: `Order template: ${t.name}`,
    group: "Order templates",
    keywords: "order ticket template buy sell trade",
    hint: describeTemplate(t),
    run: { kind: "go", href: `/execute?template=${t.id}` },
  }));
}

export interface SymbolQuote {
  last: number | null;
  changePercent: number | null;
}

/** Symbols found by the search API, with the quote for each when it came (USD, % change). */
export function symbolCommands(
  matches: readonly { symbol: string; name: string }[],
  quotes: Readonly<Record<string, SymbolQuote>>,
  source: string | null,
): Command[] {
  return matches.map((m) => {
    const q = quotes[m.symbol];
    const hint = q && q.last !== null
      ? `$${formatPrice(q.last)} ${formatChangePercent(q.changePercent)}${
        source === "replay" ? " · REPLAY" : ""
      }`
      : undefined;
    return {
      id: `symbol:${m.symbol}`,
      title: `${m.symbol} · ${m.name}`,
      group: "Symbols",
      keywords: m.symbol,
      hint,
      run: { kind: "go", href: symbolHref(m.symbol) },
    };
  });
}

/**
 * The commands matching `query`, best first (fuzzy over title and keywords, the title counting
 * more); an empty query keeps the given order. At most `limit`.
 */
export function rankCommands(query: string, commands: readonly Command[], limit = 30): Command[] {
  const q = query.trim();
  if (!q) return commands.slice(0, limit);
  return fuzzysort.go(q, commands, {
    keys: ["title", "keywords"],
    limit,
    threshold: 0.3,
    scoreFn: (r) => Math.max(r[0].score, r[1].score * 0.8),
  }).map((r) => r.obj);
}

/** A list with no id twice (the first wins), so recent items do not repeat below. */
export function uniqueById(commands: readonly Command[]): Command[] {
  const seen = new Set<string>();
  return commands.filter((c) => !seen.has(c.id) && (seen.add(c.id), true));
}
