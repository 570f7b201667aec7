/**
 * Environment for an app process (e2e and crash tests) whose replayed market is open now and
 * stays open for hours: the replay runs at 1/8 speed (a replayed hour takes eight real ones)
 * on every real day, and the epoch is chosen so that now falls late in a replayed morning.
 */
import { CLOSE, OPEN, ReplayClock } from "../lib/market/replay/clock.ts";
import { addDays, nyTime } from "../lib/market/exchange_time.ts";

export const OPEN_REPLAY_SPEED = 0.125;

export function openReplayEnv(nowMs = Date.now()): Record<string, string> {
  const today = nyTime(nowMs).date;
  // The session state depends only on the time of day, so any run of dates serves as `days`.
  const days = Array.from({ length: 400 }, (_, i) => addDays("2020-01-01", i));
  for (let back = 0; back < 16; back++) {
    const epoch = addDays(today, -back);
    const clock = new ReplayClock({
      days,
      start: "2020-01-01",
      speed: OPEN_REPLAY_SPEED,
      epoch,
      weekends: true,
    });
    const { seconds } = clock.at(nowMs);
    // At least half an hour into the session and two replayed hours (16 real ones) from the close.
    if (seconds >= OPEN + 1800 && seconds <= CLOSE - 7200) {
      return {
        REPLAY_SPEED: String(OPEN_REPLAY_SPEED),
        REPLAY_EPOCH: epoch,
        REPLAY_WEEKENDS: "true",
      };
    }
  }
  throw new Error("no replay epoch puts the session open now");
}
