/** `/api/stock`: `GET /:symbol` → CompanyInfo (name, exchange, sector, industry). */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { fromMarket, parseSymbol } from "../../lib/market/api.ts";

const stock = new Hono<AppEnv>();

stock.get("/:symbol", async (c) => {
  const symbol = parseSymbol(c.req.param("symbol"));
  return c.json(await fromMarket(() => c.get("services").market.company(symbol)));
});

export default stock;
