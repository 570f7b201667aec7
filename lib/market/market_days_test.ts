import assert from "node:assert/strict";
import { liveDayOf, marketDays, replayDayOf } from "./market_days.ts";
import { ReplayClock } from "./replay/clock.ts";
import { loadConfig } from "../config.ts";
import { nyInstant } from "./exchange_time.ts";

Deno.test("live days: the New York date, a weekend folded onto Friday", () => {
  const fri = liveDayOf(nyInstant("2026-12-04", 15 * 3600));
  const sat = liveDayOf(nyInstant("2026-12-05", 12 * 3600));
  const sun = liveDayOf(nyInstant("2026-12-06", 12 * 3600));
  const mon = liveDayOf(nyInstant("2026-12-07", 10 * 3600));
  assert.equal(fri.date, "2026-12-04");
  assert.deepEqual(sat, fri);
  assert.deepEqual(sun, fri);
  assert.equal(mon.session, fri.session + 1);
  // 23:30 in New York is the next day in UTC, but still Friday's session.
  assert.equal(liveDayOf(nyInstant("2026-12-04", 23.5 * 3600)).date, "2026-12-04");
});

Deno.test("replay days follow the replay clock, and sessions keep rising through a wrap", () => {
  const days = ["2020-01-02", "2020-01-03", "2020-01-06"];
  const clock = new ReplayClock({ days, start: "2020-01-02", speed: 1, epoch: "2026-11-02" });
  const dayOf = replayDayOf(clock);
  const at = (date: string) => dayOf(nyInstant(date, 12 * 3600));
  assert.deepEqual(at("2026-11-02"), { session: 0, date: "2020-01-02" });
  assert.deepEqual(at("2026-11-03"), { session: 1, date: "2020-01-03" });
  assert.deepEqual(at("2026-11-04"), { session: 2, date: "2020-01-06" });
  // The data ends: the replay starts over, the session number goes on.
  assert.deepEqual(at("2026-11-05"), { session: 3, date: "2020-01-02" });
  // A weekend rests on Friday's replayed day.
  assert.deepEqual(at("2026-11-07"), at("2026-11-06"));
});

Deno.test("the configured market decides: replay by default, Tradier's live days with a token", async () => {
  const replay = await marketDays(loadConfig({ REPLAY_START: "2020-01-02", DENO_ENV: "test" }));
  const epochDay = replay(nyInstant("2026-11-02", 12 * 3600));
  assert.equal(epochDay.date, "2020-01-02", "the default epoch's first weekday shows the start");
  const live = await marketDays(loadConfig({ TRADIER_TOKEN: "x", DENO_ENV: "test" }));
  assert.equal(live, liveDayOf);
});
