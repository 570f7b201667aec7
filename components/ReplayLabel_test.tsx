import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { REPLAY_MODEL, ReplayLabel, replayLabelText, replayModelText } from "./ReplayLabel.tsx";
import { SvgReplayLabel } from "./SvgReplayLabel.tsx";

Deno.test("replayLabelText: the replayed day and that the intraday path is simulated", () => {
  assert.equal(replayLabelText("2020-02-05"), "REPLAY · Wed 5 Feb 2020 · intraday simulated");
  assert.equal(replayLabelText(null), "REPLAY · intraday simulated");
  assert.equal(replayLabelText(), "REPLAY · intraday simulated");
});

Deno.test("the model names what is real and what is simulated", () => {
  assert.match(REPLAY_MODEL, /open, high, low and close/);
  assert.match(REPLAY_MODEL, /path within the day, the bid\/ask sizes and the volume split/);
  assert.match(REPLAY_MODEL, /simulated\.$/);
  assert.equal(replayModelText(), REPLAY_MODEL);
  assert.equal(replayModelText("Fills too."), `${REPLAY_MODEL} Fills too.`);
});

Deno.test("ReplayLabel: text, the model as title and as a description tied to the badge", () => {
  const html = renderToString(
    <ReplayLabel id="q" date="2020-02-05" note="Fills too." testId="replay-badge" />,
  );
  assert.match(html, /class="badge badge--replay"/);
  assert.match(html, />REPLAY · Wed 5 Feb 2020 · intraday simulated</);
  assert.match(html, /data-testid="replay-badge"/);
  assert.match(html, /aria-describedby="q-model"/);
  assert.match(html, /tabindex="0"/);
  const title = /title="([^"]*)"/.exec(html)?.[1];
  assert.equal(title, `${REPLAY_MODEL} Fills too.`);
  const tip = /role="tooltip" id="q-model">([^<]*)</.exec(html)?.[1];
  assert.equal(tip, title, "the description says what the title says");
});

Deno.test("SvgReplayLabel: two lines for the radial centre, model as title and desc", () => {
  const html = renderToString(
    <svg>
      <SvgReplayLabel id="r" date="2020-01-02" fontSize={8} y={60} testId="index-replay" />
    </svg>,
  );
  assert.match(html, /data-testid="index-replay"/);
  assert.match(html, /REPLAY · THU 2 JAN 2020<\/tspan>/);
  assert.match(html, /INTRADAY SIMULATED<\/tspan>/);
  assert.match(html, /aria-label="REPLAY · Thu 2 Jan 2020 · intraday simulated"/);
  assert.match(html, /aria-describedby="r-model"/);
  assert.ok(html.includes(`<title>${REPLAY_MODEL}</title>`));
  assert.ok(html.includes(`<desc id="r-model">${REPLAY_MODEL}</desc>`));
});
