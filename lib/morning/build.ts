/**
 * Builds one user's morning brief from the seams: the market overview (lib/morning/market.ts),
 * the account, open orders and risk alerts (lib/morning/account.ts), the sections other modules
 * provide (`BriefExtras`), and the analyst's narrative (lib/morning/narrative.ts). A failing
 * part leaves its section empty with the reason; only the narrative is always there.
 *
 * @module
 */
import type { Services } from "../services.ts";
import { getSettings } from "../settings.ts";
import type { ExtraItem, ExtraSection, MarketOverview, MorningBrief } from "../shared/morning.ts";
import { openOrderLines, portfolioOverview, riskAlerts } from "./account.ts";
import { gatherMarket } from "./market.ts";
import { writeNarrative } from "./narrative.ts";

/**
 * Sections of the brief that other modules fill: today's recommendations (lib/recommendations)
 * and the proposals waiting for approval (lib/proposals). Absent → "not available".
 */
export interface BriefExtras {
  recommendations?(userId: number, date: string): Promise<ExtraItem[]>;
  proposals?(userId: number): Promise<ExtraItem[]>;
  /** The user's scheduled saved scans, each with its latest hits (lib/scanner). */
  scans?(userId: number): Promise<ExtraItem[]>;
}

/** What building a brief reads. */
export type MorningServices =
  & Pick<Services, "db" | "market" | "broker" | "analyst" | "log">
  & { morningExtras?: BriefExtras };

/** Progress of a build: percent done and the step in words. */
export type Progress = (percent: number, step: string) => Promise<void> | void;

const message = (err: unknown) => err instanceof Error ? err.message : String(err);

async function extra(
  name: string,
  provider: (() => Promise<ExtraItem[]>) | undefined,
  empty = `No ${name.toLowerCase()} today.`,
): Promise<ExtraSection> {
  if (!provider) {
    return { available: false, note: `${name} are not available yet.`, items: [] };
  }
  try {
    const items = await provider();
    return {
      available: true,
      note: items.length ? null : empty,
      items,
    };
  } catch (err) {
    return { available: false, note: `${name} could not be read: ${message(err)}`, items: [] };
  }
}

export interface BuildOptions {
  /** A market overview already gathered for this run (the job shares one across users). */
  market?: Promise<MarketOverview>;
  progress?: Progress;
  now?: () => Date;
}

export async function buildBrief(
  services: MorningServices,
  userId: number,
  date: string,
  opts: BuildOptions = {},
): Promise<MorningBrief> {
  const progress = opts.progress ?? (() => {});
  const now = opts.now ?? (() => new Date());
  await progress(5, "Reading the market");
  let market: MarketOverview | null = null;
  let marketError: string | null = null;
  try {
    market = await (opts.market ?? gatherMarket(services.market));
  } catch (err) {
    marketError = message(err);
  }

  await progress(40, "Reading the account");
  const { broker } = services;
  let portfolio: MorningBrief["portfolio"] = null;
  let portfolioError: string | null = null;
  let openOrders: MorningBrief["openOrders"] = [];
  let alerts: MorningBrief["riskAlerts"] = [];
  try {
    const [account, positions, orders, settings] = await Promise.all([
      broker.account(userId),
      broker.positions(userId),
      broker.orders(userId, { status: "open", limit: 100 }),
      getSettings(services.db, userId),
    ]);
    portfolio = portfolioOverview(account, positions);
    openOrders = openOrderLines(orders);
    alerts = riskAlerts(account, positions, orders, settings);
  } catch (err) {
    portfolioError = message(err);
  }

  await progress(70, "Collecting recommendations, proposals and scheduled scans");
  const extras = services.morningExtras ?? {};
  const [recommendations, proposals, scans] = await Promise.all([
    extra(
      "Recommendations",
      extras.recommendations && (() => extras.recommendations!(userId, date)),
    ),
    extra("Proposals", extras.proposals && (() => extras.proposals!(userId))),
    extra(
      "Scheduled scans",
      extras.scans && (() => extras.scans!(userId)),
      "No scheduled scans: save a scan on the Market Scanner and set it to run every morning.",
    ),
  ]);

  await progress(80, "Writing the narrative");
  const facts = {
    date,
    generatedAt: now().toISOString(),
    source: market?.source ?? services.market.source,
    market,
    marketError,
    portfolio,
    portfolioError,
    openOrders,
    riskAlerts: alerts,
    recommendations,
    proposals,
    scans,
  };
  const narrative = await writeNarrative(services.analyst, userId, facts, services.log);
  return { ...facts, narrative };
}
