import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function MorningRoutinePage() {
  return <StagePlaceholder stage={stageById("morning-routine")} />;
}
