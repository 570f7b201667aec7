import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function SettingsPage() {
  return (
    <>
      <StagePlaceholder stage={stageById("settings")} />
      <p class="onboarding-rerun glass">
        Your profile and risk limits come from the setup.{" "}
        <a href="/onboarding" data-testid="rerun-onboarding">Run the setup again</a>
      </p>
    </>
  );
}
