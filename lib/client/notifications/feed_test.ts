import assert from "node:assert/strict";
import { badgeText, FEED_LIMIT, markRead, mergeNotification, relativeTime } from "./feed.ts";
import type { StreamNotification } from "./feed.ts";

const n = (id: number, readAt: string | null = null): StreamNotification => ({
  id,
  kind: "alert",
  title: `n${id}`,
  body: "",
  link: null,
  createdAt: "2026-12-04T10:00:00Z",
  readAt,
});

Deno.test("a notification merges in once, newest first, and the list stays bounded", () => {
  let list = [n(2), n(1)];
  list = mergeNotification(list, n(3));
  assert.deepEqual(list.map((x) => x.id), [3, 2, 1]);
  assert.deepEqual(mergeNotification(list, n(2)).map((x) => x.id), [3, 2, 1]);
  for (let i = 4; i < 100; i++) list = mergeNotification(list, n(i));
  assert.equal(list.length, FEED_LIMIT);
  assert.equal(list[0].id, 99);
});

Deno.test("marking read touches only unread ones, by id or all", () => {
  const list = [n(3), n(2, "2026-12-04T09:00:00Z"), n(1)];
  const one = markRead(list, [3], "T");
  assert.deepEqual(one.map((x) => x.readAt), ["T", "2026-12-04T09:00:00Z", null]);
  const all = markRead(list, null, "T");
  assert.deepEqual(all.map((x) => x.readAt), ["T", "2026-12-04T09:00:00Z", "T"]);
});

Deno.test("times and badges read the way people say them", () => {
  const now = Date.parse("2026-12-04T10:00:00Z");
  assert.equal(relativeTime("2026-12-04T09:59:40Z", now), "just now");
  assert.equal(relativeTime("2026-12-04T09:55:00Z", now), "5 min ago");
  assert.equal(relativeTime("2026-12-04T07:00:00Z", now), "3 h ago");
  assert.equal(relativeTime("2026-11-30T07:00:00Z", now), "Nov 30");
  assert.equal(badgeText(0), "");
  assert.equal(badgeText(null), "");
  assert.equal(badgeText(7), "7");
  assert.equal(badgeText(120), "99+");
});
