/** `/api/stock`: `GET /:symbol` → CompanyInfo (name, exchange, sector, industry). */
import { Hono } from "hono";
import type { AppEnv } from "../../lib/state.ts";
import { fromMarket, parseSymbol } from "../../lib/market/api.ts";
import { describeRoutes } from "../../lib/http/openapi/mod.ts";
import { symbolSchema } from "../../lib/market/symbols.ts";

const stock = new Hono<AppEnv>();

describeRoutes(stock, "Market data", {
  "GET /:symbol": {
    summary: "Company information: name, exchange, sector, industry",
    params: { symbol: symbolSchema },
    responses: { 200: "CompanyInfo", 400: "`invalid_symbol`", 404: "Unknown symbol" },
  },
});

stock.get("/:symbol", async (c) => {
  const symbol = parseSymbol(c.req.param("symbol"));
  return c.json(await fromMarket(() => c.get("services").market.company(symbol)));
});

export default stock;
