import { useEffect, useState } from "preact/hooks";
import type { OptionChain, OptionExpirations } from "../lib/market/types.ts";
import { callApi } from "../lib/client/trading_fetch.ts";
import {
  type Analysis,
  analyzeBody,
  draftsFromTemplate,
  type LegDraft,
  newLeg,
  type TemplateInfo,
} from "../lib/client/risk/options_builder.ts";
import { useSendAsOrder } from "../lib/client/options/use_send_as_order.ts";
import { formatDate } from "../lib/shared/format.ts";
import OptionResults from "../lib/client/risk/OptionResults.tsx";
import OptionLegsTable from "../lib/client/risk/OptionLegsTable.tsx";

/**
 * The Risk stage's option strategy builder: pick a symbol and an expiration, start from a
 * template or add legs from the chain, edit them, and read the position's payoff (chart with a
 * date slider, metric cards, a price × date table) from `/api/risk/options/analyze`.
 */
export default function OptionStrategyBuilder({ csrfToken }: { csrfToken: string }) {
  const [symbol, setSymbol] = useState("AAPL");
  const [loaded, setLoaded] = useState("AAPL");
  const [expirations, setExpirations] = useState<string[]>([]);
  const [expiration, setExpiration] = useState("");
  const [strikes, setStrikes] = useState<number[]>([]);
  const [spot, setSpot] = useState<number | null>(null);
  const [templates, setTemplates] = useState<TemplateInfo[]>([]);
  const [templateId, setTemplateId] = useState("iron_condor");
  const [legs, setLegs] = useState<LegDraft[]>([]);
  const [ivShift, setIvShift] = useState("0");
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [seriesIndex, setSeriesIndex] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>("Loading the chain…");
  const send = useSendAsOrder();

  useEffect(() => {
    callApi<{ templates: TemplateInfo[] }>("/api/risk/options/templates").then((r) => {
      if (r.ok) setTemplates(r.data.templates);
    });
  }, []);

  // A new symbol: its expirations, about a month out by default.
  useEffect(() => {
    setBusy("Loading the chain…");
    setProblem(null);
    callApi<OptionExpirations>(`/api/options/expirations/${encodeURIComponent(loaded)}`)
      .then((r) => {
        if (!r.ok) return (setBusy(null), setProblem(r.problem.message));
        const list = r.data.expirations;
        setExpirations(list);
        setExpiration(list[Math.min(4, list.length - 1)] ?? "");
        setLegs([]);
        setAnalysis(null);
        if (list.length === 0) (setBusy(null), setProblem(`${loaded} has no listed options.`));
      });
  }, [loaded]);

  useEffect(() => {
    if (!expiration) return;
    const url = `/api/options/chain/${encodeURIComponent(loaded)}?expiration=${expiration}`;
    callApi<OptionChain>(url).then((r) => {
      setBusy(null);
      if (!r.ok) return setProblem(r.problem.message);
      setStrikes([...new Set(r.data.options.map((o) => o.strike))].sort((a, b) => a - b));
      setSpot(r.data.underlyingPrice);
    });
  }, [loaded, expiration]);

  const analyze = async (rows: LegDraft[], shift = ivShift): Promise<Analysis | null> => {
    if (rows.length === 0) return (setAnalysis(null), null);
    setBusy("Analyzing…");
    setProblem(null);
    const r = await callApi<Analysis>("/api/risk/options/analyze", {
      method: "POST",
      body: analyzeBody(loaded, rows, shift),
      csrfToken,
    });
    setBusy(null);
    if (!r.ok) return (setProblem(r.problem.message), null);
    setAnalysis(r.data);
    setSeriesIndex(0);
    return r.data;
  };
  // The legs as they stand now, analysed again so the order is what the chart shows.
  const sendAsOrder = async () => {
    const a = await analyze(legs);
    if (a) await send.open(a.legs);
  };

  const useTemplate = async () => {
    setBusy("Building…");
    setProblem(null);
    const q = new URLSearchParams({ symbol: loaded, expiration });
    const r = await callApi<{ templates: TemplateInfo[] }>(`/api/risk/options/templates?${q}`);
    if (!r.ok) return (setBusy(null), setProblem(r.problem.message));
    const t = r.data.templates.find((x) => x.id === templateId);
    if (!t?.legs) return (setBusy(null), setProblem(t?.unavailable ?? "Unknown template."));
    const rows = draftsFromTemplate(t.legs);
    setLegs(rows);
    await analyze(rows);
  };

  const atm = spot === null || strikes.length === 0 ? "" : String(
    strikes.reduce((a, b) => Math.abs(b - spot) < Math.abs(a - spot) ? b : a),
  );
  const edit = (id: number, key: keyof LegDraft) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    setLegs(legs.map((l) => l.id === id ? { ...l, [key]: value } : l));
  };

  return (
    <section class="sizer glass" aria-labelledby="opt-title" data-testid="option-builder">
      <h2 id="opt-title" class="section-title">Option strategy</h2>
      <form
        class="sizer-form"
        onSubmit={(e) => (e.preventDefault(), setLoaded(symbol.trim().toUpperCase()))}
      >
        <label>
          Underlying
          <input
            name="opt-symbol"
            value={symbol}
            maxLength={10}
            onInput={(e) => setSymbol(e.currentTarget.value)}
          />
        </label>
        <button class="button" type="submit">Load chain</button>
        <label>
          Expiration
          <select
            name="opt-expiration"
            value={expiration}
            onChange={(e) => setExpiration(e.currentTarget.value)}
          >
            {expirations.map((d) => <option key={d} value={d}>{formatDate(d)}</option>)}
          </select>
        </label>
        <label>
          Template
          <select
            name="opt-template"
            value={templateId}
            onChange={(e) => setTemplateId(e.currentTarget.value)}
          >
            {templates.map((t) => (
              <option key={t.id} value={t.id} title={t.description}>{t.label}</option>
            ))}
          </select>
        </label>
        <button
          class="button"
          type="button"
          onClick={useTemplate}
          disabled={!expiration || busy !== null}
          data-testid="opt-use-template"
        >
          Use template
        </button>
      </form>

      <form
        class="opt-legs"
        onSubmit={(e) => (e.preventDefault(), analyze(legs))}
        aria-label="Legs"
      >
        {legs.length > 0 && (
          <OptionLegsTable
            legs={legs}
            strikes={strikes}
            expirations={expirations}
            analysis={analysis}
            edit={edit}
            remove={(id) => setLegs(legs.filter((x) => x.id !== id))}
          />
        )}
        <div class="opt-actions">
          <button
            class="button"
            type="button"
            disabled={!expiration || legs.length >= 8}
            onClick={() => setLegs([...legs, newLeg({ strike: atm, expiration })])}
          >
            Add leg
          </button>
          <label>
            IV shift (vol points)
            <input
              name="opt-iv-shift"
              inputMode="decimal"
              size={4}
              value={ivShift}
              onInput={(e) => setIvShift(e.currentTarget.value)}
            />
          </label>
          <button
            class="button"
            type="submit"
            disabled={legs.length === 0 || busy !== null}
            data-testid="opt-analyze"
          >
            Analyze
          </button>
          <button
            class="button"
            type="button"
            disabled={legs.length === 0 || busy !== null}
            onClick={sendAsOrder}
            data-testid="opt-send-order"
          >
            Send as order
          </button>
        </div>
      </form>
      {send.problem && <p class="ticket-refusal" role="alert">{send.problem}</p>}
      {send.ticket && (
        <send.ticket.Ticket
          key={send.ticket.n}
          csrfToken={csrfToken}
          legs={send.ticket.legs}
          qty={send.ticket.qty}
          origin="From the strategy builder: legs at the chain's contracts."
          onClose={send.close}
        />
      )}

      {busy && <p class="state state--loading" role="status">{busy}</p>}
      {problem && <p class="ticket-refusal" role="alert" data-testid="opt-problem">{problem}</p>}
      {!busy && !problem && legs.length === 0 && (
        <p class="muted">Start from a template, or add legs from the chain.</p>
      )}
      {analysis && (
        <OptionResults analysis={analysis} seriesIndex={seriesIndex} onSeries={setSeriesIndex} />
      )}
    </section>
  );
}
