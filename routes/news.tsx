import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function NewsPage() {
  return <StagePlaceholder stage={stageById("news")} />;
}
