import { createHmac } from 'node:crypto';

/**
 * HIPAA Safe Harbor de-identification (45 CFR 164.514(b)(2)) of free text: the identifier kinds
 * that occur in notes are found by patterns and replaced by surrogates. Surrogates are derived
 * with an HMAC keyed by a secret and the patient key, so the same patient always gets the same
 * surrogate for the same value (and dates keep their intervals: one shift per patient), while
 * different patients get unrelated ones.
 */

/** Identifier categories (Safe Harbor's list, those that appear in note text). */
export const PhiType = {
  NAME: 'NAME',
  DATE: 'DATE',
  AGE: 'AGE',
  PHONE: 'PHONE',
  EMAIL: 'EMAIL',
  MRN: 'MRN',
  SSN: 'SSN',
  ADDRESS: 'ADDRESS',
  ZIP: 'ZIP',
  URL: 'URL',
  IP: 'IP',
  ACCOUNT: 'ACCOUNT',
} as const;
export type PhiType = keyof typeof PhiType;

export interface PhiReplacement {
  type: PhiType;
  /** Offsets in the de-identified text. */
  start: number;
  end: number;
  surrogate: string;
}

export interface DeidentifiedText {
  text: string;
  replacements: PhiReplacement[];
}

interface Hit {
  type: PhiType;
  start: number;
  end: number;
  value: string;
}

