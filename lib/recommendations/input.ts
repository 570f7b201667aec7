/**
 * What the analyst works from, one builder for Claude and the offline rules alike: the
 * strongest candidates' signals, the portfolio, the market regime and the risk settings.
 *
 * Candidates: every held position with signals (at most 6), then the strongest scores among
 * the watchlists and the universe, up to `maxCandidates` (default 8) in all.
 *
 * @module
 */
import type { Services } from "../services.ts";
import { getSettings, type Settings } from "../settings.ts";
import { type Signal, type UserSignals, userSignals } from "../signals/mod.ts";
import { riskPercentOf } from "./sizing.ts";

export interface CandidateInput {
  symbol: string;
  name: string;
  sector: string | null;
  close: number;
  atr: number;
  score: number;
  origins: string[];
  asOf: string;
  source: string;
  signals: Signal[];
}

export interface AnalystInput {
  asOf: string;
  source: string;
  regime: Signal | null;
  candidates: CandidateInput[];
  portfolio: {
    source: string;
    equity: number;
    cash: number;
    positions: {
      symbol: string;
      qty: number;
      avgEntryPrice: number;
      currentPrice: number | null;
    }[];
  };
  risk: {
    riskPerTradePercent: number;
    maxOrderValue: number;
    maxPositionPercent: number;
    allowShortSelling: boolean;
  };
}

export interface BuiltInput {
  input: AnalystInput;
  settings: Settings;
  signals: UserSignals;
}

const MAX_HELD = 6;

export async function buildAnalystInput(
  services: Pick<Services, "market" | "db" | "broker">,
  userId: number,
  { maxCandidates = 8 }: { maxCandidates?: number } = {},
): Promise<BuiltInput> {
  const [signals, settings, account, positions] = await Promise.all([
    userSignals(services, userId),
    getSettings(services.db, userId),
    services.broker.account(userId),
    services.broker.positions(userId).catch(() => []),
  ]);
  const heldSet = new Set(signals.held);
  const held = signals.symbols.filter((s) => heldSet.has(s.symbol)).slice(0, MAX_HELD);
  const others = signals.symbols.filter((s) => !heldSet.has(s.symbol))
    .slice(0, Math.max(0, maxCandidates - held.length));
  const candidates = [...held, ...others].map((s): CandidateInput => ({
    symbol: s.symbol,
    name: s.name,
    sector: s.sector,
    close: s.close,
    atr: Math.round(s.atr * 100) / 100,
    score: s.score,
    origins: s.origins,
    asOf: s.asOf,
    source: s.source,
    signals: s.signals,
  }));
  return {
    signals,
    settings,
    input: {
      asOf: signals.asOf,
      source: signals.source,
      regime: signals.regime,
      candidates,
      portfolio: {
        source: account.source,
        equity: account.equity,
        cash: account.cash,
        positions: positions.map((p) => ({
          symbol: p.symbol,
          qty: p.qty,
          avgEntryPrice: p.avgEntryPrice,
          currentPrice: p.currentPrice,
        })),
      },
      risk: {
        riskPerTradePercent: riskPercentOf(settings),
        maxOrderValue: settings.maxOrderValue,
        maxPositionPercent: settings.maxPositionPercent,
        allowShortSelling: settings.allowShortSelling,
      },
    },
  };
}
