/**
 * One morning brief, as the Morning Routine stage shows it (props in, markup out). Each number
 * keeps its source and as-of time in a tooltip (`title`), so the reader can ask where it came
 * from without leaving the page.
 */
import type { ExtraSection, Figure, MorningBrief } from "../lib/shared/morning.ts";
import { direction, formatChange, formatChangePercent, formatPrice } from "../lib/shared/format.ts";

function tip(f: Figure): string {
  return `source: ${f.source}, as of ${f.asOf}`;
}

/** A figure written in its unit, with its source in the tooltip. */
export function Fig({ f, signed = false }: { f: Figure | null; signed?: boolean }) {
  if (!f) return <span>—</span>;
  let text: string;
  if (f.unit === "%") text = signed ? formatChangePercent(f.value) : `${f.value.toFixed(2)} %`;
  else if (f.unit === "USD") text = `${signed ? formatChange(f.value) : formatPrice(f.value)} USD`;
  else if (f.unit === "points") text = signed ? formatChange(f.value) : formatPrice(f.value);
  else if (f.unit === "shares") text = `${f.value} shares`;
  else text = String(f.value);
  return <span class={signed ? direction(f.value) : undefined} title={tip(f)}>{text}</span>;
}

function Extra(
  { title, section, testId }: { title: string; section: ExtraSection; testId: string },
) {
  return (
    <section class="morning-block" data-testid={testId}>
      <h3>{title}</h3>
      {section.note && <p class="muted">{section.note}</p>}
      {section.items.length > 0 && (
        <ul>
          {section.items.map((i) => (
            <li key={i.id}>
              {i.link ? <a href={i.link}>{i.title}</a> : i.title}
              {i.detail && <span class="muted">{` — ${i.detail}`}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function MorningBriefView({ brief }: { brief: MorningBrief }) {
  const m = brief.market;
  const p = brief.portfolio;
  return (
    <div class="morning-brief" data-testid="morning-brief">
      <section class="morning-block morning-narrative">
        <p data-testid="morning-narrative">{brief.narrative.text}</p>
        <p class="muted small">
          Written by the {brief.narrative.analyst} analyst
          {brief.narrative.unverified.length > 0
            ? `; unverified figures: ${brief.narrative.unverified.join(", ")}`
            : "; every figure checked against the brief"}.
        </p>
      </section>
      <section class="morning-block" aria-label="Market overview">
        <h3>Market on {m?.asOf ?? "—"}</h3>
        {!m && <p class="ticket-refusal">Market overview not available: {brief.marketError}</p>}
        {m && (
          <>
            <ul class="morning-indexes">
              {m.indexes.map((i) => (
                <li key={i.symbol}>
                  <strong>{i.label}</strong> <Fig f={i.close} /> <Fig f={i.change} signed />{" "}
                  (<Fig f={i.changePercent} signed />)
                </li>
              ))}
            </ul>
            {m.regime && (
              <p
                data-testid="morning-regime"
                title={`source: ${m.regime.source}, as of ${m.regime.asOf}`}
              >
                <strong>Market regime</strong> {m.regime.name} (S&P 500 20-day return{" "}
                <Fig f={m.regime.spxReturn20} signed />, VIX <Fig f={m.regime.vix} />) —{" "}
                <span class="muted small">{m.regime.source}, {m.regime.asOf}</span>
              </p>
            )}
            <p>
              Breadth: <Fig f={m.breadth.advancers} /> up, <Fig f={m.breadth.decliners} /> down,
              {" "}
              <Fig f={m.breadth.unchanged} /> unchanged of <Fig f={m.breadth.universe} />;{" "}
              new 52-week highs <Fig f={m.breadth.newHighs} />, lows <Fig f={m.breadth.newLows} />.
            </p>
            <div class="morning-movers">
              {([["Gainers", m.gainers], ["Losers", m.losers]] as const).map(([label, list]) => (
                <table key={label} class="morning-table">
                  <caption>{label}</caption>
                  <tbody>
                    {list.map((x) => (
                      <tr key={x.symbol}>
                        <td>
                          <a href={`/symbol/${encodeURIComponent(x.symbol)}`}>{x.symbol}</a>
                        </td>
                        <td class="num">
                          <Fig f={x.close} />
                        </td>
                        <td class="num">
                          <Fig f={x.changePercent} signed />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ))}
            </div>
            <table class="morning-table">
              <caption>Sectors (equal-weighted)</caption>
              <tbody>
                {m.sectors.map((s) => (
                  <tr key={s.sector}>
                    <td>{s.sector}</td>
                    <td class="num">
                      <Fig f={s.advancers} /> of <Fig f={s.members} /> up
                    </td>
                    <td class="num">
                      <Fig f={s.changePercent} signed />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section class="morning-block" aria-label="Portfolio">
        <h3>Portfolio</h3>
        {!p && <p class="ticket-refusal">Account not available: {brief.portfolioError}</p>}
        {p && (
          <p>
            Equity <Fig f={p.equity} />, <Fig f={p.change} signed /> {p.changePercent && (
              <>
                (<Fig f={p.changePercent} signed />)
              </>
            )} since the last close; cash <Fig f={p.cash} />; <Fig f={p.positions} /> positions.
          </p>
        )}
        <h4>Open orders</h4>
        {brief.openOrders.length === 0 ? <p class="muted">No open orders.</p> : (
          <ul>
            {brief.openOrders.map((o) => (
              <li key={o.id}>
                {o.side} <Fig f={o.qty} /> {o.symbol} {o.type}
                {o.limitPrice && (
                  <>
                    {" "}limit <Fig f={o.limitPrice} />
                  </>
                )}
                {o.stopPrice && (
                  <>
                    {" "}stop <Fig f={o.stopPrice} />
                  </>
                )} ({o.status})
              </li>
            ))}
          </ul>
        )}
        <h4>Risk alerts</h4>
        {brief.riskAlerts.length === 0
          ? <p class="muted">No risk alerts.</p>
          : (
            <ul data-testid="morning-risk">
              {brief.riskAlerts.map((a, i) => (
                <li key={i} class={a.severity === "breach" ? "loss" : undefined}>
                  {a.message} <span class="muted small" title={tip(a.limit)}>({a.kind})</span>
                </li>
              ))}
            </ul>
          )}
      </section>
      <Extra
        title="Today's recommendations"
        section={brief.recommendations}
        testId="morning-recommendations"
      />
      <Extra
        title="Proposals waiting for you"
        section={brief.proposals}
        testId="morning-proposals"
      />
      {brief.scans && (
        <Extra title="Your scheduled scans" section={brief.scans} testId="morning-scans" />
      )}
    </div>
  );
}
