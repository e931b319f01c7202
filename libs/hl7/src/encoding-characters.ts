/** The five delimiters a message declares in MSH-1 and MSH-2. */
export interface EncodingCharacters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

/** The delimiters almost every sender uses: `|^~\&`. */
export const DEFAULT_ENCODING: EncodingCharacters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/**
 * Reads the encoding characters from the start of an MSH segment.
 * @param msh - the MSH segment text ("MSH|^~\&|...").
 * @returns the delimiters, or undefined when the header does not declare five distinct ones.
 */
export function readEncodingCharacters(msh: string): EncodingCharacters | undefined {
  if (!msh.startsWith('MSH') || msh.length < 8) return undefined;
  const field = msh[3];
  const declared = msh.slice(4, 8);
  // MSH-2 is four characters (2.7 allows a fifth, the truncation character, which we ignore)
  const [component, repetition, escape, subcomponent] = declared;
  const all = [field, component, repetition, escape, subcomponent];
  if (new Set(all).size !== 5 || all.some((c) => /[A-Za-z0-9\s]/.test(c))) return undefined;
  if (msh[8] !== undefined && msh[8] !== field && !(msh[9] === field)) return undefined;
  return { field, component, repetition, escape, subcomponent };
}
