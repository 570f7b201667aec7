/**
 * The morning brief as the API returns it and the Morning Routine stage shows it. Shared by the
 * server (lib/morning/) and the browser (islands/MorningRoutine.tsx), so it holds types and
 * plain rules only.
 *
 * Every number is a `Figure`: the value with its unit, where it came from (`replay`, `tradier`,
 * `paper`, `alpaca`, `settings`, or `computed` from other figures of the brief) and the time it
 * describes. A replayed market says `source: "replay"` on every market figure.
 *
 * @module
 */

export type FigureUnit = "USD" | "%" | "points" | "count" | "shares";

export interface Figure {
  value: number;
  unit: FigureUnit;
  /** Where the value came from: a market source, a broker, the user's settings. */
  source: string;
  /** The time (ISO instant) or trading day (`YYYY-MM-DD`) the value describes. */
  asOf: string;
}

export interface IndexLine {
  symbol: string;
  label: string;
  close: Figure;
  change: Figure;
  changePercent: Figure;
}

export interface Mover {
  symbol: string;
  name: string;
  sector: string | null;
  close: Figure;
  changePercent: Figure;
}

export interface SectorLine {
  sector: string;
  /** Stocks of the sector in the universe. */
  members: Figure;
  advancers: Figure;
  /** Equal-weighted mean of the members' moves. */
  changePercent: Figure;
}

/** The market regime model's state on the overview's day (lib/ml, the one the ideas use). */
export interface MarketRegime {
  /** The fitted state's name ("calm uptrend", "correction", …). */
  name: string;
  /** What decided it: the model and the prices it read. */
  source: string;
  asOf: string;
  /** The S&P 500's 20-day return and the VIX close, two of the model's features. */
  spxReturn20: Figure;
  vix: Figure;
}

export interface MarketOverview {
  /** The trading day whose closes the overview reads (the day before the brief's day). */
  asOf: string;
  source: string;
  indexes: IndexLine[];
  /** Absent in briefs stored before it existed; null when the model could not run. */
  regime?: MarketRegime | null;
  breadth: {
    universe: Figure;
    advancers: Figure;
    decliners: Figure;
    unchanged: Figure;
    newHighs: Figure;
    newLows: Figure;
  };
  gainers: Mover[];
  losers: Mover[];
  sectors: SectorLine[];
}

export interface PortfolioOverview {
  source: string;
  prices: string;
  equity: Figure;
  lastEquity: Figure;
  change: Figure;
  changePercent: Figure | null;
  cash: Figure;
  positions: Figure;
}

export interface OpenOrderLine {
  id: string;
  symbol: string;
  side: string;
  type: string;
  qty: Figure | null;
  limitPrice: Figure | null;
  stopPrice: Figure | null;
  status: string;
}

export type RiskAlertKind = "near_stop" | "concentration" | "daily_loss";

export interface RiskAlert {
  kind: RiskAlertKind;
  severity: "warn" | "breach";
  symbol: string | null;
  message: string;
  value: Figure;
  limit: Figure;
}

/** A section another module fills (recommendations, proposals); `available: false` when absent. */
export interface ExtraSection {
  available: boolean;
  /** Why it is empty or unavailable, in words. */
  note: string | null;
  items: ExtraItem[];
}

export interface ExtraItem {
  id: string;
  title: string;
  detail: string | null;
  link: string | null;
}

export interface Narrative {
  text: string;
  analyst: string;
  model: string;
  /** Figures in the text that matched no number of the brief (lib/ai/grounding.ts). */
  unverified: string[];
  checked: number;
}

export interface MorningBrief {
  /** The market day the brief prepares for (`YYYY-MM-DD`, the replayed day in replay). */
  date: string;
  generatedAt: string;
  /** `replay` when the market is replayed: shown as the REPLAY badge. */
  source: string;
  market: MarketOverview | null;
  /** Why the market overview is missing, when it is. */
  marketError: string | null;
  portfolio: PortfolioOverview | null;
  portfolioError: string | null;
  openOrders: OpenOrderLine[];
  riskAlerts: RiskAlert[];
  recommendations: ExtraSection;
  proposals: ExtraSection;
  /** The user's scheduled saved scans and their hits (absent in briefs stored before it). */
  scans?: ExtraSection;
  narrative: Narrative;
}

export type BriefStatus = "running" | "done" | "failed";

export interface ChecklistItem {
  id: string;
  label: string;
  done: boolean;
}

/** One stored brief as the API answers it. */
export interface BriefRecord {
  id: number;
  date: string;
  status: BriefStatus;
  trigger: "job" | "manual";
  progress: number;
  step: string | null;
  error: string | null;
  finishedAt: string | null;
  brief: MorningBrief | null;
  checklist: ChecklistItem[];
}

/** The checklist every brief carries, in order. */
export const CHECKLIST: readonly { id: string; label: string }[] = [
  { id: "market", label: "Read the market overview and the movers" },
  { id: "portfolio", label: "Check the portfolio's overnight change" },
  { id: "orders", label: "Review the open orders" },
  { id: "risk", label: "Act on the risk alerts" },
  { id: "ideas", label: "Look over today's recommendations and proposals" },
  { id: "plan", label: "Write down today's plan and limits" },
];

export const CHECKLIST_IDS: readonly string[] = CHECKLIST.map((c) => c.id);
