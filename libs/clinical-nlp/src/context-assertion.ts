import type { Assertion, ClinicalEntity } from './clinical-entity';
import { Section } from './sections';

/**
 * Rule-based assertion in the spirit of ConText (Harkema et al. 2009) and NegEx (Chapman et al.
 * 2001): trigger phrases before ("denies", "possible", "return if", "mother") or after ("ruled
 * out", "with exertion") a problem mark it, within its sentence and up to a termination term
 * ("but", "however"...). The section decides too: Family History -> family, Allergies ->
 * conditional (a reaction that happens on exposure). Negation wins over everything; then family,
 * hypothetical, possible, conditional; otherwise present.
 */

const words = (xs: string[]) => new RegExp(`(?:^|[^a-z0-9/])(?:${xs.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')).join('|')})(?=$|[^a-z0-9])`, 'g');

const NEGATION_PRE = words([
  'no', 'not', 'denies', 'denied', 'deny', 'denying', 'without', 'w/o', 'negative for', 'no evidence of', 'no signs of', 'no sign of',
  'never had', 'never', 'free of', 'absence of', 'ruled out for', 'rules out', 'no history of', 'no h/o', 'no hx of', 'nor', 'neither',
  'no further', 'no new', 'not have', 'did not have', 'does not have', 'no longer has', 'no longer', 'resolution of', 'no e/o', 'negative',
]);
const NEGATION_POST = words(['ruled out', 'was ruled out', 'is ruled out', 'is negative', 'was negative', 'were negative', 'unlikely', 'resolved', 'not seen', 'absent', 'excluded', 'was excluded', 'not present', 'not found', 'negative']);
const PSEUDO = words(['no change', 'not only', 'without difficulty', 'no increase', 'not necessarily', 'gram negative', 'not certain if', 'not certain whether', 'no acute distress', 'not a candidate', 'without improvement', 'not improved', 'no improvement in']);
const POSSIBLE_PRE = words([
  'possible', 'possibly', 'probable', 'probably', 'likely', 'suspected', 'suspect', 'suspicious for', 'concern for', 'concerning for',
  'question of', 'questionable', 'r/o', 'rule out', 'ruled out for', 'to rule out', 'rule-out', 'cannot rule out', 'cannot exclude', "can't rule out",
  'may have', 'may be', 'might be', 'might have', 'differential includes', 'ddx', 'differential', 'vs', 'versus', 'or possibly', 'worry for', 'worried about',
  'evaluate for', 'eval for', 'workup for', 'w/u for', 'think this is', 'presumed', 'presumptive', 'impression of', 'cannot be excluded',
]);
const POSSIBLE_POST = words(['is likely', 'is suspected', 'vs', 'versus', 'is possible', 'is probable', 'cannot be excluded', 'not excluded', 'can not be ruled out', 'cannot be ruled out']);
const HYPOTHETICAL_PRE = words([
  'return if', 'return for', 'rtc or ed for', 'rtc or ed if', 'return precautions given for', 'instructed to return if', 'return to clinic if', 'return to ed if', 'return to the ed if', 'return to er if', 'call if', 'call for', 'seek care for', 'seek care if',
  'seek medical attention if', 'seek medical care if', 'if', 'should', 'in case of', 'in the event of', 'watch for', 'monitor for', 'signs of', 'risk of',
  'precautions for', 'return precautions', 'prevent', 'prevention of', 'prophylaxis', 'in order to avoid', 'to avoid', 'avoid', 'in case',
]);
const FAMILY_PRE = words([
  'mother', 'father', 'sister', 'brother', 'aunt', 'uncle', 'grandmother', 'grandfather', 'cousin', 'sibling', 'siblings', 'parent', 'parents',
  'son', 'daughter', 'mom', 'dad', 'family history', 'family hx', 'fhx', 'fh of', 'fh:', 'fhx:', 'family history of', 'grandparent', 'niece', 'nephew',
]);
const FAMILY_PSEUDO = words(['mother reports', 'father reports', 'wife reports', 'husband reports', 'daughter reports', 'son reports', 'brought by', 'mother states', 'daughter states', 'son states']);
const CONDITIONAL_POST = /^\s*(?:,\s*)?(?:with (?:exertion|exercise|activity|ambulation|deep inspiration|movement|walking|climbing|eating|meals|stairs|lying flat|standing)|on (?:exertion|inclines?|standing|walking|climbing|lying flat|activity|exposure)|upon (?:standing|exertion|exposure|walking)|when\b|whenever\b|after (?:meals|eating|exertion|about|walking|climbing|\d)|while (?:walking|climbing|exercising|lying)|walking\b|climbing\b|during (?:exercise|exertion|activity|meals))/i;
const TERMINATION = words([
  'but', 'however', 'although', 'though', 'yet', 'except', 'aside from', 'apart from', 'which', 'who', 'presents with', 'presented with', 'p/w', 'c/o',
  'complains of', 'reports', 'endorses', 'admits to', 'positive for', 'secondary to', 'due to', 'because of', 'since', 'now with', 'presenting with',
  'found to have', 'significant for', 'notable for', 'showed', 'shows', 'revealed', 'reveals', 'demonstrated',
]);
// family mentions ("mother with ...", "father died of ...") survive most terms; only these end them
const FAMILY_TERMINATION = words(['but', 'however', 'although', 'though', 'except', 'which', 'presents with', 'presented with', 'p/w', 'c/o', 'complains of', 'patient', 'pt', 'he', 'she']);
const ABBREVIATIONS = /(?:^|[^a-z])(?:dr|mr|mrs|ms|vs|e\.g|i\.e|y\.o|b\.i\.d|t\.i\.d|q\.i\.d|q\.d|p\.o|st|approx|pt|no|wk|wks|hr|hrs|min|mins|mg|sr|jr|c|h|q)$/i;

