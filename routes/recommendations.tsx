import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function RecommendationsPage() {
  return <StagePlaceholder stage={stageById("recommendations")} />;
}