const SURNAMES = ['Abbott', 'Barlow', 'Castillo', 'Dunmore', 'Ellery', 'Fairbanks', 'Galloway', 'Hartmann', 'Iverson', 'Jansen', 'Kavanagh', 'Lindgren', 'Moreau', 'Nakagawa', 'Oyelaran', 'Petrov', 'Quinlan', 'Rasmussen', 'Sorensen', 'Thibault', 'Underhill', 'Valdez', 'Whitcombe', 'Yamamoto', 'Zielinski'];
const GIVEN = ['Alex', 'Blair', 'Casey', 'Dana', 'Emery', 'Frankie', 'Gale', 'Harper', 'Indy', 'Jordan', 'Kendall', 'Logan', 'Morgan', 'Noel', 'Oakley', 'Parker', 'Quinn', 'Reese', 'Sage', 'Taylor'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_RE = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const NAME_WORD = "[A-Z][a-zA-Z'\\u00C0-\\u024F\\u1E00-\\u1EFF-]+";
const NAME_WORD_RE = new RegExp(`^${NAME_WORD}$`);

const PATTERNS: Array<[PhiType, RegExp, number?]> = [
  ['EMAIL', /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g],
  ['URL', /\bhttps?:\/\/[^\s<>"]+|\bwww\.[^\s<>"]+/g],
  ['IP', /\b(?:\d{1,3}\.){3}\d{1,3}\b/g],
  ['SSN', /\b\d{3}-\d{2}-\d{4}\b/g],
  ['PHONE', /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\b\d{2,4}[\s.-])\d{3}[\s.-]\d{4}\b/g],
  ['MRN', /\b(?:MRN|Medical record(?: number)?|MR#|Med Rec #?|Patient ID|Hospital No\.?)[:#\s]*([A-Z]{0,4}\d[\dA-Z-]{3,})\b/gi, 1],
  ['MRN', /\bMRN\d{3,}\b/g],
  ['ACCOUNT', /\b(?:Account|Acct|Insurance|Policy|Member ID|Health plan)(?: (?:no|number|#))?[:#\s.]*([A-Z]{0,4}\d[\dA-Z-]{4,})\b/gi, 1],
  ['DATE', new RegExp(`\\b${MONTH_RE}\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}\\b|\\b\\d{1,2} ${MONTH_RE}\\.? \\d{4}\\b|\\b${MONTH_RE}\\.? \\d{4}\\b`, 'g')],
  ['DATE', /\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{1,2}-\d{1,2}-\d{4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b(?:0?[1-9]|1[0-2])\/(?:19|20)\d{2}\b/g],
  ['DATE', /\b(?:DOB|born|date of birth)[:\s]*((?:19|20)\d{2})\b/gi, 1],
  ['ADDRESS', /\b\d{1,5} (?:[A-Z][a-z]+ ){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Circle)\b\.?/g],
  ['ZIP', /\b\d{5}(?:-\d{4})?\b(?=\s*$|\s*[,\n)])/gm],
  ['AGE', /\b(9\d|1[0-4]\d)(?=[- ]?(?:years?[- ]old|y\/?o\b|yo\b|y\.o\.|-year|year-old))/gi, 1],
  ['AGE', /\b(?:age[d]?|aged)\s+(9\d|1[0-4]\d)\b/gi, 1],
];

/** Finds the identifiers in a note. */
export function findPhi(text: string, knownNames: string[] = []): Hit[] {
  const hits: Hit[] = [];
  for (const [type, re, group] of PATTERNS) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const value = group ? m[group] : m[0];
      const start = group ? m.index + m[0].lastIndexOf(value) : m.index;
      hits.push({ type, start, end: start + value.length, value });
    }
  }
  // names: after a title or a name cue, one to three capitalised words
  const titled = new RegExp(`\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\\.?\\s+((?:[A-Z]\\.\\s*)?${NAME_WORD}(?:\\s+${NAME_WORD}){0,2})`, 'g');
  const cued = new RegExp(`\\b(?:Patient|Pt|Name|Re|Patient name|Dear|Sincerely|Regards|signed by|Attending|Referring physician|PCP)[:,]?\\s+((?:Dr\\.?\\s+)?${NAME_WORD}(?:\\s+${NAME_WORD}){0,2})`, 'g');
  for (const re of [titled, cued]) {
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const value = m[1].replace(/^Dr\.?\s+/, '');
      const start = m.index + m[0].lastIndexOf(value);
      const words = value.split(/\s+/).filter((w) => NAME_WORD_RE.test(w) && !NOT_NAMES.has(w.toLowerCase()));
      if (words.length === 0) continue;
      const first = value.indexOf(words[0]);
      const last = value.lastIndexOf(words[words.length - 1]) + words[words.length - 1].length;
      hits.push({ type: 'NAME', start: start + first, end: start + last, value: value.slice(first, last) });
    }
  }
  // names the caller already knows (from PID-5 or the request) wherever they appear
  for (const name of knownNames.flatMap((n) => n.split(/\s+/)).filter((n) => n.length > 1)) {
    const re = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g');
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) hits.push({ type: 'NAME', start: m.index, end: m.index + name.length, value: name });
  }
  // keep the longest of overlapping hits
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Hit[] = [];
  for (const h of hits) {
    const prev = out[out.length - 1];
    if (prev && h.start < prev.end) {
      if (h.end > prev.end) prev.end = Math.max(prev.end, h.end);
      continue;
    }
    out.push({ ...h });
  }
  return out;
}

// capitalised words that follow cues but are not names
const NOT_NAMES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'the', 'patient', 'is', 'has', 'was', 'with', 'and', 'a', 'an', 'presents', 'denies', 'reports', 'colleague', 'doctor', 'sir', 'madam', 'team', 'all', 'thank', 'thanks', 'best', 'kind', 'yours', 'hospital', 'clinic', 'department']);

/**
 * De-identifies a note.
 * @param text - the note.
 * @param options - secret (HMAC key), patientKey (consistency scope), known names.
 * @returns the text with surrogates, and where each surrogate sits.
 */
export function deidentify(text: string, options: { secret: string; patientKey: string; knownNames?: string[] }): DeidentifiedText {
  const hits = findPhi(text, options.knownNames);
  const mac = (s: string) => createHmac('sha256', options.secret).update(`${options.patientKey}\u0000${s}`).digest();
  const dayShift = -(1 + (mac('date-shift').readUInt32BE(0) % 365));
  let out = '';
  let last = 0;
  const replacements: PhiReplacement[] = [];
  for (const h of hits) {
    const original = text.slice(h.start, h.end);
    const surrogate = surrogateFor(h.type, original, mac, dayShift);
    out += text.slice(last, h.start);
    replacements.push({ type: h.type, start: out.length, end: out.length + surrogate.length, surrogate });
    out += surrogate;
    last = h.end;
  }
  out += text.slice(last);
  return { text: out, replacements };
}

