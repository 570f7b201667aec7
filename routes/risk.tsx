import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function RiskPage() {
  return <StagePlaceholder stage={stageById("risk")} />;
}
