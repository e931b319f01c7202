/**
 * Party names to comparable Latin tokens: Unicode decomposition (accents go), transliteration of
 * Cyrillic, Greek and Arabic, lower case, punctuation out, honorifics and legal-form words out.
 * Screening compares these tokens, so "Ivan PETROV", "Петров Иван" and "petrov, ivan" meet.
 */

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', і: 'i', ї: 'i', є: 'ye', ґ: 'g', ў: 'u',
};
const GREEK: Record<string, string> = {
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x',
  ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};
const ARABIC: Record<string, string> = {
  ا: 'a', أ: 'a', إ: 'i', آ: 'a', ٱ: 'a', ب: 'b', ت: 't', ث: 'th', ج: 'j', ح: 'h', خ: 'kh', د: 'd', ذ: 'dh', ر: 'r',
  ز: 'z', س: 's', ش: 'sh', ص: 's', ض: 'd', ط: 't', ظ: 'z', ع: '', غ: 'gh', ف: 'f', ق: 'q', ك: 'k', ل: 'l',
  م: 'm', ن: 'n', ه: 'h', و: 'w', ي: 'y', ى: 'a', ة: 'a', ء: '', ئ: 'y', ؤ: 'w', پ: 'p', چ: 'ch', ژ: 'zh', گ: 'g', ک: 'k', ی: 'y',
};
const LATIN_SPECIAL: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', þ: 'th', ð: 'd', ı: 'i' };

/** Words that say nothing about who a party is. */
const NOISE = new Set([
  'mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'madam', 'mme', 'herr', 'frau',
  'ltd', 'limited', 'llc', 'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'plc', 'gmbh', 'ag', 'sa',
  'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as', 'ooo', 'oao', 'zao', 'pao', 'jsc', 'ojsc', 'pjsc', 'llp', 'lp', 'the', 'of', 'and',
]);

/** Which scripts a name used (the "why" of a transliterated match). */
export function scriptsOf(name: string): string[] {
  const s = new Set<string>();
  for (const ch of name) {
    if (/\p{Script=Cyrillic}/u.test(ch)) s.add('Cyrillic');
    else if (/\p{Script=Greek}/u.test(ch)) s.add('Greek');
    else if (/\p{Script=Arabic}/u.test(ch)) s.add('Arabic');
  }
  return [...s];
}

/** Transliterates and folds a name to lower-case ASCII letters, digits and spaces. */
export function foldName(name: string): string {
  let out = '';
  // "L.L.C." and "J.B." are one word each
  const undotted = name.replace(/(?<=(?:^|[\s.])\p{L})\.(?=\p{L}(?:\.|\s|$))/gu, '');
  for (const ch of undotted.normalize('NFKD').toLowerCase()) {
    if (/\p{M}/u.test(ch)) continue; // combining accents
    const t = CYRILLIC[ch] ?? GREEK[ch] ?? ARABIC[ch] ?? LATIN_SPECIAL[ch];
    if (t !== undefined) out += t;
    else if (/[a-z0-9]/.test(ch)) out += ch;
    else if (ch === "'" || ch === '’' || ch === 'ʼ') continue; // O'Brien -> obrien
    else out += ' ';
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** The comparable tokens of a name, in their original order, noise words dropped. */
export function nameTokens(name: string): string[] {
  const tokens = foldName(name).split(' ').filter(Boolean);
  const kept = tokens.filter((t) => !NOISE.has(t));
  return kept.length ? kept : tokens;
}
