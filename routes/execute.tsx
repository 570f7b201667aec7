import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import type { Order, OrderSide } from "../lib/broker/types.ts";
import { stageById } from "../lib/stages.ts";
import { startOfMarketDay } from "../lib/shared/market_day.ts";
import { checkTicketSymbol, initialTicketForm, parseAmount } from "../lib/shared/ticket.ts";
import OrderTicket from "../islands/OrderTicket.tsx";
import { getSettings } from "../lib/settings.ts";
import TodaysOrders from "../islands/TodaysOrders.tsx";
import { getTemplate } from "../lib/order_templates/repo.ts";
import { applyTemplate, type OrderTemplate } from "../lib/shared/order_template.ts";

interface Data {
  symbol: string;
  side: OrderSide;
  qty: string;
  /** The user's trading defaults (Settings): order type and time in force. */
  type: "market" | "limit";
  timeInForce: "day" | "gtc";
  /** Today's orders for the first paint; null when the broker could not say (the island asks). */
  orders: Order[] | null;
  /** The order template asked for with `?template=ID`, when it is the user's. */
  template: OrderTemplate | null;
  /** A template was asked for that the user does not have (deleted, or never theirs). */
  templateMissing: boolean;
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
      template: null,
      templateMissing: false,
    };
    const user = ctx.state.user;
    if (user) {
      const settings = await getSettings(ctx.state.services.db, user.id);
      data.type = settings.defaultOrderType;
      data.timeInForce = settings.defaultTimeInForce;
      // The default size fills the ticket unless the link brought its own.
      if (!data.qty) data.qty = String(settings.defaultOrderSize);
      const templateId = q.get("template");
      if (templateId !== null) {
        const id = /^[1-9]\d{0,15}$/.test(templateId) ? Number(templateId) : null;
        data.template = id === null ? null : await getTemplate(ctx.state.services.db, user.id, id);
        data.templateMissing = data.template === null;
      }
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
      {data.templateMissing && (
        <p class="state state--error" role="alert" data-testid="template-missing">
          That order template no longer exists; the ticket starts from your defaults.
        </p>
      )}
      <OrderTicket
        csrfToken={csrfToken}
        symbol={data.symbol}
        side={data.side}
        qty={data.qty}
        type={data.type}
        timeInForce={data.timeInForce}
        template={data.template}
        form={data.template ? applyTemplate(initialTicketForm(data), data.template) : null}
      />
      <TodaysOrders csrfToken={csrfToken} initial={data.orders} />
    </div>
  );
}