function surrogateFor(type: PhiType, original: string, mac: (s: string) => Buffer, dayShift: number): string {
  const h = mac(`${type}:${original.toLowerCase()}`);
  const digits = (n: number) => {
    let s = '';
    for (let i = 0; s.length < n; i++) s += String(h[i % h.length] % 10);
    return s;
  };
  switch (type) {
    case 'NAME':
      return original
        .split(/\s+/)
        .map((w, i, all) => {
          const hw = mac(`NAME:${w.toLowerCase()}`);
          return i === all.length - 1 && all.length > 1 ? SURNAMES[hw[0] % SURNAMES.length] : all.length === 1 ? SURNAMES[hw[0] % SURNAMES.length] : GIVEN[hw[0] % GIVEN.length];
        })
        .join(' ');
    case 'DATE':
      return shiftDate(original, dayShift);
    case 'AGE':
      return '90+';
    case 'PHONE':
      return `555-01${digits(2)}`;
    case 'EMAIL':
      return `user${digits(6)}@example.org`;
    case 'MRN':
      return `MRN${digits(8)}`;
    case 'SSN':
      return `000-00-${digits(4)}`;
    case 'ACCOUNT':
      return `ACCT${digits(8)}`;
    case 'ADDRESS':
      return `${1 + (h[0] % 99)} ${SURNAMES[h[1] % SURNAMES.length]} Street`;
    case 'ZIP':
      return '00000';
    case 'URL':
      return 'https://example.org/redacted';
    case 'IP':
      return '192.0.2.1';
  }
}

/** Shifts a date by the patient's offset, keeping its written format; a bare year stays a year. */
function shiftDate(original: string, days: number): string {
  const fmt2 = (n: number) => String(n).padStart(2, '0');
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(original))) {
    const d = shifted(+m[1], +m[2], +m[3], days);
    return `${d.getUTCFullYear()}-${fmt2(d.getUTCMonth() + 1)}-${fmt2(d.getUTCDate())}`;
  }
  if ((m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})$/.exec(original))) {
    const year = m[4].length === 2 ? 2000 + +m[4] : +m[4];
    const dotted = m[2] === '.';
    const [month, day] = dotted ? [+m[3], +m[1]] : [+m[1], +m[3]];
    const d = shifted(year, month, day, days);
    const y = m[4].length === 2 ? fmt2(d.getUTCFullYear() % 100) : String(d.getUTCFullYear());
    return dotted ? `${fmt2(d.getUTCDate())}.${fmt2(d.getUTCMonth() + 1)}.${y}` : `${fmt2(d.getUTCMonth() + 1)}${m[2]}${fmt2(d.getUTCDate())}${m[2]}${y}`;
  }
  if ((m = new RegExp(`^(${MONTH_RE})\\.? (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})$`).exec(original))) {
    const month = MONTHS.findIndex((x) => x.toLowerCase().startsWith(m![1].slice(0, 3).toLowerCase())) + 1;
    const d = shifted(+m[3], month, +m[2], days);
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
  }
  if ((m = new RegExp(`^(\\d{1,2}) (${MONTH_RE})\\.? (\\d{4})$`).exec(original))) {
    const month = MONTHS.findIndex((x) => x.toLowerCase().startsWith(m![2].slice(0, 3).toLowerCase())) + 1;
    const d = shifted(+m[3], month, +m[1], days);
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  }
  if ((m = new RegExp(`^(${MONTH_RE})\\.? (\\d{4})$`).exec(original))) {
    const month = MONTHS.findIndex((x) => x.toLowerCase().startsWith(m![1].slice(0, 3).toLowerCase())) + 1;
    const d = shifted(+m[2], month, 15, days);
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  }
  if ((m = /^(\d{1,2})\/(\d{4})$/.exec(original))) {
    const d = shifted(+m[2], +m[1], 15, days);
    return `${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;
  }
  if (/^\d{4}$/.test(original)) return original; // a year alone is allowed by Safe Harbor except with ages > 89
  return '[DATE]';
}

function shifted(y: number, m: number, d: number, days: number): Date {
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCDate(date.getUTCDate() + days);
  return date;
}
