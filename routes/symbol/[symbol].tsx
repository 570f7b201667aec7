import type { Handlers, PageProps } from "../../lib/fresh/types.ts";
import type { State } from "../../lib/state.ts";
import { type CompanyInfo, UnknownSymbolError } from "../../lib/market/types.ts";
import { checkSymbol } from "../../lib/market/symbols.ts";
import QuoteHeader from "../../islands/QuoteHeader.tsx";
import PriceChart from "../../islands/PriceChart.tsx";
import OptionChain from "../../islands/OptionChain.tsx";
import WatchStar from "../../islands/WatchStar.tsx";
import AlertForm from "../../islands/AlertForm.tsx";
import SymbolSignals from "../../islands/SymbolSignals.tsx";

type Data =
  | { ok: true; symbol: string; company: CompanyInfo | null }
  | { ok: false; raw: string; message: string };

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const raw = ctx.params.symbol;
    const checked = checkSymbol(raw);
    if (!checked.ok) {
      return ctx.render({ ok: false, raw, message: checked.message }, { status: 400 });
    }
    const { symbol } = checked;
    // `aapl` and `AAPL` (or `^GSPC` and `SPX`) are one page: send others to the canonical one.
    if (symbol !== raw) {
      return new Response(null, {
        status: 301,
        headers: { location: `/symbol/${encodeURIComponent(symbol)}` },
      });
    }
    const { market } = ctx.state.services;
    let company: CompanyInfo | null = null;
    try {
      company = await market.company(symbol);
    } catch (err) {
      if (err instanceof UnknownSymbolError) return ctx.renderNotFound();
      // A failing source should not take the page down: the islands show their own errors.
    }
    return ctx.render({ ok: true, symbol, company });
  },
};

export default function SymbolPage({ data, state }: PageProps<Data, State>) {
  if (!data.ok) {
    return (
      <section class="glass symbol-problem" aria-labelledby="symbol-problem-title">
        <p class="eyebrow">Error 400</p>
        <h1 id="symbol-problem-title">“{data.raw}” is not a symbol</h1>
        <p class="muted">{data.message}</p>
        <p class="muted">
          Try <a href="/symbol/AAPL">AAPL</a> or use the search box.
        </p>
      </section>
    );
  }
  const { symbol, company } = data;
  return (
    <div class="symbol-page" data-testid="symbol-page">
      <QuoteHeader symbol={symbol} name={company?.name ?? null} />
      {state.user && <WatchStar symbol={symbol} csrfToken={state.csrfToken ?? ""} />}
      {company && (company.sector || company.exchange) && (
        <p class="symbol-meta muted">
          {[company.exchange, company.sector, company.industry].filter(Boolean).join(" · ")}
        </p>
      )}
      <PriceChart symbol={symbol} />
      {state.user && symbol !== "VIX" && <SymbolSignals symbol={symbol} />}
      <OptionChain
        symbol={symbol}
        csrfToken={state.user ? state.csrfToken ?? "" : undefined}
      />
      {state.user && <AlertForm symbol={symbol} csrfToken={state.csrfToken ?? ""} />}
    </div>
  );
}
