/**
 * Options, the domain: OCC symbols (`occ.ts`), what an order's legs make and may do
 * (`structure.ts`), settlement at expiry (`expiry.ts`) and the paper broker's fill prices and
 * marks (`fills.ts`). All pure; brokers, routes and islands import from here.
 *
 * @module
 */
export {
  formatOcc,
  isOccSymbol,
  OPTION_MULTIPLIER,
  type OptionContractId,
  parseOcc,
} from "./occ.ts";
export {
  DEFAULT_OPTION_LEVEL,
  describeStructure,
  type Holdings,
  legProblems,
  levelRefusal,
  OPTION_LEVELS,
  type OptionLevel,
  type Requirement,
  type Structure,
  type StructureKind,
  type StructureLeg,
} from "./structure.ts";
export {
  EXERCISE_THRESHOLD,
  type ExpiringOption,
  settle,
  type Settlement,
  type SettlementContext,
  type SettlementTrade,
} from "./expiry.ts";
export { type LegFill, type LegQuote, netMarketPrice, optionFill, optionMark } from "./fills.ts";
