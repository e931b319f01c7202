import { ValidationError, type Principal } from '@suite/platform';
import type { Access } from './note-structuring.service';

/** HTTP header that says why a note is accessed (HL7 PurposeOfUse style: TREAT, HOPERAT, ...). */
export const PURPOSE_HEADER = 'x-purpose-of-use';

/**
 * @param who - the authenticated caller.
 * @param purpose - the header's value.
 * @param fallback - used when the header is absent (only where the action itself says why).
 * @returns who and why, for the audit chain.
 * @throws ValidationError when no purpose is given and there is no fallback.
 */
export function accessOf(who: Principal, purpose: string | undefined, fallback?: string): Access {
  const reason = purpose?.trim() || fallback;
  if (!reason) throw new ValidationError(`reading clinical notes needs a purpose: send the ${PURPOSE_HEADER} header (e.g. TREAT)`);
  if (reason.length > 200) throw new ValidationError(`${PURPOSE_HEADER} is longer than 200 characters`);
  return { actor: `${who.kind}:${who.name}`, reason };
}
