/**
 * A deliberately tiny markdown renderer for analyst answers: paragraphs, `-`/`1.` lists,
 * fenced and inline code, and bold. It builds Preact nodes from text, never HTML, so nothing
 * in an answer can become markup. Numbers the grounding check could not match to tool data
 * are wrapped in a `<mark>`.
 */
import type { ComponentChildren } from "preact";

export type Block =
  | { kind: "p"; text: string }
  | { kind: "ul" | "ol"; items: string[] }
  | { kind: "code"; text: string };

export function parseBlocks(src: string): Block[] {
  const blocks: Block[] = [];
  const lines = src.replaceAll("\r\n", "\n").split("\n");
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: "p", text: para.join(" ") });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trimStart().startsWith("```")) {
      flush();
      const code: string[] = [];
      while (++i < lines.length && !lines[i].trimStart().startsWith("```")) code.push(lines[i]);
      blocks.push({ kind: "code", text: code.join("\n") });
      continue;
    }
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      flush();
      const kind = bullet ? "ul" : "ol";
      const last = blocks.at(-1);
      if (last && last.kind === kind) last.items.push(item[1]);
      else blocks.push({ kind, items: [item[1]] });
      continue;
    }
    if (!line.trim()) flush();
    else para.push(line.trim());
  }
  flush();
  return blocks;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function marked(text: string, unverified: string[]): ComponentChildren[] {
  if (!unverified.length) return [text];
  const re = new RegExp(`(${unverified.map(escapeRegExp).join("|")})`, "g");
  return text.split(re).map((part, i) =>
    i % 2 === 1
      ? (
        <mark class="chat-unverified" title="Not found in the data the analyst looked up">
          {part}
        </mark>
      )
      : part
  );
}

/** Inline spans: `code` first (its contents stay literal), then **bold**. */
export function Inline({ text, unverified }: { text: string; unverified: string[] }) {
  const out: ComponentChildren[] = [];
  text.split(/(`[^`]+`)/g).forEach((part) => {
    if (part.startsWith("`") && part.endsWith("`") && part.length > 1) {
      out.push(<code>{part.slice(1, -1)}</code>);
      return;
    }
    part.split(/(\*\*[^*]+\*\*)/g).forEach((piece) => {
      if (piece.startsWith("**") && piece.endsWith("**") && piece.length > 4) {
        out.push(<strong>{marked(piece.slice(2, -2), unverified)}</strong>);
      } else if (piece) out.push(...marked(piece, unverified));
    });
  });
  return <>{out}</>;
}

export function Markdown({ text, unverified = [] }: { text: string; unverified?: string[] }) {
  return (
    <>
      {parseBlocks(text).map((b, i) => {
        if (b.kind === "code") return <pre key={i}><code>{b.text}</code></pre>;
        if (b.kind === "p") {
          return (
            <p key={i}>
              <Inline text={b.text} unverified={unverified} />
            </p>
          );
        }
        const items = b.items.map((t, j) => (
          <li key={j}>
            <Inline text={t} unverified={unverified} />
          </li>
        ));
        return b.kind === "ul" ? <ul key={i}>{items}</ul> : <ol key={i}>{items}</ol>;
      })}
    </>
  );
}
