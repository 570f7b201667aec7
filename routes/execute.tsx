import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function ExecutePage() {
  return <StagePlaceholder stage={stageById("execute")} />;
}
