import type { Handlers, PageProps } from "../../lib/fresh/types.ts";
import type { State } from "../../lib/state.ts";
import { checkSymbol } from "../../lib/market/symbols.ts";
import { symbolHref } from "../../lib/shared/search_nav.ts";

interface Data {
  query: string;
}

/**
 * Where the header's search form lands without JavaScript: a valid symbol redirects to its page,
 * anything else gets a page saying what a symbol looks like (400).
 */
export const handler: Handlers<Data, State> = {
  GET(req, ctx) {
    const query = (new URL(req.url).searchParams.get("q") ?? "").slice(0, 40);
    const checked = checkSymbol(query);
    if (checked.ok) {
      return new Response(null, { status: 303, headers: { location: symbolHref(checked.symbol) } });
    }
    return ctx.render({ query }, { status: 400 });
  },
};

export default function SymbolQuery({ data }: PageProps<Data, State>) {
  return (
    <section class="glass symbol-problem" aria-labelledby="symbol-problem-title">
      <p class="eyebrow">Symbol search</p>
      <h1 id="symbol-problem-title">
        {data.query.trim() ? <>“{data.query}” is not a symbol</> : "Type a symbol"}
      </h1>
      <p class="muted">
        A symbol is 1–5 letters, optionally with a class suffix such as <code>BRK.B</code>. Try{" "}
        <a href="/symbol/AAPL">AAPL</a> or <a href="/symbol/MSFT">MSFT</a>.
      </p>
    </section>
  );
}
