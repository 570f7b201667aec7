import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function SettingsPage() {
  return <StagePlaceholder stage={stageById("settings")} />;
}
