/**
 * The track record over all of the user's scored recommendations: hit rate, average return and
 * excess return over the S&P 500, and the calibration table (confidence bucket → observed hit
 * rate). Server-rendered; it changes only when the scoring job runs.
 */
import type { TrackRecord } from "../../lib/recommendations/repo.ts";

const pct = (n: number | null) => (n === null ? "—" : `${n >= 0 ? "+" : ""}${n.toFixed(2)} %`);

export function TrackRecordView({ record }: { record: TrackRecord }) {
  return (
    <div class="rec-track" data-testid="rec-track-record">
      <dl class="rec-figures">
        <div>
          <dt>Scored</dt>
          <dd>{record.scored} of {record.total}</dd>
        </div>
        <div>
          <dt>Hit rate</dt>
          <dd>{record.hitRate === null ? "—" : `${record.hitRate.toFixed(1)} %`}</dd>
        </div>
        <div>
          <dt>Average return</dt>
          <dd>{pct(record.avgReturnPct)}</dd>
        </div>
        <div>
          <dt>Average excess vs S&amp;P 500</dt>
          <dd>{pct(record.avgExcessReturnPct)}</dd>
        </div>
        <div>
          <dt>Waiting for their horizon</dt>
          <dd>{record.pending}</dd>
        </div>
      </dl>
      <p class="muted">{record.basis}</p>
      <table class="rec-calibration">
        <caption>Calibration: stated confidence against what happened</caption>
        <thead>
          <tr>
            <th scope="col">Confidence</th>
            <th scope="col">Scored</th>
            <th scope="col">Hits</th>
            <th scope="col">Observed hit rate</th>
          </tr>
        </thead>
        <tbody>
          {record.calibration.map((b) => (
            <tr key={b.bucket}>
              <th scope="row">{b.bucket}</th>
              <td>{b.count}</td>
              <td>{b.hits}</td>
              <td>{b.hitRate === null ? "—" : `${b.hitRate.toFixed(1)} %`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
