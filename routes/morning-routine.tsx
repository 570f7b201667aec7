import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import type { BriefRecord } from "../lib/shared/morning.ts";
import { marketDay } from "../lib/morning/mod.ts";
import { getBrief, listBriefs } from "../lib/morning/store.ts";
import MorningRoutine, { type BriefListItem } from "../islands/MorningRoutine.tsx";

interface Data {
  today: string | null;
  brief: BriefRecord | null;
  history: BriefListItem[];
  next: string | null;
  /** Why today's brief could not be read (the market clock failed), when it could not. */
  problem: string | null;
}

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const data: Data = { today: null, brief: null, history: [], next: null, problem: null };
    const user = ctx.state.user;
    if (user) {
      const { db, market } = ctx.state.services;
      try {
        data.today = await marketDay(market);
        data.brief = await getBrief(db, user.id, { date: data.today });
      } catch (err) {
        data.problem = err instanceof Error ? err.message : String(err);
      }
      const list = await listBriefs(db, user.id, { limit: 20 });
      data.history = list.briefs;
      data.next = list.next;
    }
    return ctx.render(data);
  },
};

/**
 * The Morning Routine stage: the brief built before the open (lib/morning/), "Run now", the
 * checklist and the past briefs. Server-rendered with today's brief, so it reads without JS.
 */
export default function MorningRoutinePage({ data, state }: PageProps<Data, State>) {
  const stage = stageById("morning-routine");
  return (
    <div class="ticket-page morning-page" style={`--stage-color: ${stage.color}`}>
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">{stage.name}</h1>
        <p class="muted">
          The day's brief, built before the open: the market on the last close, your portfolio, open
          orders and risk alerts, and the analyst's summary. Hover a number for its source. Prices
          in US dollars.
        </p>
      </header>
      {data.problem && <p class="ticket-refusal" role="alert">{data.problem}</p>}
      {data.today && (
        <MorningRoutine
          today={data.today}
          replay={state.services.market.source === "replay"}
          initial={data.brief}
          history={data.history}
          next={data.next}
          csrfToken={state.csrfToken ?? ""}
        />
      )}
    </div>
  );
}
