import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSuiteRoot } from '@suite/platform';
import { logistic, logisticModel } from '../__fixtures__/tiny-models';
import { heldoutJson, heldoutRows, writeLogitVersion } from './__fixtures__/logit-versions';
import { NoGroupsError, computeBiasReport, writeBiasReport } from './bias-report';
import { binaryGroupMetrics } from './group-metrics';

describe('bias report', () => {
  it('re-scores the held-out set with the model and compares groups with enough rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bias-'));
    const rows = heldoutRows();
    writeLogitVersion(join(dir, 'logit'), '1.0.0', logisticModel(), heldoutJson(rows), { card: { evaluation: { kind: 'binary', output: 'prob', threshold: 0.5, tolerance: 0.02 } } });
    const { report, folder } = await computeBiasReport(dir, 'logit', undefined, 30);

    // the same metrics from the model written out in JavaScript
    const alerts = rows.labels.map((_, i) => (logistic(rows.x.subarray(i * 4, i * 4 + 4)) >= 0.5 ? 1 : 0));
    const expected = (from: number, to: number) => binaryGroupMetrics(rows.labels.slice(from, to), alerts.slice(from, to));
    const [period] = report.dimensions;
    expect(period.groups.map((g) => [g.group, g.n])).toEqual([['early', 290], ['late', 100], ['tiny', 10]]);
    const early = period.groups[0].metrics;
    const late = period.groups[1].metrics;
    for (const k of ['alertRate', 'precision', 'recall', 'f1'] as const) {
      expect(early[k]).toBeCloseTo(expected(0, 290)[k] as number, 12);
      expect(late[k]).toBeCloseTo(expected(300, 400)[k] as number, 12);
    }
    expect(early.f1).toBe(1); // labels come from the model itself
    expect(late.f1 as number).toBeLessThan(0.9); // a quarter of them flipped
    const f1Gap = period.gaps.find((g) => g.metric === 'f1')!;
    expect(f1Gap).toMatchObject({ high: { group: 'early' }, low: { group: 'late' }, eligibleGroups: 2 }); // "tiny" (10 rows) never forms a gap

    writeBiasReport(folder, report);
    expect(JSON.parse(readFileSync(join(folder, 'bias-report.json'), 'utf8'))).toEqual(report);
    const md = readFileSync(join(folder, 'bias-report.md'), 'utf8');
    expect(md).toMatch(/\| late \| 100 \|.*\*\*/);
    expect(md).toContain('at least 30 rows');
  });

  it('says so, with exit code 2, when the held-out set has no groups', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bias-'));
    writeLogitVersion(join(dir, 'logit'), '1.0.0', logisticModel(), heldoutJson(heldoutRows(false)));
    await expect(computeBiasReport(dir, 'logit')).rejects.toThrow(NoGroupsError);
    const cli = spawnSync(process.execPath, ['scripts/run-ts.cjs', 'libs/inference/src/cli/bias.ts', 'logit'], { cwd: findSuiteRoot(), env: { ...process.env, MODELS_DIR: dir }, encoding: 'utf8' });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(/has no "groups"/);
  }, 60_000);

  it('refuses a held-out file whose groups do not cover every row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bias-'));
    const rows = heldoutRows();
    rows.groups!.period = rows.groups!.period.slice(1);
    writeLogitVersion(join(dir, 'logit'), '1.0.0', logisticModel(), heldoutJson(rows));
    await expect(computeBiasReport(dir, 'logit')).rejects.toThrow(/groups.period must list one group per row/);
  });
});
