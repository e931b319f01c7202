import type { EncodingCharacters } from './encoding-characters';

/**
 * HL7 v2 escape sequences (v2.5.1 chapter 2.7). Decoding uses the message's own encoding
 * characters, so a message that declares `MSH|$~\&` still decodes `\S\` to `$`.
 */

/**
 * Decodes escape sequences in a field value: \F\ \S\ \T\ \R\ \E\ \.br\ and \Xhh..\ (hex bytes).
 * Unknown sequences (\H\, \N\, \Zxx\ ...) are dropped, as receivers are allowed to do.
 * @param value - the raw, still escaped value.
 * @param enc - the encoding characters of the message the value came from.
 * @returns the plain text.
 */
export function unescapeHl7(value: string, enc: EncodingCharacters): string {
  const esc = enc.escape;
  if (!value.includes(esc)) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const ch = value[i];
    if (ch !== esc) {
      out += ch;
      i++;
      continue;
    }
    const close = value.indexOf(esc, i + 1);
    if (close < 0) {
      // an unterminated escape is kept literally rather than swallowing the rest of the field
      out += value.slice(i);
      break;
    }
    const seq = value.slice(i + 1, close);
    out += decodeSequence(seq, enc);
    i = close + 1;
  }
  return out;
}

function decodeSequence(seq: string, enc: EncodingCharacters): string {
  switch (seq) {
    case 'F':
      return enc.field;
    case 'S':
      return enc.component;
    case 'T':
      return enc.subcomponent;
    case 'R':
      return enc.repetition;
    case 'E':
      return enc.escape;
    case '.br':
      return '\n';
  }
  if (/^X([0-9A-Fa-f]{2})+$/.test(seq)) {
    return Buffer.from(seq.slice(1), 'hex').toString('utf8');
  }
  if (/^\.sp\d*$/.test(seq)) return '\n'.repeat(Math.max(1, Number(seq.slice(3)) || 1));
  return '';
}

/**
 * Escapes text for use inside a field: delimiters become \F\ \S\ \T\ \R\ \E\ and line breaks \.br\.
 * @param text - plain text.
 * @param enc - the encoding characters of the message being built.
 * @returns the escaped value.
 */
export function escapeHl7(text: string, enc: EncodingCharacters): string {
  const e = enc.escape;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === e) out += `${e}E${e}`;
    else if (ch === enc.field) out += `${e}F${e}`;
    else if (ch === enc.component) out += `${e}S${e}`;
    else if (ch === enc.subcomponent) out += `${e}T${e}`;
    else if (ch === enc.repetition) out += `${e}R${e}`;
    else if (ch === '\r' && text[i + 1] === '\n') {
      out += `${e}.br${e}`;
      i++;
    } else if (ch === '\n' || ch === '\r') out += `${e}.br${e}`;
    else out += ch;
  }
  return out;
}
