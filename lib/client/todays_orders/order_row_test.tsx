import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import type { Order } from "../../broker/types.ts";
import OrderRow from "./order_row.tsx";

const base: Order = {
  id: "o1",
  clientOrderId: "k",
  symbol: "AAPL",
  side: "buy",
  type: "limit",
  timeInForce: "day",
  qty: 1,
  notional: null,
  filledQty: 1,
  filledAvgPrice: 1.1,
  limitPrice: 1.05,
  stopPrice: null,
  trailPrice: null,
  trailPercent: null,
  hwm: null,
  status: "filled",
  reason: null,
  createdAt: "2021-01-04T15:00:00Z",
  submittedAt: null,
  filledAt: null,
  canceledAt: null,
  expiredAt: null,
  expiresSession: null,
  replaces: null,
  replacedBy: null,
  source: "paper",
  prices: "replay",
};

const row = (o: Order) =>
  renderToString(
    <table>
      <tbody>
        <OrderRow
          order={o}
          editing={false}
          confirming={false}
          noting={false}
          onNote={() => {}}
          canceling={false}
          onEdit={() => {}}
          onAskCancel={() => {}}
          onCancel={() => {}}
          onKeep={() => {}}
        />
      </tbody>
    </table>,
  );

Deno.test("Today's orders: a multi-leg order lists its legs with their fills, net terms", () => {
  const html = row({
    ...base,
    assetClass: "us_option",
    orderClass: "mleg",
    legs: [
      {
        symbol: "AAPL210115C00150000",
        side: "buy",
        ratioQty: 1,
        positionIntent: "buy_to_open",
        filledQty: 1,
        filledAvgPrice: 2.2,
      },
      {
        symbol: "AAPL210115C00155000",
        side: "sell",
        ratioQty: 1,
        positionIntent: "sell_to_open",
        filledQty: 1,
        filledAvgPrice: 1.1,
      },
    ],
  });
  assert.match(html, /data-testid="order-legs-o1"/);
  assert.match(html, /Buy to open AAPL 150 call · 15 Jan 2021<span class="muted"> · 1 @ \$2\.20/);
  assert.match(html, /Sell to open AAPL 155 call · 15 Jan 2021/);
  assert.match(html, /net debit \$1\.05/);
  assert.match(html, /1 × legs/);
  assert.match(html, /href="\/symbol\/AAPL"/);
});

Deno.test("Today's orders: a single-leg option reads as its contract, in contracts, not editable", () => {
  const html = row({
    ...base,
    symbol: "AAPL210115C00150000",
    assetClass: "us_option",
    status: "new",
    filledQty: 0,
    filledAvgPrice: null,
  });
  assert.match(html, /AAPL 150 call · 15 Jan 2021/);
  assert.match(html, /title="AAPL210115C00150000"/);
  assert.match(html, /1 ct/);
  assert.ok(!/data-testid="edit-o1"/.test(html), "no Edit for option orders");
  assert.match(html, /data-testid="cancel-o1"/);
  assert.match(html, /aria-label="Cancel order to buy 1 contract AAPL 150 call · 15 Jan 2021"/);
  // A stock order keeps its Edit and its shares.
  const stock = row({ ...base, status: "new", filledQty: 0, filledAvgPrice: null });
  assert.match(stock, /data-testid="edit-o1"/);
  assert.match(stock, /1 sh/);
});
