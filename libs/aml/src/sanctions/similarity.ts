/** Jaro similarity of two strings, in [0, 1]. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  const la = a.length, lb = b.length;
  if (!la || !lb) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const aMatch = new Uint8Array(la), bMatch = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window), hi = Math.min(lb - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (!bMatch[j] && a[i] === b[j]) {
        aMatch[i] = bMatch[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (!matches) return 0;
  let k = 0, transpositions = 0;
  for (let i = 0; i < la; i++) {
    if (!aMatch[i]) continue;
    while (!bMatch[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3;
}

/** Jaro-Winkler: Jaro with a bonus for a common prefix (up to 4 characters, scale 0.1). */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

const SOUNDEX: Record<string, string> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3', l: '4', m: '5', n: '5', r: '6',
};

/**
 * American Soundex of a folded token (letters only): first letter and three consonant-class digits.
 * It catches spellings a transliteration produces ("mohammed", "muhammad" -> M530).
 */
export function soundex(token: string): string {
  const s = token.replace(/[^a-z]/g, '');
  if (!s) return '';
  let code = s[0].toUpperCase();
  let last = SOUNDEX[s[0]] ?? '';
  for (let i = 1; i < s.length && code.length < 4; i++) {
    const ch = s[i];
    const d = SOUNDEX[ch];
    if (d) {
      if (d !== last) code += d;
      last = d;
    } else if (ch !== 'h' && ch !== 'w') {
      last = ''; // a vowel separates equal codes; h and w do not
    }
  }
  return code.padEnd(4, '0');
}
