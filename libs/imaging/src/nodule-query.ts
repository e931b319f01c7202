import type { Lobe } from './lobe';
import { LUNG_RADS_ORDER, LungRadsCategory } from './lung-rads';
import type { NoduleType } from './phantom';

/**
 * A question in words ("solid nodules larger than 6 mm in the right upper lobe") turned into a
 * structured filter. Every word is either understood, a known filler word, or reported back in
 * `unknownWords`, so the user sees exactly how the question was read.
 */
export interface NoduleQuery {
  types?: NoduleType[];
  minDiameterMm?: number;
  maxDiameterMm?: number;
  /** true: the bound itself matches (at least / at most) */
  minInclusive?: boolean;
  maxInclusive?: boolean;
  lobes?: Lobe[];
  lungRads?: LungRadsCategory[];
  patientId?: string;
  studyDateFrom?: string;
  studyDateTo?: string;
  growth?: 'growing' | 'new' | 'stable' | 'resolved';
  maxDoublingTimeDays?: number;
  juxtapleural?: boolean;
  unknownWords: string[];
  /** the filter restated in words */
  understood: string[];
}

const FILLER = new Set(
  'show me all the a an any of in on at with which that are is were was there find list give get what whose nodule nodules lesion lesions finding findings lung lungs lobe lobes please and or than scan scans study studies ct for have has having patients patient whose by from mm millimetres millimeters diameter size sized measuring measure measured category categories type types those these please where located location side see can you i want to be'.split(
    ' ',
  ),
);

const TYPE_WORDS: [RegExp, NoduleType[]][] = [
  [/^(part-solid|partsolid|part solid|semi-solid|semisolid|mixed)$/, ['part-solid']],
  [/^(subsolid|sub-solid)$/, ['part-solid', 'ground-glass']],
  [/^(ground-glass|groundglass|ground glass|ggo|ggn|ggns|ggos|non-solid|nonsolid|non solid)$/, ['ground-glass']],
  [/^solid$/, ['solid']],
];

const LOBE_PHRASES: [RegExp, Lobe[]][] = [
  [/^(right upper lobe|rul|right upper)$/, ['RUL']],
  [/^(right middle lobe|rml|middle lobe|right middle)$/, ['RML']],
  [/^(right lower lobe|rll|right lower)$/, ['RLL']],
  [/^(left upper lobe|lul|left upper|lingula|lingular)$/, ['LUL']],
  [/^(left lower lobe|lll|left lower)$/, ['LLL']],
  [/^(upper lobes|upper lobe|upper)$/, ['RUL', 'LUL']],
  [/^(lower lobes|lower lobe|lower)$/, ['RLL', 'LLL']],
  [/^(right lung|right side|right)$/, ['RUL', 'RML', 'RLL']],
  [/^(left lung|left side|left)$/, ['LUL', 'LLL']],
];

const MORE = /^(larger|bigger|greater|over|above|more|exceeding|exceeds|>|>=|≥|at-least|atleast|min|minimum)$/;
const LESS = /^(smaller|less|under|below|fewer|<|<=|≤|at-most|atmost|max|maximum|up-to)$/;

