import { type Stage, STAGES } from "../lib/stages.ts";

interface StagePlaceholderProps {
  stage: Stage;
}

/**
 * What a stage shows until it is built: what it is for and what it will do, and plainly that
 * it does nothing yet, so no one mistakes an empty screen for missing data.
 */
export default function StagePlaceholder({ stage }: StagePlaceholderProps) {
  const position = STAGES.findIndex((s) => s.id === stage.id) + 1;
  return (
    <article
      class="stage glass"
      style={`--stage-color: ${stage.color}`}
      aria-labelledby="stage-title"
      data-testid="stage-placeholder"
    >
      <header class="stage-header">
        <p class="eyebrow">
          <span class="stage-dot" aria-hidden="true" />
          Stage {position} of {STAGES.length}
        </p>
        <h1 id="stage-title" class="stage-title">{stage.name}</h1>
        <p class="stage-lead">{stage.description}</p>
      </header>

      <p class="notice" role="note">
        <span class="badge badge--todo">Placeholder</span>
        <span>
          <strong>Not built yet — this stage is a placeholder.</strong>{" "}
          It shows no market data and places no orders.
        </span>
      </p>

      <section class="stage-plan" aria-labelledby="stage-plan-title">
        <h2 id="stage-plan-title" class="section-title">What this stage will do</h2>
        <p>{stage.plan}</p>
      </section>

      <footer class="stage-footer">
        <a class="button" href="/">All stages</a>
        <span class="muted">or pick another stage from the wheel.</span>
      </footer>
    </article>
  );
}
