// A broken island for tests/browser_boundary_test.ts: it reaches the database code through a
// helper. Never registered as a real island.
import { useState } from "preact/hooks";
import type { Database } from "../../../../lib/db/database.ts";
import { columnKind } from "./leaky_helper.ts";

export default function Leaky({ db }: { db?: Database }) {
  const [kind] = useState(() => columnKind(20));
  return <p>{db ? db.kind : kind}</p>;
}
