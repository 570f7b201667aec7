/**
 * Alpaca paper trading behind the Broker seam (single-account mode: see broker.ts).
 *
 * @module
 */
import { AlpacaBroker, type AlpacaBrokerOptions } from "./broker.ts";

export { AlpacaBroker, type AlpacaBrokerOptions } from "./broker.ts";
export { AlpacaApiError, AlpacaTransportError } from "./http.ts";

export function createAlpacaBroker(opts: AlpacaBrokerOptions): AlpacaBroker {
  return new AlpacaBroker(opts);
}
