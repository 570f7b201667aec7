/**
 * The ten workflow stages of PaiiD: the wedges of the radial menu and the pages they open.
 *
 * The array order is the wheel order, clockwise from about ten o'clock, so the radial menu,
 * keyboard navigation and any "stage n of 10" text all read it from here.
 */

export interface Stage {
  /** Also the URL slug: the stage lives at `/<id>`. */
  id: string;
  href: string;
  name: string;
  /** The two lines printed on the wedge. */
  label: readonly [string, string];
  /** One sentence: what the stage is for. */
  description: string;
  color: string;
  /** What the stage will do once it is built; shown on its placeholder page until then. */
  plan: string;
}

export const STAGES = [
  {
    id: "morning-routine",
    href: "/morning-routine",
    name: "Morning Routine",
    label: ["Morning", "Routine"],
    description: "Get ready for the session with one look at the market and your book.",
    color: "#00ACC1",
    plan: "Opens the day with a market overview: index levels, volatility and the biggest " +
      "movers in the universe. Reviews the portfolio's overnight change and open orders, then " +
      "lists the alerts that need attention before the bell.",
  },
  {
    id: "positions",
    href: "/positions",
    name: "Active Positions",
    label: ["Active", "Positions"],
    description: "Watch and manage every open position and its profit or loss.",
    color: "#00C851",
    plan: "Shows live positions with quantity, average cost, market value and unrealized P&L " +
      "in dollars and percent. Each position can be closed in full or in part from its row, " +
      "going through the same preview and confirmation as any other order.",
  },
  {
    id: "execute",
    href: "/execute",
    name: "Execute Trade",
    label: ["Execute", "Trade"],
    description: "Place an order through a ticket you preview and confirm before it is sent.",
    color: "#FF4444",
    plan: "An order ticket for symbol, side, quantity, order type and time in force. A preview " +
      "shows the estimated cost, buying power left and the risk limits it touches, and nothing " +
      "is sent until you confirm it.",
  },
  {
    id: "risk",
    href: "/risk",
    name: "Risk",
    label: ["Risk &", "Sizing"],
    description: "Size positions and see how much the portfolio stands to lose.",
    color: "#FF8800",
    plan: "Calculates position size from account equity, stop distance and the risk you accept " +
      "per trade. Breaks exposure down by symbol and sector, and draws the payoff and risk " +
      "profile of option positions at expiry.",
  },
  {
    id: "scanner",
    href: "/scanner",
    name: "Market Scanner",
    label: ["Market", "Scanner"],
    description: "Screen the stock universe for technical setups worth a closer look.",
    color: "#3B82F6",
    plan: "Screens the shipped universe of US large caps by technical criteria such as trend, " +
      "momentum, moving-average crosses, volume and distance from highs. Results sort and " +
      "link straight to a chart or an order ticket.",
  },
  {
    id: "recommendations",
    href: "/recommendations",
    name: "AI Recommendations",
    label: ["AI", "Recs"],
    description: "Read trade ideas from the AI analyst, each with its reasoning.",
    color: "#0097A7",
    plan: "Presents trade ideas from the AI analyst, each with its entry, exit and stop, the " +
      "reasoning behind it and a confidence score. An idea can be dismissed or sent to the " +
      "order ticket for review.",
  },
  {
    id: "settings",
    href: "/settings",
    name: "Settings",
    label: ["App", "Settings"],
    description: "Set your risk limits, trading defaults and preferences.",
    color: "#64748b",
    plan: "Holds the risk limits every order is checked against, the default order size and " +
      "the watchlist. Also sets the theme and the trading mode, which stays on paper until " +
      "live trading is deliberately enabled.",
  },
  {
    id: "news",
    href: "/news",
    name: "News Review",
    label: ["News", "Review"],
    description: "Follow the finance news that moves your symbols, scored for sentiment.",
    color: "#7E57C2",
    plan: "Collects finance news for the watchlist and open positions and scores each story's " +
      "sentiment as bullish, bearish or neutral. Filters narrow it by symbol, source and " +
      "sentiment.",
  },
  {
    id: "strategies",
    href: "/strategies",
    name: "Strategy Builder",
    label: ["Strategy", "Builder"],
    description: "Write trading strategies as clear entry and exit rules.",
    color: "#5E35B1",
    plan: "Builds rule-based strategies from entry, exit and sizing rules. Start from a " +
      "template or describe the idea in plain words and let the AI draft the rules, which you " +
      "then review and edit.",
  },
  {
    id: "backtesting",
    href: "/backtesting",
    name: "Backtesting",
    label: ["Back-", "testing"],
    description: "Test a strategy against market history before risking money on it.",
    color: "#00BCD4",
    plan: "Runs a strategy over daily market history with commissions and slippage included. " +
      "Reports the equity curve, drawdown, win rate and trade list next to a buy-and-hold " +
      "benchmark of the S&P 500.",
  },
] as const satisfies readonly Stage[];

export type StageId = (typeof STAGES)[number]["id"];

/** Looks a stage up by id; the id type makes a typo a compile error rather than a 500. */
export function stageById(id: StageId): Stage {
  // The `StageId` type guarantees a match.
  return STAGES.find((stage) => stage.id === id)!;
}

/** The stage a URL path belongs to (`/risk`, `/risk/anything`), or null outside the stages. */
export function stageForPath(pathname: string): Stage | null {
  return STAGES.find((stage) => pathname === stage.href || pathname.startsWith(stage.href + "/")) ??
    null;
}