/** Parse a question. `today` anchors relative dates ("last 6 months"). */
export function parseNoduleQuery(text: string, today = new Date()): NoduleQuery {
  const q: NoduleQuery = { unknownWords: [], understood: [] };
  const tokens = tokenize(text);
  const addTypes = (t: NoduleType[]) => (q.types = [...new Set([...(q.types ?? []), ...t])]);
  const addLobes = (l: Lobe[]) => (q.lobes = [...new Set([...(q.lobes ?? []), ...l])]);
  let i = 0;
  const peek = (k = 0) => tokens[i + k];
  while (i < tokens.length) {
    const t = tokens[i];
    // multi-word phrases first (three, then two words)
    const three = tokens.slice(i, i + 3).join(' ');
    const two = tokens.slice(i, i + 2).join(' ');
    const lobe3 = LOBE_PHRASES.find(([re]) => re.test(three));
    if (lobe3 && tokens.length - i >= 3) {
      addLobes(lobe3[1]);
      i += 3;
      continue;
    }
    const type2 = TYPE_WORDS.find(([re]) => re.test(two));
    if (type2 && tokens.length - i >= 2) {
      addTypes(type2[1]);
      i += 2;
      continue;
    }
    const lobe2 = LOBE_PHRASES.find(([re]) => re.test(two));
    if (lobe2 && tokens.length - i >= 2) {
      addLobes(lobe2[1]);
      i += 2;
      continue;
    }
    const type1 = TYPE_WORDS.find(([re]) => re.test(t));
    if (type1) {
      addTypes(type1[1]);
      i++;
      continue;
    }
    const lobe1 = LOBE_PHRASES.find(([re]) => re.test(t));
    if (lobe1) {
      addLobes(lobe1[1]);
      i++;
      continue;
    }
    // sizes: "larger than 6 mm", "at least 8mm", "under 1 cm", "between 6 and 8 mm", "6-8 mm", "> 6"
    if (t === 'between' && isNumber(peek(1)) && (peek(2) === 'and' || peek(2) === 'to') && isNumber(peek(3))) {
      const unit = unitAt(tokens, i + 4);
      if (unit.unit !== 'days') {
        q.minDiameterMm = Number(peek(1)) * unit.factor;
        q.maxDiameterMm = Number(peek(3)) * unit.factor;
        q.minInclusive = q.maxInclusive = true;
        i += 4 + unit.consumed;
        continue;
      }
    }
    if (/^\d+(\.\d+)?-\d+(\.\d+)?$/.test(t)) {
      const [a, b] = t.split('-').map(Number);
      const unit = unitAt(tokens, i + 1);
      q.minDiameterMm = a * unit.factor;
      q.maxDiameterMm = b * unit.factor;
      q.minInclusive = q.maxInclusive = true;
      i += 1 + unit.consumed;
      continue;
    }
    if (MORE.test(t) || LESS.test(t)) {
      let j = i + 1;
      let inclusive = /^(>=|≥|at-least|atleast|min|minimum|<=|≤|at-most|atmost|max|maximum|up-to)$/.test(t);
      if (tokens[j] === 'than') j++;
      if (tokens[j] === 'or' && (tokens[j + 1] === 'equal' || tokens[j + 1] === 'equals')) {
        inclusive = true;
        j += 2;
        if (tokens[j] === 'to') j++;
      }
      if (isNumber(tokens[j])) {
        const unit = unitAt(tokens, j + 1);
        const value = Number(tokens[j]) * unit.factor;
        if (unit.unit === 'days') {
          if (LESS.test(t)) q.maxDoublingTimeDays = value;
          else q.unknownWords.push(`${t} ${tokens[j]} days`);
        } else if (MORE.test(t)) {
          q.minDiameterMm = value;
          q.minInclusive = inclusive;
        } else {
          q.maxDiameterMm = value;
          q.maxInclusive = inclusive;
        }
        i = j + 1 + unit.consumed;
        continue;
      }
    }
    // "8 mm or larger", "6mm+"
    if (isNumber(t) && ['mm', 'cm', 'millimetres', 'millimeters', 'centimetres', 'centimeters'].includes(peek(1) ?? '') && peek(2) === 'or' && (MORE.test(peek(3) ?? '') || LESS.test(peek(3) ?? ''))) {
      const unit = unitAt(tokens, i + 1);
      const value = Number(t) * unit.factor;
      if (MORE.test(peek(3))) {
        q.minDiameterMm = value;
        q.minInclusive = true;
      } else {
        q.maxDiameterMm = value;
        q.maxInclusive = true;
      }
      i += 4;
      continue;
    }
    // Lung-RADS: "lung-rads 4a", "category 3", "4b or higher", "lung rads 3 or above"
    if (t === 'lung-rads' || t === 'lungrads' || (t === 'lung' && peek(1) === 'rads') || t === 'category' || t === 'cat') {
      let j = i + (t === 'lung' ? 2 : 1);
      if (tokens[j] === 'category' || tokens[j] === 'cat') j++;
      const cat = normalizeCategory(tokens[j]);
      if (cat) {
        j++;
        if (tokens[j] === 'or' && /^(higher|above|worse|more|greater)$/.test(tokens[j + 1] ?? '')) {
          q.lungRads = LUNG_RADS_ORDER.slice(LUNG_RADS_ORDER.indexOf(cat));
          j += 2;
        } else if (tokens[j] === 'or' && /^(lower|below|less)$/.test(tokens[j + 1] ?? '')) {
          q.lungRads = LUNG_RADS_ORDER.slice(0, LUNG_RADS_ORDER.indexOf(cat) + 1);
          j += 2;
        } else if (tokens[j] === '+') {
          q.lungRads = LUNG_RADS_ORDER.slice(LUNG_RADS_ORDER.indexOf(cat));
          j++;
        } else q.lungRads = [...new Set([...(q.lungRads ?? []), cat])];
        i = j;
        continue;
      }
      if (t === 'lung') {
        i++;
        continue;
      }
    }
    // patient: "patient P-123", "for patient 42"
    if ((t === 'patient' || t === 'patient-id' || t === 'pid') && peek(1) && !FILLER.has(peek(1)) ) {
      q.patientId = originalToken(text, peek(1));
      i += 2;
      continue;
    }
    // dates: since/after/before/from/until ISO dates, "in 2025", "last 6 months"
    if (/^(since|after|from|before|until|till|to|in|on)$/.test(t) && isDateToken(peek(1))) {
      const [from, to] = dateRange(peek(1));
      if (/^(since|after|from)$/.test(t)) q.studyDateFrom = t === 'after' ? to : from;
      else if (/^(before|until|till|to)$/.test(t)) q.studyDateTo = t === 'before' ? from : to;
      else {
        q.studyDateFrom = from;
        q.studyDateTo = to;
      }
      i += 2;
      continue;
    }
    if ((t === 'last' || t === 'past') && isNumber(peek(1)) && /^(days?|weeks?|months?|years?)$/.test(peek(2) ?? '')) {
      const n = Number(peek(1));
      const d = new Date(today);
      const unit = peek(2).replace(/s$/, '');
      if (unit === 'day') d.setUTCDate(d.getUTCDate() - n);
      if (unit === 'week') d.setUTCDate(d.getUTCDate() - 7 * n);
      if (unit === 'month') d.setUTCMonth(d.getUTCMonth() - n);
      if (unit === 'year') d.setUTCFullYear(d.getUTCFullYear() - n);
      q.studyDateFrom = d.toISOString().slice(0, 10);
      i += 3;
      continue;
    }
    // growth
    if (/^(growing|grown|grew|growth|enlarging|enlarged|increasing|increased)$/.test(t)) {
      q.growth = 'growing';
      i++;
      continue;
    }
    if (/^(new|newly|appeared)$/.test(t)) {
      q.growth = 'new';
      i++;
      continue;
    }
    if (/^(stable|unchanged)$/.test(t)) {
      q.growth = 'stable';
      i++;
      continue;
    }
    if (/^(resolved|disappeared|gone)$/.test(t)) {
      q.growth = 'resolved';
      i++;
      continue;
    }
    if ((t === 'vdt' || (t === 'doubling' && peek(1) === 'time')) ) {
      i += t === 'vdt' ? 1 : 2;
      if (!q.growth) q.growth = 'growing';
      continue;
    }
    if (/^(juxtapleural|juxta-pleural|pleural|subpleural|sub-pleural|pleural-based)$/.test(t)) {
      q.juxtapleural = true;
      i++;
      continue;
    }
    if (/^(not|non|without)$/.test(t) && /^(juxtapleural|pleural)$/.test(peek(1) ?? '')) {
      q.juxtapleural = false;
      i += 2;
      continue;
    }
    if (FILLER.has(t) || t === 'than' || t === 'or' || t === 'equal' || t === 'to') {
      i++;
      continue;
    }
    q.unknownWords.push(originalToken(text, t));
    i++;
  }
  q.understood = describe(q);
  return q;
}

