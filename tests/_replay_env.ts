/**
 * Environment for an app process (e2e and crash tests) whose replayed market is open now and
 * stays open for hours: the replay runs at 1/8 speed (a replayed hour takes eight real ones)
 * on every real day, and the epoch is chosen so that now falls late in a replayed morning.
 */
import { CLOSE, OPEN, ReplayClock } from "../lib/market/replay/clock.ts";
import { addDays, nyTime } from "../lib/market/exchange_time.ts";
import { History } from "../lib/market/replay/history.ts";

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

const DAY = 86_400;
/** Virtual New York time of day the replay should show when the app is up: 11:00. */
const TARGET_SECONDS = 11 * 3600;
/** About how many replayed seconds pass per real second. */
const ROUGH_SPEED = 10;

/**
 * Replay settings that put the replay clock at about 11:00 of a replayed trading day now, running
 * about ten times faster than real time (the session then lasts some 30 real minutes). With
 * REPLAY_WEEKENDS every real day counts, so this works on Saturdays and Sundays too: the clock
 * counts real seconds since REPLAY_EPOCH (a week back) times REPLAY_SPEED, and the speed is picked
 * so that product lands on 11:00 of some later replayed day.
 */
export function fastReplayEnv(nowMs: number): Record<string, string> {
  const { date, seconds } = nyTime(nowMs);
  const epochMs = Date.parse(`${date}T00:00:00Z`) - 7 * DAY * 1000;
  const epoch = new Date(epochMs).toISOString().slice(0, 10);
  const elapsed = 7 * DAY + seconds;
  const days = Math.round((ROUGH_SPEED * elapsed - TARGET_SECONDS) / DAY);
  const speed = (days * DAY + TARGET_SECONDS) / elapsed;
  return {
    REPLAY_START: "2020-01-02",
    REPLAY_EPOCH: epoch,
    REPLAY_SPEED: speed.toFixed(9),
    REPLAY_WEEKENDS: "true",
  };
}

/** Replayed seconds per real second in `closingReplayEnv`: a replayed minute a second. */
const CLOSING_SPEED = 60;

/**
 * Replay settings that put the replay on the historical trading day `date`, with its close
 * `closeInSeconds` real seconds after `nowMs`, a replayed minute passing each real second. After
 * the close, twelve replayed hours (some twelve real minutes) pass before the next day's
 * pre-market: time for the work that runs after a session's close (the deployments job).
 *
 * The speed is what it takes for the real seconds since the epoch (yesterday's New York
 * midnight; every real day counts) to land on that time of day, close to CLOSING_SPEED; the
 * start day is chosen so that the whole replayed days in between end on `date`.
 */
export async function closingReplayEnv(
  date: string,
  closeInSeconds: number,
  nowMs = Date.now(),
): Promise<Record<string, string>> {
  const days = await new History().tradingDays();
  const target = days.indexOf(date);
  if (target < 0) throw new RangeError(`${date} is not a trading day of the shipped history`);
  const at = CLOSE - closeInSeconds * CLOSING_SPEED;
  if (at < OPEN) throw new RangeError(`a close ${closeInSeconds} s away starts before the open`);
  const local = nyTime(nowMs);
  const elapsed = DAY + local.seconds;
  const wholeDays = Math.round((elapsed * CLOSING_SPEED - at) / DAY);
  if (wholeDays > target) throw new RangeError(`${date} is too early in the shipped history`);
  return {
    REPLAY_START: days[target - wholeDays],
    REPLAY_EPOCH: addDays(local.date, -1),
    REPLAY_SPEED: ((wholeDays * DAY + at) / elapsed).toFixed(9),
    REPLAY_WEEKENDS: "true",
  };
}
