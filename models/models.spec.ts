import { checkModels } from '@suite/inference';

// `npm run models:check` as a test: every committed model keeps the metrics its card claims.
describe('committed models', () => {
  it('have valid cards, matching checksums and meet their held-out metrics', async () => {
    const results = await checkModels();
    expect(results.length).toBeGreaterThan(0);
    const failures = results.filter((r) => !r.ok).map((r) => `${r.model}: ${r.problems.join('; ')}`);
    expect(failures).toEqual([]);
  }, 300_000);
});