export interface QueryableNodule {
  type: NoduleType;
  diameterMm: number;
  lobe: Lobe;
  lungRads: LungRadsCategory;
  juxtapleural: boolean;
  patientId?: string;
  studyDate?: string;
  growth?: 'growing' | 'new' | 'stable' | 'resolved';
  doublingTimeDays?: number | null;
}

/** Does a nodule satisfy the filter? */
export function matchesQuery(n: QueryableNodule, q: NoduleQuery): boolean {
  if (q.types && !q.types.includes(n.type)) return false;
  if (q.minDiameterMm !== undefined && (q.minInclusive ? n.diameterMm < q.minDiameterMm : n.diameterMm <= q.minDiameterMm)) return false;
  if (q.maxDiameterMm !== undefined && (q.maxInclusive ? n.diameterMm > q.maxDiameterMm : n.diameterMm >= q.maxDiameterMm)) return false;
  if (q.lobes && !q.lobes.includes(n.lobe)) return false;
  if (q.lungRads && !q.lungRads.includes(n.lungRads)) return false;
  if (q.juxtapleural !== undefined && n.juxtapleural !== q.juxtapleural) return false;
  if (q.patientId !== undefined && (n.patientId ?? '').toLowerCase() !== q.patientId.toLowerCase()) return false;
  const date = n.studyDate ? normalizeDate(n.studyDate) : undefined;
  if (q.studyDateFrom && (!date || date < q.studyDateFrom)) return false;
  if (q.studyDateTo && (!date || date > q.studyDateTo)) return false;
  if (q.growth && n.growth !== q.growth) return false;
  if (q.maxDoublingTimeDays !== undefined && !(n.doublingTimeDays !== null && n.doublingTimeDays !== undefined && n.doublingTimeDays > 0 && n.doublingTimeDays <= q.maxDoublingTimeDays)) return false;
  return true;
}