/** Offsets of the sentence around [start, end): newline, ';', '!', and '.'/'?' that end a sentence. */
function sentenceBounds(text: string, start: number, end: number): [number, number] {
  let s = start;
  while (s > 0) {
    const ch = text[s - 1];
    if (ch === '\n' || ch === ';' || ch === '!') break;
    // a '?' after a space is a hedge ("? pancreatitis"), not the end of a question
    if ((ch === '.' || (ch === '?' && !/\s/.test(text[s - 2] ?? ' '))) && /\s/.test(text[s] ?? ' ') && !isAbbreviation(text, s - 1)) break;
    s--;
  }
  let e = end;
  while (e < text.length) {
    const ch = text[e];
    if (ch === '\n' || ch === ';' || ch === '!') break;
    if ((ch === '.' || (ch === '?' && !/\s/.test(text[e - 1] ?? ' '))) && /\s|$/.test(text[e + 1] ?? ' ') && !isAbbreviation(text, e)) break;
    e++;
  }
  return [s, e];
}

function isAbbreviation(text: string, dot: number): boolean {
  const before = text.slice(Math.max(0, dot - 8), dot);
  if (/\d$/.test(before) && /\d/.test(text[dot + 1] ?? '')) return true; // decimal
  return ABBREVIATIONS.test(before);
}

function lastMatchEnd(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  let last = -1;
  while ((m = re.exec(s))) {
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  return last;
}

function firstMatchStart(re: RegExp, s: string): number {
  re.lastIndex = 0;
  const m = re.exec(s);
  return m ? m.index : -1;
}

function matches(re: RegExp, s: string, pseudo?: RegExp): boolean {
  const cleaned = pseudo ? s.replace(pseudo, (x) => ' '.repeat(x.length)) : s;
  re.lastIndex = 0;
  return re.test(cleaned);
}

/**
 * @param text - the note.
 * @param entity - a PROBLEM entity (others get no assertion).
 * @param section - the entity's section, when known.
 * @returns the assertion.
 */
export function assertProblem(text: string, entity: Pick<ClinicalEntity, 'start' | 'end' | 'text'>, section?: string): Assertion {
  const [s, e] = sentenceBounds(text, entity.start, entity.end);
  const preFull = text.slice(s, entity.start).toLowerCase();
  let pre = preFull;
  let post = text.slice(entity.end, e).toLowerCase();
  const own = entity.text.toLowerCase();
  // a termination term closes the scope of triggers before it (and after it, for post triggers)
  const cut = lastMatchEnd(TERMINATION, pre);
  const preScoped = cut >= 0 ? pre.slice(cut) : pre;
  const postCut = firstMatchStart(TERMINATION, post);
  const postScoped = postCut >= 0 ? post.slice(0, postCut) : post;
  pre = preScoped;
  post = postScoped;

  if (matches(NEGATION_PRE, pre, PSEUDO) || matches(NEGATION_POST, post, PSEUDO) || /^(no|denies|without)\b/.test(own)) {
    // "no improvement" inside "return if no improvement" is a hypothetical, not a negation
    if (!(matches(HYPOTHETICAL_PRE, pre) && /^no\b/.test(own))) return 'absent';
  }
  if (section === Section.FamilyHistory) return 'family';
  const familyCut = lastMatchEnd(FAMILY_TERMINATION, preFull);
  if (matches(FAMILY_PRE, familyCut >= 0 ? preFull.slice(familyCut) : preFull, FAMILY_PSEUDO)) return 'family';
  if (matches(HYPOTHETICAL_PRE, pre)) return 'hypothetical';
  if (/(?:^|\s)\?\s*$/.test(pre) || matches(POSSIBLE_PRE, pre) || matches(POSSIBLE_POST, post)) return 'possible';
  if (section === Section.Allergies) return 'conditional';
  if (CONDITIONAL_POST.test(text.slice(entity.end, Math.min(text.length, entity.end + 40)))) return 'conditional';
  return 'present';
}
