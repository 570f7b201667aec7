import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import Recommendations from "../islands/Recommendations.tsx";
import { TrackRecordView } from "../components/recommendations/TrackRecord.tsx";
import { listLive, type TrackRecord, trackRecord } from "../lib/recommendations/mod.ts";
import type { RecView } from "../lib/shared/recommendation.ts";
import ProposalsSection from "../components/proposals/ProposalsSection.tsx";
import { loadProposalsSection } from "../lib/proposals/mod.ts";
import type { Proposal, ProposalEvent } from "../lib/proposals/types.ts";

interface Data {
  recs: RecView[];
  record: TrackRecord | null;
  analyst: string;
  proposals: { pending: Proposal[]; events: ProposalEvent[] };
}

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const user = ctx.state.user;
    const { db, analyst } = ctx.state.services;
    const services = ctx.state.services;
    if (!user) {
      return ctx.render({
        recs: [],
        record: null,
        analyst: analyst.kind,
        proposals: { pending: [], events: [] },
      });
    }
    const [recs, record, proposals] = await Promise.all([
      listLive(db, user.id),
      trackRecord(db, user.id),
      loadProposalsSection(services, user.id),
    ]);
    return ctx.render({ recs, record, analyst: analyst.kind, proposals });
  },
};

/**
 * The AI Recs stage: the analyst's live recommendations (lib/recommendations/), the proposals
 * waiting for approval, and the track record over every recommendation scored so far.
 */
export default function RecommendationsPage({ data, state }: PageProps<Data, State>) {
  const stage = stageById("recommendations");
  return (
    <div
      class="ticket-page"
      style={`--stage-color: ${stage.color}`}
      data-testid="recommendations-stage"
    >
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">{stage.name}</h1>
        <p class="muted">
          Ideas from the analyst over the signals of your watchlists, positions and the universe, on
          the last completed trading day: entry, stop and target in US dollars, size in shares from
          your risk per trade, and the evidence with its source. Ideas, not advice.
        </p>
      </header>
      <Recommendations
        initial={data.recs}
        csrfToken={state.csrfToken ?? ""}
        analyst={data.analyst}
      />
      <ProposalsSection
        pending={data.proposals.pending}
        events={data.proposals.events}
        csrfToken={state.csrfToken ?? ""}
      />
      <section class="glass recs-record" aria-labelledby="record-title">
        <h2 id="record-title" class="section-title">Track record</h2>
        {data.record && <TrackRecordView record={data.record} />}
      </section>
    </div>
  );
}
