import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldName, nameTokens } from './name-normalisation';
import { NameScreener } from './name-screening';
import { parseFollowTheMoney, parseSanctionsCsv, parseSanctionsList, SanctionsListError } from './sanctions-list';
import { jaroWinkler, soundex } from './similarity';

const demo = join(__dirname, '..', '..', '..', '..', 'data', 'aml');
const screener = new NameScreener(parseFollowTheMoney(readFileSync(join(demo, 'sanctions-demo.jsonl'), 'utf8')));
const top = (name: string) => screener.screen(name)[0];

describe('string similarity', () => {
  it('computes Jaro-Winkler as published (MARTHA/MARHTA, DWAYNE/DUANE, DIXON/DICKSONX)', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
  it('computes Soundex (Robert, Rupert, Tymczak, Pfister, Ashcraft)', () => {
    expect(['robert', 'rupert', 'tymczak', 'pfister', 'ashcraft', 'mohammed', 'muhammad'].map(soundex)).toEqual(['R163', 'R163', 'T522', 'P236', 'A261', 'M530', 'M530']);
  });
});

describe('name normalisation', () => {
  it('folds accents, scripts, punctuation, honorifics and legal forms', () => {
    expect(foldName('Aleksandar Dragutinović')).toBe('aleksandar dragutinovic');
    expect(foldName('Виктор Морозов')).toBe('viktor morozov');
    expect(foldName('Νικόλαος')).toBe('nikolaos');
    expect(nameTokens("Mr. Seán O'Brien")).toEqual(['sean', 'obrien']);
    expect(nameTokens('Baltic Amber Holdings Ltd.')).toEqual(['baltic', 'amber', 'holdings']);
    expect(nameTokens('Kestrel S.A.')).toEqual(['kestrel']);
    expect(nameTokens('J.B. Diallo')).toEqual(['jb', 'diallo']);
  });
});

describe('sanctions screening on the demo list', () => {
  it('matches an exact name with score 1', () => {
    expect(top('Viktor Andreyevich Morozov')).toMatchObject({ entryId: 'demo-p-001', score: 1 });
  });

  it('matches reordered names and says so', () => {
    const m = top('MOROZOV, Viktor Andreyevich');
    expect(m.entryId).toBe('demo-p-001');
    expect(m.score).toBeGreaterThanOrEqual(0.97);
    expect(m.why).toContain('same words in a different order');
    expect(top('Song Chol Kim')).toMatchObject({ entryId: 'demo-p-011' });
  });

  it('matches misspelled names with a Jaro-Winkler reason', () => {
    const m = top('Viktor Andreevich Morosov');
    expect(m.entryId).toBe('demo-p-001');
    expect(m.score).toBeGreaterThanOrEqual(0.92);
    expect(m.why.join(' ')).toMatch(/Jaro-Winkler/);
    expect(top('Nikolas Papadrakkis')).toMatchObject({ entryId: 'demo-p-004' });
  });

  it('matches names written in other scripts through transliteration', () => {
    const m = top('Дмитрий Волконский');
    expect(m.entryId).toBe('demo-p-010');
    expect(m.score).toBeGreaterThanOrEqual(0.92);
    expect(m.why.join('; ')).toMatch(/transliterated from Cyrillic/);
    expect(top('Νικόλαος Παπαδράκης').entryId).toBe('demo-p-004');
  });

  it('matches spelling variants by sound', () => {
    const m = top('Mohamed Abdelrahman Al Qarni');
    expect(m.entryId).toBe('demo-p-003');
    expect(m.score).toBeGreaterThanOrEqual(0.85);
  });

  it('matches organisations despite legal-form words', () => {
    expect(top('NORTHERN MERIDIAN SHIPPING L.L.C.')).toMatchObject({ entryId: 'demo-o-001', score: 1 });
  });

  it('does not match unrelated or merely similar names strongly', () => {
    expect(screener.bestScore('Jane Elizabeth Doe')).toBeLessThan(0.85);
    expect(screener.bestScore('Viktor Smith')).toBeLessThan(0.85);
    expect(screener.bestScore('Ocean Breeze Cafe')).toBeLessThan(0.85);
    expect(screener.bestScore('')).toBe(0);
  });
});

describe('sanctions list formats', () => {
  it('reads the simple CSV form like the FollowTheMoney form', () => {
    const csv = parseSanctionsCsv(readFileSync(join(demo, 'sanctions-demo.csv'), 'utf8'));
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatchObject({ id: 'demo-p-001', names: ['Viktor Andreyevich Morozov', 'Виктор Андреевич Морозов', 'Victor Morozoff'] });
    expect(parseSanctionsList('id,name\nx1,Test Person\n')[0].names).toEqual(['Test Person']);
  });
  it('names the line of a malformed JSON entity', () => {
    expect(() => parseFollowTheMoney('{"id":"a","properties":{"name":["A"]}}\n{oops')).toThrow(/line 2/);
    expect(() => parseSanctionsCsv('name\nfoo\n')).toThrow(SanctionsListError);
  });
});
