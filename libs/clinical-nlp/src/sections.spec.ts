import { detectSections, Section, sectionAt } from './sections';

describe('detectSections', () => {
  const note = 'DISCHARGE SUMMARY\nHPI: 70M with cough.\nPast Medical History:\n- HTN\nMeds on discharge:\n1. aspirin 81 mg daily\nFAMILY HISTORY\nMother: MI\nA/P - pneumonia\nS: feels well\nHistory of falls noted.';
  const sections = detectSections(note);

  it('finds headers with colon, dash, or alone on their line, in any case', () => {
    expect(sections.map((s) => s.section)).toEqual([Section.HPI, Section.PMH, Section.DischargeMedications, Section.FamilyHistory, Section.AssessmentPlan, Section.Subjective]);
  });

  it('assigns offsets to the section that contains them', () => {
    expect(sectionAt(sections, note.indexOf('aspirin'))).toBe(Section.DischargeMedications);
    expect(sectionAt(sections, note.indexOf('MI'))).toBe(Section.FamilyHistory);
    expect(sectionAt(sections, note.indexOf('pneumonia'))).toBe(Section.AssessmentPlan);
    expect(sectionAt(sections, 0)).toBeUndefined();
  });

  it('does not take ordinary words that start a sentence for headers', () => {
    expect(sectionAt(sections, note.indexOf('falls'))).toBe(Section.Subjective);
  });
});
