/**
 * The help panel's text (`?`): for each stage what it does, where its numbers come from and the
 * keys it answers to, and the shortcuts that work on every page. Plain data, shared so a page or
 * a test can read it as well as the lazily loaded panel.
 */
import type { StageId } from "./stages.ts";

export interface Shortcut {
  keys: string;
  does: string;
}

export interface StageHelp {
  /** Where the stage's data comes from, in the order it matters. */
  data: string;
  shortcuts: readonly Shortcut[];
}

/** The shortcuts that work on every signed-in page. */
export const GLOBAL_SHORTCUTS: readonly Shortcut[] = [
  { keys: "Ctrl/⌘ + K", does: "Open the command palette (stages, actions, symbols, recent)" },
  { keys: "?", does: "Open this help (not while typing in a field)" },
  { keys: "Ctrl/⌘ + J", does: "Open or close the AI chat" },
  { keys: "Esc", does: "Close a dialog, a list or a confirmation without doing anything" },
  { keys: "Tab, then ← →", does: "Move around the radial menu; Enter opens a stage" },
];

/** Keys inside the palette and any combobox (the symbol search, the ticket's symbol). */
export const LIST_SHORTCUTS: readonly Shortcut[] = [
  { keys: "↑ ↓", does: "Move through the suggestions (wraps around)" },
  { keys: "Enter", does: "Open the highlighted item; an action asks to confirm first" },
  { keys: "Esc", does: "Close the list, or step back from a confirmation" },
];

const MARKET = "Prices come from the market data seam: Tradier when configured, otherwise the " +
  "replay of the shipped daily history, labelled REPLAY (intraday moves simulated inside each " +
  "real day).";
const BROKER = "Orders, fills and positions come from the broker: Alpaca paper trading when " +
  "configured, otherwise the built-in paper broker in the database.";
const ANALYST = "The AI text comes from Claude when a key is set, otherwise from the offline " +
  "analyst built on our own indicators, labelled as such.";

export const STAGE_HELP: Record<StageId, StageHelp> = {
  "morning-routine": {
    data:
      `The brief is built from the market snapshot, your positions and your alerts. ${MARKET} ${ANALYST}`,
    shortcuts: [{ keys: "Ctrl/⌘ + K, “brief”", does: "Run the morning brief now" }],
  },
  positions: {
    data: `${BROKER} Market values and P&L use the latest quote. ${MARKET} The Journal at the ` +
      "bottom keeps your notes (why, plan, emotion, lesson, tags) in the database; Add note on " +
      "a position or an order writes one, Export CSV downloads them.",
    shortcuts: [
      {
        keys: "Tab to a row",
        does: "Reach its Add note and Close buttons; closing previews first",
      },
      { keys: "Esc in a note", does: "Close the note form without saving" },
    ],
  },
  execute: {
    data: `${BROKER} The preview checks your risk limits from Settings. ${MARKET} Order ` +
      "templates (above the ticket, and in the palette) keep side, type, time in force, size and " +
      "trail, never limit or stop prices.",
    shortcuts: [
      { keys: "Enter in the ticket", does: "Preview the order; only Confirm sends it" },
      { keys: "Esc", does: "Leave the review without placing anything" },
    ],
  },
  risk: {
    data:
      `Sizing uses your account equity from the broker. Volatility and VaR use daily history. ${MARKET}`,
    shortcuts: [],
  },
  scanner: {
    data: `Scans read daily bars of the shipped universe of US large caps. ${MARKET}`,
    shortcuts: [{ keys: "Ctrl/⌘ + K, a saved scan's name", does: "Run that saved scan" }],
  },
  recommendations: {
    data: `Ideas come from the analyst over market signals. ${ANALYST} ${MARKET}`,
    shortcuts: [],
  },
  settings: {
    data:
      "Your settings are stored in the database, per user; the theme is also kept in a cookie " +
      "so the page paints right away.",
    shortcuts: [{ keys: "Ctrl/⌘ + K, “theme”", does: "Switch the theme (asks to confirm)" }],
  },
  news: {
    data: "Alpaca news when configured; otherwise dated market events derived from the shipped " +
      "prices and a labelled, undated headline sample. Sentiment is our own model.",
    shortcuts: [],
  },
  strategies: {
    data: `Strategies and their versions are stored in the database. ${ANALYST}`,
    shortcuts: [{ keys: "Ctrl/⌘ + K, a strategy's name", does: "Backtest it" }],
  },
  backtesting: {
    data: "Runs over the shipped daily history with the paper broker's fill prices and costs, " +
      "against a buy-and-hold of the S&P 500.",
    shortcuts: [],
  },
};

/** The help for a stage id from the page, or null outside the stages (the hub, a symbol page). */
export function helpFor(stage: string | undefined): StageHelp | null {
  return stage && Object.hasOwn(STAGE_HELP, stage) ? STAGE_HELP[stage as StageId] : null;
}
