import { ValidationError } from '@suite/platform';

/** A validation error that names the offending argument or input field. */
export function invalid(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}
