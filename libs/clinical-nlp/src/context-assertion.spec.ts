import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Assertion } from './clinical-entity';
import { assertProblem } from './context-assertion';
import { detectSections, sectionAt } from './sections';

function assertIn(text: string, problem: string, occurrence = 0): Assertion {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = text.indexOf(problem, start + 1);
  if (start < 0) throw new Error(`${problem} not in text`);
  const entity = { start, end: start + problem.length, text: problem };
  return assertProblem(text, entity, sectionAt(detectSections(text), start));
}

describe('assertProblem (ConText rules)', () => {
  it.each<[string, string, Assertion]>([
    ['Patient denies fever, chills, or night sweats.', 'night sweats', 'absent'],
    ['No rash, no vomiting.', 'vomiting', 'absent'],
    ['CT head: no evidence of intracranial hemorrhage.', 'intracranial hemorrhage', 'absent'],
    ['PE was ruled out by CTA.', 'PE', 'absent'],
    ['Reports cough but denies fever.', 'cough', 'present'],
    ['Reports cough but denies fever.', 'fever', 'absent'],
    ['Possible pneumonia on CXR.', 'pneumonia', 'possible'],
    ['r/o ACS: serial troponins.', 'ACS', 'possible'],
    ['- ? appendicitis: surgery consult', 'appendicitis', 'possible'],
    ['Concern for ectopic pregnancy.', 'ectopic pregnancy', 'possible'],
    ['Return to ED if chest pain or shortness of breath.', 'shortness of breath', 'hypothetical'],
    ['Should her symptoms recur, please re-refer.', 'symptoms', 'hypothetical'],
    ['Shortness of breath with exertion.', 'Shortness of breath', 'conditional'],
    ['Occasional hypoglycemia when he skips lunch.', 'hypoglycemia', 'conditional'],
    ['Mother with breast cancer.', 'breast cancer', 'family'],
    ['His father died of a myocardial infarction at 58.', 'myocardial infarction', 'family'],
    ['Family History:\nColon cancer in an uncle\nDiabetes', 'Diabetes', 'family'],
    ['Family History:\nNo family history of stroke.', 'stroke', 'absent'],
    ['Allergies: penicillin (hives)', 'hives', 'conditional'],
    ['He no longer has orthopnoea.', 'orthopnoea', 'absent'],
    ['Presents with chest pain radiating to the arm.', 'chest pain', 'present'],
    ['Temp 38.9 °C. No cough.', 'cough', 'absent'],
    ['Return if no improvement in 48 h.', 'no improvement', 'hypothetical'],
  ])('%s -> %s is %s', (text, problem, expected) => {
    expect(assertIn(text, problem)).toBe(expected);
  });

  it('keeps negation inside its sentence', () => {
    const text = 'No fever. Cough for 3 days.';
    expect(assertIn(text, 'Cough')).toBe('present');
  });

  it('gets most of the hand-written held-out assertions right (rules written by the same author: optimistic)', () => {
    const notes = JSON.parse(readFileSync(join(__dirname, '../../../data/emr/heldout/notes.json'), 'utf8')).notes as Array<{
      text: string;
      entities: Array<{ type: string; start: number; end: number; text: string; assertion?: Assertion }>;
    }>;
    let ok = 0;
    let n = 0;
    for (const note of notes) {
      const sections = detectSections(note.text);
      for (const e of note.entities.filter((x) => x.type === 'PROBLEM')) {
        n++;
        if (assertProblem(note.text, e, sectionAt(sections, e.start)) === e.assertion) ok++;
      }
    }
    expect(n).toBeGreaterThan(200);
    expect(ok / n).toBeGreaterThan(0.9);
  });
});
