import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import StrategyBuilder, {
  type SavedChoice,
  type TemplateChoice,
} from "../islands/StrategyBuilder.tsx";
import { TEMPLATE_IDS, TEMPLATES } from "../lib/strategy/templates.ts";
import { resolveParams } from "../lib/strategy/schema.ts";
import { listStrategies } from "../lib/strategy/repo.ts";
import DeploymentsSection from "../components/deployments/DeploymentsSection.tsx";
import { type DeploymentsSectionData, loadDeploymentsSection } from "../lib/deploy/section.ts";

interface Data {
  saved: SavedChoice[];
  deployments: DeploymentsSectionData;
}

export const handler: Handlers<Data, State> = {
  async GET(_req, ctx) {
    const { db } = ctx.state.services;
    const userId = ctx.state.user!.id;
    const [list, deployments] = await Promise.all([
      listStrategies(db, userId),
      loadDeploymentsSection(db, userId),
    ]);
    return ctx.render({
      saved: list.map((s) => ({ id: s.id, name: s.name, version: s.version })),
      deployments,
    });
  },
};

/**
 * The Strategy Builder stage: a strategy from a template, from scratch or from words, edited as
 * a form (conditions included) or JSON, read back as sentences, saved as versions, explained
 * by the analyst, backtested, and deployed to the paper account.
 */
export default function StrategiesPage({ data, state }: PageProps<Data, State>) {
  const stage = stageById("strategies");
  const templates: TemplateChoice[] = TEMPLATE_IDS.map((id) => ({
    id,
    name: TEMPLATES[id].name,
    description: TEMPLATES[id].description,
    rules: resolveParams(TEMPLATES[id].rules),
  }));
  return (
    <div class="ticket-page" style={`--stage-color: ${stage.color}`} data-testid="strategies-stage">
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">{stage.name}</h1>
        <p class="muted">
          Describe a strategy in words or start from a template, check it as sentences, save it
          (every save is a new version) and backtest it on the shipped daily history. Sizes in % of
          equity, costs in basis points and US dollars.
        </p>
      </header>
      <StrategyBuilder csrfToken={state.csrfToken ?? ""} templates={templates} saved={data.saved} />
      <DeploymentsSection {...data.deployments} csrfToken={state.csrfToken ?? ""} />
    </div>
  );
}
