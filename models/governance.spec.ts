import { relative } from 'node:path';
import { checkBiasReport, checkDataFilter, checkImpactAssessment, checkVariants, defaultModelsDir, versionFolders } from '@suite/inference';

// The governance files beside every model version stay true to the card and the model: filter
// reports add up, bias reports and impact assessments are what the generators make today,
// variants are checksummed and measured.
const modelsDir = defaultModelsDir();
const folders = versionFolders(modelsDir).map((v) => [relative(modelsDir, v.folder), v] as const);

describe('model governance files', () => {
  it('finds the model folders', () => {
    expect(folders.length).toBeGreaterThanOrEqual(5);
  });

  describe.each(folders)('%s', (_, v) => {
    it('data-filter.json adds up and the card references it', () => {
      expect(checkDataFilter(v)).toEqual([]);
    });

    it('card.variants files match their checksums and are measured', () => {
      expect(checkVariants(v)).toEqual([]);
    });

    it('bias-report.json equals a fresh recomputation', async () => {
      expect(await checkBiasReport(modelsDir, v)).toEqual([]);
    }, 120_000);

    it('impact-assessment.md/.pdf are up to date with the card', () => {
      expect(checkImpactAssessment(modelsDir, v)).toEqual([]);
    });
  });
});
