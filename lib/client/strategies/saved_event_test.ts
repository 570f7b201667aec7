import assert from "node:assert/strict";
import {
  announceSaved,
  type SavedStrategy,
  STRATEGY_SAVED_EVENT,
  withSaved,
} from "./saved_event.ts";

Deno.test("withSaved: a new strategy goes first, a new version updates its entry", () => {
  const list = [{ id: 1, name: "A", version: 1 }, { id: 2, name: "B", version: 3 }];
  assert.deepEqual(withSaved(list, { id: 3, name: "C", version: 1 }).map((s) => s.id), [3, 1, 2]);
  assert.deepEqual(withSaved(list, { id: 2, name: "B2", version: 4 }), [
    { id: 1, name: "A", version: 1 },
    { id: 2, name: "B2", version: 4 },
  ]);
  assert.equal(list[1].version, 3, "the list itself is not changed");
});

Deno.test("announceSaved sends the event with the saved version", () => {
  const got: SavedStrategy[] = [];
  const on = (e: Event) => got.push((e as CustomEvent<SavedStrategy>).detail);
  addEventListener(STRATEGY_SAVED_EVENT, on);
  try {
    announceSaved({ id: 7, name: "X", version: 2 });
  } finally {
    removeEventListener(STRATEGY_SAVED_EVENT, on);
  }
  assert.deepEqual(got, [{ id: 7, name: "X", version: 2 }]);
});
