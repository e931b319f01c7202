/**
 * Section detection from note headers ("HPI:", "FAMILY HISTORY", "A/P -", "Meds on discharge:").
 * A header is a known name at the start of a line (after list bullets), followed by ":", " -", or
 * the end of the line. The section runs until the next header.
 */

/** Canonical section names (what `section` says on an entity). */
export const Section = {
  ChiefComplaint: 'Chief Complaint',
  HPI: 'HPI',
  PMH: 'PMH',
  PSH: 'PSH',
  Medications: 'Medications',
  DischargeMedications: 'Discharge Medications',
  Allergies: 'Allergies',
  SocialHistory: 'Social History',
  FamilyHistory: 'Family History',
  ROS: 'ROS',
  PhysicalExam: 'Physical Exam',
  Labs: 'Labs',
  Imaging: 'Imaging',
  HospitalCourse: 'Hospital Course',
  AssessmentPlan: 'Assessment/Plan',
  Diagnoses: 'Diagnoses',
  Instructions: 'Instructions',
  Subjective: 'Subjective',
  Objective: 'Objective',
} as const;
export type Section = (typeof Section)[keyof typeof Section];

const HEADERS: Array<[Section, string[]]> = [
  [Section.ChiefComplaint, ['cc', 'chief complaint', 'reason for visit', 'reason for admission', 'presenting complaint', 'reason']],
  [Section.HPI, ['hpi', 'history of present illness', 'history of the present illness', 'presentation', 'interval history', 'history']],
  [Section.PMH, ['pmh', 'pmhx', 'past medical history', 'medical history', 'past history', 'problem list', 'hx']],
  [Section.PSH, ['psh', 'past surgical history', 'surgical history', 'procedures', 'procedure']],
  [Section.DischargeMedications, ['discharge medications', 'discharge meds', 'medications at discharge', 'meds on discharge', 'medications on discharge', 'discharge medication']],
  [Section.Medications, ['medications', 'meds', 'home medications', 'current medications', 'outpatient medications', 'medications on admission', 'current meds', 'home meds', 'current', 'rx', 'medication']],
  [Section.Allergies, ['allergies', 'allergy', 'drug allergies', 'allergies/adverse reactions']],
  [Section.SocialHistory, ['social history', 'sh', 'social hx', 'shx', 'social']],
  [Section.FamilyHistory, ['family history', 'fh', 'fhx', 'family hx', 'fam hx', 'family']],
  [Section.ROS, ['ros', 'review of systems']],
  [Section.PhysicalExam, ['physical exam', 'pe', 'exam', 'physical examination', 'examination', 'vitals', 'vital signs']],
  [Section.Labs, ['labs', 'laboratory data', 'pertinent labs', 'labs/studies', 'laboratory', 'data', 'results', 'workup', 'recent investigations']],
  [Section.Imaging, ['imaging', 'radiology', 'studies', 'diagnostics']],
  [Section.HospitalCourse, ['hospital course', 'brief hospital course', 'course', 'ed course', 'events', 'clinical course']],
  [Section.AssessmentPlan, ['assessment and plan', 'a/p', 'assessment/plan', 'impression and plan', 'a&p', 'mdm', 'impression', 'plan', 'assessment', 'recs', 'recommendations', 'impression/plan', 'tx']],
  [Section.Diagnoses, ['discharge diagnoses', 'diagnoses', 'diagnosis', 'dx', 'admission diagnosis', 'principal diagnosis', 'secondary']],
  [Section.Instructions, ['discharge instructions', 'instructions', 'follow-up', 'follow up', 'advice', 'disposition', 'dispo']],
  [Section.Subjective, ['subjective', 's']],
  [Section.Objective, ['objective', 'o']],
];

const NAME_TO_SECTION = new Map<string, Section>();
for (const [section, names] of HEADERS) for (const n of names) NAME_TO_SECTION.set(n, section);
const ALL_NAMES = [...NAME_TO_SECTION.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\/&]/g, '\\$&'));
// bullets, then a name, then ':' / ' -' / '–' or end of line; one-letter names (S:, O:) need the colon
const HEADER = new RegExp(`^[ \\t]*(?:[-*•#]\\s*|\\d+[.)]\\s*)?(${ALL_NAMES.join('|')})(?:[ \\t]*(?::|\\s-|\\s–)|[ \\t]*$)`, 'i');

/** A section and the note span it covers. */
export interface SectionSpan {
  section: Section;
  /** Offset of the header. */
  start: number;
  /** Offset where the next section starts (or the note ends). */
  end: number;
}

/**
 * @param text - the note.
 * @returns the sections in order; text before the first header belongs to no section.
 */
export function detectSections(text: string): SectionSpan[] {
  const out: SectionSpan[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = HEADER.exec(line);
    if (m) {
      const name = m[1].toLowerCase();
      const section = NAME_TO_SECTION.get(name)!;
      const colon = /:/.test(m[0]);
      // short or ambiguous words ("history", "current", "data", "s") only count with a colon
      const needsColon = name.length <= 2 || ['history', 'current', 'data', 'results', 'reason', 'family', 'social', 'secondary', 'course', 'events', 'procedure', 'hx', 'rx', 'tx'].includes(name);
      if (!needsColon || colon) {
        if (out.length) out[out.length - 1].end = offset;
        out.push({ section, start: offset, end: text.length });
      }
    }
    offset += line.length + 1;
  }
  return out;
}

/**
 * @param sections - from detectSections.
 * @param offset - a character offset in the note.
 * @returns the section containing the offset.
 */
export function sectionAt(sections: SectionSpan[], offset: number): Section | undefined {
  for (let i = sections.length - 1; i >= 0; i--) if (sections[i].start <= offset && offset < sections[i].end) return sections[i].section;
  return undefined;
}
