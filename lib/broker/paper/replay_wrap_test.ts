/**
 * Day orders across the replay's wrap: when the replay passes the last day of its history it
 * starts again at its first day, so the replayed date jumps backwards. Expiry compares the
 * clock's monotonic session number, so a day order placed on the last replay day still expires
 * when that session closes.
 */
import { equal, ok } from "node:assert/strict";
import { createTestUser, withTestDatabases } from "../../db/testing.ts";
import { nyInstant } from "../../market/exchange_time.ts";
import { History } from "../../market/replay/history.ts";
import { createReplayMarketData, DEFAULT_REPLAY_EPOCH } from "../../market/replay/mod.ts";
import { updateSettings } from "../../settings.ts";
import { PaperBroker } from "./broker.ts";

const days = await new History().tradingDays();

withTestDatabases(
  "paper: a day order placed on the last replay day expires after the wrap",
  async (db) => {
    const userId = await createTestUser(db);
    await updateSettings(db, userId, { maxPositionPercent: 100 });
    // The replay starts on the day before the last: real Monday (the epoch) replays it, Tuesday
    // the last day of data, and Wednesday wraps back to the start.
    let now = nyInstant(DEFAULT_REPLAY_EPOCH, 0);
    const at = (dayOffset: number, hours: number) => {
      now = nyInstant(DEFAULT_REPLAY_EPOCH, 0) + dayOffset * 86_400_000 + hours * 3_600_000;
    };
    const market = createReplayMarketData({ start: days.at(-2), now: () => now });
    const broker = new PaperBroker({ db, market, now: () => now });
    try {
      at(1, 10.5);
      const placedOn = await market.clock();
      equal(placedOn.date, days.at(-1));
      equal(placedOn.state, "open");
      const day = await broker.submit(userId, {
        symbol: "AAPL",
        side: "buy",
        type: "limit",
        limitPrice: 1,
        timeInForce: "day",
        qty: 1,
        clientOrderId: crypto.randomUUID(),
      });
      const gtc = await broker.submit(userId, {
        symbol: "AAPL",
        side: "buy",
        type: "limit",
        limitPrice: 1,
        timeInForce: "gtc",
        qty: 1,
        clientOrderId: crypto.randomUUID(),
      });
      equal(day.order.status, "new");
      equal(day.order.expiresSession, days.at(-1));

      // Later the same session: still working.
      at(1, 15);
      equal((await broker.sync()).expired, 0);
      equal((await broker.order(userId, day.order.id)).status, "new");

      // Wednesday: the replay has wrapped, its date is before the order's, its session after.
      at(2, 10.5);
      const wrapped = await market.clock();
      equal(wrapped.date, days.at(-2));
      ok(wrapped.date < day.order.expiresSession!, "the replayed date jumped backwards");
      ok(wrapped.session > placedOn.session, "the session number kept increasing");
      const report = await broker.sync();
      equal(report.expired, 1);
      const expired = await broker.order(userId, day.order.id);
      equal(expired.status, "expired");
      ok(expired.reason?.includes(days.at(-1)!), expired.reason ?? "");
      equal((await broker.order(userId, gtc.order.id)).status, "new");
    } finally {
      await market.close();
    }
  },
);
