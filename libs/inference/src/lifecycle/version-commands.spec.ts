import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSuiteRoot } from '@suite/platform';
import { LOGISTIC_B, LOGISTIC_W, logisticModel } from '../__fixtures__/tiny-models';
import { heldoutJson, heldoutRows, logisticWith, writeLogitVersion } from '../governance/__fixtures__/logit-versions';
import { ModelVersions } from './model-versions';
import { listVersions, promoteVersion, reviewVersion, setVersionStage } from './version-commands';

/** Production 1.0.0 at the top with its training code and hand-written notes; 1.1.0 (same decisions) and 1.2.0 (worse) as candidates. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'versions-'));
  const held = heldoutJson(heldoutRows());
  const root = join(dir, 'logit');
  writeLogitVersion(root, '1.0.0', logisticModel(), held, { files: { 'train.py': 'print("train")\n', 'assessment.md': '## Intended use\n\nTests.\n', 'bias-report.json': '{}' } });
  writeLogitVersion(join(root, '1.1.0'), '1.1.0', logisticWith(LOGISTIC_W.map((w) => w * 1.05), LOGISTIC_B), held);
  writeLogitVersion(join(root, '1.2.0'), '1.2.0', logisticWith([-0.5, 1, 0.3, 2], 0.4), held);
  return { dir, root };
}

const cli = (script: string, args: string[], modelsDir: string) =>
  spawnSync(process.execPath, ['scripts/run-ts.cjs', `libs/inference/src/cli/${script}.ts`, ...args], { cwd: findSuiteRoot(), env: { ...process.env, MODELS_DIR: modelsDir }, encoding: 'utf8' });

describe('version commands', () => {
  it('refuses to promote a candidate that is worse than production, and leaves production in place', async () => {
    const { dir, root } = setup();
    const review = await reviewVersion(dir, 'logit', '1.2.0');
    expect(review.code).toBe(1);
    expect(review.output.review?.allowed).toBe(false);
    expect(review.output.review?.regressions.join()).toMatch(/accuracy: candidate/);
    const promoted = await promoteVersion(dir, 'logit', '1.2.0', 'ana', 'try it');
    expect(promoted).toMatchObject({ code: 1, output: { promoted: false } });
    expect(JSON.parse(readFileSync(join(root, 'card.json'), 'utf8')).version).toBe('1.0.0');
    expect(existsSync(join(root, '1.2.0', 'model.onnx'))).toBe(true);
  });

  it('promotes a candidate the review allows, moving only the version files of the old production', async () => {
    const { dir, root } = setup();
    expect((await reviewVersion(dir, 'logit', '1.1.0')).code).toBe(0);
    const promoted = await promoteVersion(dir, 'logit', '1.1.0', 'sup', 'same decisions, retrained');
    expect(promoted).toMatchObject({ code: 0, output: { promoted: true, from: '1.0.0', to: '1.1.0' } });
    expect(JSON.parse(readFileSync(join(root, 'card.json'), 'utf8')).version).toBe('1.1.0');
    // training code and the hand-written assessment stay for the next version; reports move with theirs
    expect(existsSync(join(root, 'train.py'))).toBe(true);
    expect(existsSync(join(root, 'assessment.md'))).toBe(true);
    expect(existsSync(join(root, 'bias-report.json'))).toBe(false);
    expect(existsSync(join(root, '1.0.0', 'bias-report.json'))).toBe(true);
    expect(existsSync(join(root, '1.0.0', 'train.py'))).toBe(false);
    const listed = listVersions(dir, 'logit').versions;
    expect(listed.map((v) => [v.version, v.stage, v.by])).toEqual([['1.2.0', 'candidate', null], ['1.1.0', 'production', 'sup'], ['1.0.0', 'retired', 'sup']]);
    expect(listed[1].reason).toBe('same decisions, retrained');
  });

  it('sets candidate, shadow and retired, never production', () => {
    const { dir } = setup();
    expect(setVersionStage(dir, 'logit', '1.1.0', 'shadow', 'sup')).toEqual({ model: 'logit', version: '1.1.0', stage: 'shadow' });
    expect(() => setVersionStage(dir, 'logit', '1.1.0', 'production')).toThrow(/use models:promote/);
    expect(() => setVersionStage(dir, 'logit', '1.0.0', 'retired')).toThrow(/in production/);
    expect(() => setVersionStage(dir, 'logit', '9.9.9', 'retired')).toThrow(/no version 9.9.9/);
  });

  it('reviews a candidate with its own vocabulary on its own encoding of the same rows', async () => {
    const { dir, root } = setup();
    const versions = new ModelVersions(dir, 'logit');
    // same rows, other input file name in preprocessing => the candidate's own heldout.json is used
    const card = JSON.parse(readFileSync(join(root, '1.1.0', 'card.json'), 'utf8'));
    card.preprocessing = { features: ['a', 'b', 'c', 'd'], vocab: 'heldout.json' };
    writeFileSync(join(root, '1.1.0', 'card.json'), JSON.stringify(card));
    expect(versions.get('1.1.0').card.preprocessing).toHaveProperty('vocab');
    expect((await reviewVersion(dir, 'logit', '1.1.0')).code).toBe(0);
  });

  it('CLIs: review exits 1 and promote refuses (exit 1) for the worse candidate; promote without --by/--reason exits 2; an allowed promotion rewrites the assessment', () => {
    const { dir, root } = setup();
    const review = cli('review', ['logit', '1.2.0'], dir);
    expect(review.status).toBe(1);
    expect(JSON.parse(review.stdout).review.allowed).toBe(false);
    const promote = cli('promote', ['logit', '1.2.0', '--by', 'ana', '--reason', 'try'], dir);
    expect(promote.status).toBe(1);
    expect(promote.stderr).toMatch(/refused/);
    expect(cli('promote', ['logit', '1.1.0'], dir).status).toBe(2);
    expect(JSON.parse(readFileSync(join(root, 'card.json'), 'utf8')).version).toBe('1.0.0');
    const allowed = cli('promote', ['logit', '1.1.0', '--by', 'sup', '--reason', 'same decisions'], dir);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain('logit: production 1.0.0 -> 1.1.0');
    // the versions table changed, so the impact assessment was rewritten
    expect(readFileSync(join(root, 'impact-assessment.md'), 'utf8')).toMatch(/\| 1\.1\.0 \| production \| .* \| sup \| same decisions \|/);
  }, 120_000);
});
