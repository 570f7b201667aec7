import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function StrategiesPage() {
  return <StagePlaceholder stage={stageById("strategies")} />;
}
