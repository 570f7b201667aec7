import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function PositionsPage() {
  return <StagePlaceholder stage={stageById("positions")} />;
}
