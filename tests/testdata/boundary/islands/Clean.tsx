// A well-behaved island for tests/browser_boundary_test.ts: its only server import is a type,
// which the bundle erases.
import { useState } from "preact/hooks";
import type { Order } from "../../../../lib/broker/types.ts";
import { formatUsd } from "../../../../lib/shared/money.ts";

export default function Clean({ order }: { order?: Order }) {
  const [n] = useState(1);
  return <p>{order ? order.symbol : formatUsd(n)}</p>;
}
