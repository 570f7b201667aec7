import { useEffect, useState } from "preact/hooks";

export default function Lazy() {
  const [text, setText] = useState("loading");
  useEffect(() => {
    import("../lazy/heavy.ts").then((m) => setText(m.HEAVY_MARKER));
  }, []);
  return <p>{text}</p>;
}
