/** The help panel: this stage's help (what, data, keys), then every shortcut. */
import { useEffect, useRef } from "preact/hooks";
import { stageForPath } from "../../shared/stages.ts";
import {
  GLOBAL_SHORTCUTS,
  helpFor,
  LIST_SHORTCUTS,
  type Shortcut,
} from "../../shared/stage_help.ts";

function Keys({ list }: { list: readonly Shortcut[] }) {
  return (
    <dl class="help-keys">
      {list.map((s) => (
        <div key={s.keys}>
          <dt>
            <kbd>{s.keys}</kbd>
          </dt>
          <dd>{s.does}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function Help(
  { stage, onClose, onPalette }: { stage?: string; onClose(): void; onPalette(): void },
) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  const info = stage ? stageForPath(`/${stage}`) : null;
  const help = helpFor(stage);
  return (
    <div class="help" onKeyDown={(e) => e.key === "Escape" && (e.preventDefault(), onClose())}>
      <header class="help-header">
        <h2 id="help-title">{info ? `Help: ${info.name}` : "Help"}</h2>
        <button ref={close} type="button" class="link-button" onClick={onClose}>
          Close <kbd>Esc</kbd>
        </button>
      </header>
      {info && help
        ? (
          <section aria-labelledby="help-stage">
            <h3 id="help-stage">What this stage does</h3>
            <p>{info.plan}</p>
            <h3>Where its data comes from</h3>
            <p>{help.data}</p>
            {help.shortcuts.length > 0 && (
              <>
                <h3>Its shortcuts</h3>
                <Keys list={help.shortcuts} />
              </>
            )}
          </section>
        )
        : <p>Open a stage from the wheel or the palette; each has its own help here.</p>}
      <section aria-labelledby="help-all">
        <h3 id="help-all">Every shortcut</h3>
        <Keys list={GLOBAL_SHORTCUTS} />
        <h3>In the palette and symbol lists</h3>
        <Keys list={LIST_SHORTCUTS} />
      </section>
      <p>
        <button type="button" class="link-button" onClick={onPalette}>
          Open the command palette
        </button>
      </p>
    </div>
  );
}