function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[,;?!]/g, ' ')
    .replace(/(\d)(mm|cm)\b/g, '$1 $2')
    .replace(/(>=|<=|≥|≤|>|<)(\d)/g, '$1 $2')
    .replace(/\bat least\b/g, 'at-least')
    .replace(/\bat most\b/g, 'at-most')
    .replace(/\bup to\b/g, 'up-to')
    .replace(/\blung[- ]rads\b/g, 'lung-rads')
    .replace(/(\d[ab]?)\+/g, '$1 +')
    .replace(/\.(\s|$)/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function isNumber(t: string | undefined): boolean {
  return !!t && /^\d+(\.\d+)?$/.test(t);
}

function unitAt(tokens: string[], j: number): { factor: number; consumed: number; unit: 'mm' | 'cm' | 'days' } {
  const u = tokens[j];
  if (u === 'cm' || u === 'centimetres' || u === 'centimeters' || u === 'centimeter') return { factor: 10, consumed: 1, unit: 'cm' };
  if (u === 'mm' || u === 'millimetres' || u === 'millimeters' || u === 'millimeter') return { factor: 1, consumed: 1, unit: 'mm' };
  if (u === 'days' || u === 'day') return { factor: 1, consumed: 1, unit: 'days' };
  return { factor: 1, consumed: 0, unit: 'mm' };
}

function normalizeCategory(t: string | undefined): LungRadsCategory | undefined {
  if (!t) return undefined;
  const u = t.toUpperCase();
  return (LUNG_RADS_ORDER as string[]).includes(u) ? (u as LungRadsCategory) : undefined;
}

function isDateToken(t: string | undefined): boolean {
  return !!t && /^(\d{4})(-\d{2})?(-\d{2})?$/.test(t);
}

/** "2025" → [2025-01-01, 2025-12-31]; "2025-03" → the month; a full date → that day. */
function dateRange(t: string): [string, string] {
  const [y, m, d] = t.split('-');
  if (d) return [t, t];
  if (m) {
    const last = new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate();
    return [`${y}-${m}-01`, `${y}-${m}-${String(last).padStart(2, '0')}`];
  }
  return [`${y}-01-01`, `${y}-12-31`];
}

function normalizeDate(d: string): string {
  return /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d.slice(0, 10);
}

/** the token as the user wrote it (case kept), for identifiers and unknown-word reports */
function originalToken(text: string, lower: string): string {
  const m = text.match(new RegExp(lower.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
  return m ? m[0] : lower;
}

function describe(q: NoduleQuery): string[] {
  const out: string[] = [];
  if (q.types) out.push(`type: ${q.types.join(' or ')}`);
  if (q.minDiameterMm !== undefined) out.push(`mean diameter ${q.minInclusive ? '>=' : '>'} ${q.minDiameterMm} mm`);
  if (q.maxDiameterMm !== undefined) out.push(`mean diameter ${q.maxInclusive ? '<=' : '<'} ${q.maxDiameterMm} mm`);
  if (q.lobes) out.push(`lobe: ${q.lobes.join(', ')}`);
  if (q.lungRads) out.push(`Lung-RADS: ${q.lungRads.join(', ')}`);
  if (q.juxtapleural !== undefined) out.push(q.juxtapleural ? 'juxtapleural' : 'not juxtapleural');
  if (q.patientId) out.push(`patient: ${q.patientId}`);
  if (q.studyDateFrom) out.push(`study on or after ${q.studyDateFrom}`);
  if (q.studyDateTo) out.push(`study on or before ${q.studyDateTo}`);
  if (q.growth) out.push(`growth: ${q.growth}`);
  if (q.maxDoublingTimeDays !== undefined) out.push(`volume doubling time <= ${q.maxDoublingTimeDays} days`);
  return out;
}
