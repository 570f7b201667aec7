import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import type { Order, OrderSide } from "../lib/broker/types.ts";
import { stageById } from "../lib/stages.ts";
import { startOfMarketDay } from "../lib/shared/market_day.ts";
import { checkTicketSymbol, parseAmount } from "../lib/shared/ticket.ts";
import OrderTicket from "../islands/OrderTicket.tsx";
import { getSettings } from "../lib/settings.ts";
import TodaysOrders from "../islands/TodaysOrders.tsx";

interface Data {
  symbol: string;
  side: OrderSide;
  qty: string;
  /** The user's trading defaults (Settings): order type and time in force. */
  type: "market" | "limit";
  timeInForce: "day" | "gtc";
  /** Today's orders for the first paint; null when the broker could not say (the island asks). */
  orders: Order[] | null;
}

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const q = ctx.url.searchParams;
    // Prefill only what is well-formed; the ticket validates (and the API decides) the rest.
    const sym = checkTicketSymbol(q.get("symbol") ?? "");
    const qtyText = (q.get("qty") ?? "").trim();
    const data: Data = {
      symbol: sym.ok ? sym.symbol : "",
      side: q.get("side") === "sell" ? "sell" : "buy",
      qty: qtyText && parseAmount(qtyText, "qty", 8).ok ? qtyText : "",
      type: "market",
      timeInForce: "day",
      orders: null,
    };
    const user = ctx.state.user;
    if (user) {
      const settings = await getSettings(ctx.state.services.db, user.id);
      data.type = settings.defaultOrderType;
      data.timeInForce = settings.defaultTimeInForce;
      // The default size fills the ticket unless the link brought its own.
      if (!data.qty) data.qty = String(settings.defaultOrderSize);
      try {
        const { broker } = ctx.state.services;
        const orders = await broker.orders(user.id, {
          status: "all",
          after: startOfMarketDay(new Date()),
          limit: 200,
        });
        data.orders = [...orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      } catch {
        // A failing broker should not take the page down: the list loads (and errors) itself.
      }
    }
    return ctx.render(data);
  },
};

export default function ExecutePage({ data, state }: PageProps<Data, State>) {
  const stage = stageById("execute");
  const csrfToken = state.csrfToken ?? "";
  return (
    <div class="ticket-page" style={`--stage-color: ${stage.color}`}>
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">{stage.name}</h1>
        <p class="muted">
          {stage.description} Amounts are in US dollars, sizes in shares.
        </p>
      </header>
      <OrderTicket
        csrfToken={csrfToken}
        symbol={data.symbol}
        side={data.side}
        qty={data.qty}
        type={data.type}
        timeInForce={data.timeInForce}
      />
      <TodaysOrders csrfToken={csrfToken} initial={data.orders} />
    </div>
  );
}
