import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logisticModel } from '../__fixtures__/tiny-models';
import { ModelVersions } from '../lifecycle/model-versions';
import { heldoutJson, heldoutRows, writeLogitVersion } from './__fixtures__/logit-versions';
import { computeBiasReport, writeBiasReport } from './bias-report';
import { checkImpactAssessment, versionFolders } from './governance-check';
import { buildImpactAssessment, writeImpactAssessment } from './impact-assessment';
import { inspectPdf } from './pdf/pdf-inspect';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'assessment-'));
  writeLogitVersion(join(dir, 'logit'), '1.0.0', logisticModel(), heldoutJson(heldoutRows()), {
    card: {
      metrics: { heldout: { accuracy: 0.9375 }, perRegion: { north: { recall: 0.9, n: 40 }, south: { recall: 0.7, n: 35 } } },
      training: { data: 'generated rows', seed: 3, reweighting: { metric: 'f1', sliceBy: 'period', beforeVersion: '0.9.0', note: '', slices: [{ slice: 'late', weight: 1.8, before: 0.7, after: 0.75, support: 100 }] } },
    },
    files: { 'assessment.md': '## Intended use\n\nRanking test rows.\n\n## Out-of-scope uses\n\n- anything real\n' },
  });
  return dir;
}

describe('impact assessment', () => {
  it('is built from the card, its reports and the hand-written part, the same in Markdown and PDF', async () => {
    const dir = setup();
    const { report, folder } = await computeBiasReport(dir, 'logit');
    writeBiasReport(folder, report);
    const a = buildImpactAssessment(dir, 'logit');
    expect(a.markdown).toContain('# Model impact assessment: logit 1.0.0');
    expect(a.markdown).toContain('## Intended use\n\nRanking test rows.');
    expect(a.markdown).toContain('- anything real');
    expect(a.markdown).toContain('- data: generated rows');
    expect(a.markdown).toContain('| accuracy | 0.9375 |');
    expect(a.markdown).toContain('| slice | recall | n |');
    expect(a.markdown).toContain('| south | 0.7 | 35 |');
    expect(a.markdown).toContain('| late | 1.8 | 0.7 | 0.75 | 0.05 | 100 |');
    expect(a.markdown).toMatch(/\| period \| heldout \| f1 \| early 1 \| late 0\.\d+ \|/);
    expect(a.markdown).toContain('| 1.0.0 | production |');
    const pdf = inspectPdf(a.pdf);
    expect(pdf.badOffsets).toEqual([]);
    const text = pdf.pageTexts.flat().join('\n');
    expect(text).toContain('Ranking test rows.');
    expect(text).toContain('Versions and stages');
  });

  it('needs a hand-written part (an empty one is allowed), and refuses without the file', () => {
    const dir = setup();
    writeFileSync(join(dir, 'logit', 'assessment.md'), '');
    expect(buildImpactAssessment(dir, 'logit').markdown).toContain('Model impact assessment');
    const bare = mkdtempSync(join(tmpdir(), 'assessment-'));
    writeLogitVersion(join(bare, 'logit'), '1.0.0', logisticModel(), heldoutJson(heldoutRows()));
    expect(() => buildImpactAssessment(bare, 'logit')).toThrow(/no hand-written assessment.md/);
  });

  it('is deterministic, and goes out of date when the versions change', () => {
    const dir = setup();
    writeImpactAssessment(dir, 'logit');
    const [top] = versionFolders(dir);
    expect(checkImpactAssessment(dir, top)).toEqual([]);
    expect(readFileSync(join(dir, 'logit', 'impact-assessment.md'), 'utf8')).toBe(buildImpactAssessment(dir, 'logit').markdown);
    writeLogitVersion(join(dir, 'staging'), '1.1.0', logisticModel(), heldoutJson(heldoutRows()));
    new ModelVersions(dir, 'logit').addCandidate(join(dir, 'staging'), 'ana');
    expect(checkImpactAssessment(dir, top).join()).toMatch(/out of date/);
  });
});
