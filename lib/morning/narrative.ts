/**
 * The brief's short narrative: the analyst (Claude, or the offline analyst's template) writes a
 * few sentences from the brief's own figures, and the grounding checker (lib/ai/grounding.ts)
 * lists any figure in the text that is not one of them. When Claude fails, the template stands
 * in, labelled `offline`.
 *
 * @module
 */
import { z } from "zod";
import type { Analyst, ToolCallRecord } from "../ai/types.ts";
import { checkGrounding } from "../ai/grounding.ts";
import type { Logger } from "../log.ts";
import type { MorningBrief, Narrative } from "../shared/morning.ts";

const schema = z.strictObject({ narrative: z.string().trim().min(1).max(1500) });

const num = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${num.format(Math.abs(v))}`;

type Facts = Omit<MorningBrief, "narrative">;

/** The offline narrative: fixed sentences over the brief's figures, written as they are. */
export function templateNarrative(b: Facts): string {
  const out: string[] = [];
  const m = b.market;
  if (m) {
    const idx = m.indexes.map((i) =>
      `the ${i.label} closed at ${num.format(i.close.value)} (${signed(i.changePercent.value)} %)`
    );
    if (idx.length) out.push(`On ${m.asOf} ${idx.join(" and ")}.`);
    const br = m.breadth;
    out.push(
      `Of ${br.universe.value} stocks in the universe ${br.advancers.value} rose and ` +
        `${br.decliners.value} fell; ${br.newHighs.value} made a 12-month high and ` +
        `${br.newLows.value} a 12-month low.`,
    );
    const best = m.sectors[0];
    const worst = m.sectors.at(-1);
    if (best && worst && best !== worst) {
      out.push(
        `${best.sector} led (${signed(best.changePercent.value)} %) and ${worst.sector} ` +
          `lagged (${signed(worst.changePercent.value)} %).`,
      );
    }
    if (m.regime) {
      out.push(
        `The regime model (k-means on S&P 500 and VIX) puts ${m.regime.asOf} in ` +
          `“${m.regime.name}” (S&P 500 20-day return ${signed(m.regime.spxReturn20.value)} %, ` +
          `VIX ${num.format(m.regime.vix.value)}).`,
      );
    }
    const top = m.gainers[0];
    const bottom = m.losers[0];
    if (top) out.push(`Top gainer: ${top.symbol} ${signed(top.changePercent.value)} %.`);
    if (bottom) out.push(`Top loser: ${bottom.symbol} ${signed(bottom.changePercent.value)} %.`);
  } else {
    out.push("The market overview is not available this morning.");
  }
  const p = b.portfolio;
  if (p) {
    out.push(
      `Your equity is $${num.format(p.equity.value)}, ${signed(p.change.value)} USD since the ` +
        "last close.",
    );
  }
  const breaches = b.riskAlerts.filter((a) => a.severity === "breach").length;
  out.push(
    `${b.openOrders.length} open ${b.openOrders.length === 1 ? "order" : "orders"}, ` +
      `${b.riskAlerts.length} risk ${b.riskAlerts.length === 1 ? "alert" : "alerts"}` +
      (breaches ? ` (${breaches} over a limit).` : "."),
  );
  return out.join(" ");
}

const INSTRUCTIONS =
  "Write the trader's morning narrative: 3 to 5 plain sentences on the market overview (name " +
  "the market regime when the input has one, saying it comes from the regime model), the " +
  "portfolio and the risk alerts in the input. Use only figures from the input, written as " +
  "they appear there (rounded to at most 2 decimals), with units. No advice to buy or sell.";

export async function writeNarrative(
  analyst: Analyst,
  userId: number,
  facts: Facts,
  log?: Logger,
): Promise<Narrative> {
  let text: string;
  let kind: string = analyst.kind;
  let model = analyst.model;
  try {
    const result = await analyst.structured({
      userId,
      task: "morning_brief",
      instructions: INSTRUCTIONS,
      input: facts,
      schema,
      offline: () => Promise.resolve({ narrative: templateNarrative(facts) }),
    });
    text = result.value.narrative;
    kind = result.analyst;
    model = result.model;
  } catch (err) {
    log?.warn("morning narrative fell back to the template", { error: String(err) });
    text = templateNarrative(facts);
    kind = "offline";
    model = "offline";
  }
  const source: ToolCallRecord = {
    id: "brief",
    name: "morning_brief",
    input: {},
    ok: true,
    output: facts,
    ms: 0,
  };
  const grounding = checkGrounding(text, [source]);
  return { text, analyst: kind, model, ...grounding };
}
