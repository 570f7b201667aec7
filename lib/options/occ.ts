/**
 * OCC option symbols for the server side. The reader and writer live in lib/shared/occ.ts so the
 * screens (order legs, option positions) read symbols with the very same rule; this module keeps
 * the import path the broker and the options domain use.
 *
 * @module
 */
export {
  formatOcc,
  isOccSymbol,
  OPTION_MULTIPLIER,
  type OptionContractId,
  parseOcc,
} from "../shared/occ.ts";
