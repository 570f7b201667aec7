// Looks harmless, but a value import of lib/db makes the database code ship with any island
// that uses this helper.
import { oid } from "../../../../lib/db/codec.ts";
import { formatUsd } from "../../../../lib/shared/money.ts";

export function columnKind(code: number): string {
  return code === oid.int8 ? "bigint" : formatUsd(code);
}
