import type { Account } from "../lib/broker/types.ts";
import type { PortfolioTotals } from "../lib/broker/totals.ts";
import { formatSignedPercent, formatSignedUsd, formatUsd, tone } from "../lib/shared/money.ts";

interface SummaryCardsProps {
  /** Null until the account is known: the cards then say loading (or "—" once it failed). */
  account: Account | null;
  totals: PortfolioTotals;
  failed: boolean;
}

/** The account's summary cards on Active Positions: values, cost, P&L, day change, cash. */
export default function SummaryCards({ account, totals, failed }: SummaryCardsProps) {
  const ready = account !== null;
  const v = (text: string) => (ready ? text : failed ? "—" : "…");
  const cards: { label: string; value: string; sub?: string; cls?: string; id: string }[] = [
    { id: "market-value", label: "Market value", value: v(formatUsd(totals.marketValue)) },
    { id: "cost-basis", label: "Cost basis", value: v(formatUsd(totals.costBasis)) },
    {
      id: "unrealized",
      label: "Unrealized P&L",
      value: v(formatSignedUsd(totals.unrealizedPl)),
      sub: ready ? formatSignedPercent(totals.unrealizedPlPercent) : undefined,
      cls: tone(totals.unrealizedPl),
    },
    {
      id: "day",
      label: "Day change",
      value: v(formatSignedUsd(account?.dayPl)),
      sub: ready && account?.dayPlPercent !== null && account?.dayPlPercent !== undefined
        ? formatSignedPercent(account.dayPlPercent)
        : undefined,
      cls: tone(account?.dayPl),
    },
    { id: "cash", label: "Cash", value: v(formatUsd(account?.cash)) },
    { id: "buying-power", label: "Buying power", value: v(formatUsd(account?.buyingPower)) },
    { id: "equity", label: "Equity", value: v(formatUsd(account?.equity)) },
  ];
  return (
    <ul class="positions-cards" data-testid="summary-cards" aria-label="Account summary, USD">
      {cards.map((c) => (
        <li key={c.id} class="positions-summary glass" data-testid={`summary-${c.id}`}>
          <span class="positions-summary-label">{c.label}</span>
          <span class={`positions-summary-value num ${c.cls ?? ""}`}>{c.value}</span>
          {c.sub && <span class={`positions-summary-sub num ${c.cls ?? ""}`}>{c.sub}</span>}
        </li>
      ))}
    </ul>
  );
}
