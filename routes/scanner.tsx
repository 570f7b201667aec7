import StagePlaceholder from "../components/StagePlaceholder.tsx";
import { stageById } from "../lib/stages.ts";

export default function ScannerPage() {
  return <StagePlaceholder stage={stageById("scanner")} />;
}
