/**
 * The five-field cron expressions `Deno.cron` takes (minute, hour, day of month, month, day of
 * week), read the way Deno reads them: in UTC, with `*`, numbers, ranges `a-b`, steps `*\/n` and
 * `a-b/n`, and comma lists; day of week 0–7 with 0 and 7 both Sunday. When both the day of month
 * and the day of week are restricted, a day matching either one runs (classic cron). Names
 * (`MON`, `JAN`) and the `L`/`W`/`#` extensions are not used by PaiiD's jobs and are refused.
 *
 * ```ts
 * nextRun("30 11,21 * * 1-5", new Date("2026-03-06T21:30:00Z")); // Mon 2026-03-09T11:30Z
 * ```
 *
 * Written here rather than taken from npm: the subset is small, and `nextRun` must agree with
 * the expressions jobs/mod.ts registers, which jobs/mod_test.ts checks with this parser.
 *
 * @module
 */

export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (7 is folded into 0). */
  weekdays: ReadonlySet<number>;
  /** Whether the day-of-month / day-of-week field was `*` (decides how the two combine). */
  anyDay: boolean;
  anyWeekday: boolean;
}

export class CronSyntaxError extends Error {
  constructor(expression: string, why: string) {
    super(`cron expression ${JSON.stringify(expression)}: ${why}`);
    this.name = "CronSyntaxError";
  }
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

function parseField(expression: string, text: string, index: number): Set<number> {
  const { name, min, max } = FIELDS[index];
  const out = new Set<number>();
  const number = (s: string) => {
    if (!/^\d{1,2}$/.test(s)) throw new CronSyntaxError(expression, `${name}: "${s}" is no number`);
    const n = Number(s);
    if (n < min || n > max) {
      throw new CronSyntaxError(expression, `${name}: ${n} is outside ${min}-${max}`);
    }
    return n;
  };
  for (const part of text.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronSyntaxError(expression, `${name}: "${part}" is not understood`);
    const [, , from, to, stepText] = m;
    const lo = m[1] === "*" ? min : number(from);
    // `5/15` means from 5 to the end, every 15, as in Vixie cron.
    const hi = m[1] === "*" ? max : to !== undefined ? number(to) : stepText ? max : lo;
    if (hi < lo) throw new CronSyntaxError(expression, `${name}: range ${lo}-${hi} is backwards`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || step > max) {
      throw new CronSyntaxError(expression, `${name}: step "${stepText}" is not allowed`);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Reads a five-field expression; throws `CronSyntaxError` naming the field that is wrong. */
export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new CronSyntaxError(expression, `has ${fields.length} fields, not 5`);
  }
  const [minutes, hours, days, months, weekdaysRaw] = fields.map((f, i) =>
    parseField(expression, f, i)
  );
  const weekdays = new Set([...weekdaysRaw].map((d) => d % 7));
  return {
    minutes,
    hours,
    days,
    months,
    weekdays,
    anyDay: fields[2] === "*",
    anyWeekday: fields[4] === "*",
  };
}

/** Whether `s` runs on the UTC day of `d`. */
function runsOnDay(s: CronSchedule, d: Date): boolean {
  const dom = s.days.has(d.getUTCDate());
  const dow = s.weekdays.has(d.getUTCDay());
  if (s.anyDay && s.anyWeekday) return true;
  if (s.anyDay) return dow;
  if (s.anyWeekday) return dom;
  return dom || dow;
}

/** Whether `s` runs in the UTC minute of `d`. */
export function matches(s: CronSchedule, d: Date): boolean {
  return s.minutes.has(d.getUTCMinutes()) && s.hours.has(d.getUTCHours()) &&
    s.months.has(d.getUTCMonth() + 1) && runsOnDay(s, d);
}

/** Leap years make 29 February come back within 8 years; past that nothing ever will. */
const HORIZON_MS = 8 * 366 * 24 * 60 * 60_000;

/**
 * The first minute strictly after `after` at which `schedule` runs (UTC), or null when it never
 * does (`0 0 31 2 *`). Skips whole months, days and hours that cannot match, so it is quick.
 */
export function nextRun(schedule: string | CronSchedule, after: Date): Date | null {
  const s = typeof schedule === "string" ? parseCron(schedule) : schedule;
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const end = after.getTime() + HORIZON_MS;
  while (t.getTime() <= end) {
    if (!s.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
    } else if (!runsOnDay(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
    } else if (!s.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
    } else if (!s.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
    } else {
      return t;
    }
  }
  return null;
}
