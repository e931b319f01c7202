/**
 * Errors that domain code throws without knowing the protocol; the error filter maps them to
 * HTTP problem details, GraphQL errors, or (in the EMR listener) HL7 NAKs.
 */
export const ErrorCode = {
  /** The request is malformed or fails validation. */
  VALIDATION: 400,
  /** No valid credentials. */
  UNAUTHENTICATED: 401,
  /** Authenticated but not allowed. */
  FORBIDDEN: 403,
  /** The thing asked for does not exist. */
  NOT_FOUND: 404,
  /** The request conflicts with the current state. */
  CONFLICT: 409,
  /** Too large to accept. */
  PAYLOAD_TOO_LARGE: 413,
  /** Well-formed but cannot be processed. */
  UNPROCESSABLE: 422,
  /** Overloaded: a queue is full; retry later. */
  OVERLOADED: 429,
  /** A dependency (database, model) is not available. */
  UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ErrorCode;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
  get status(): number {
    return ErrorCode[this.code];
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION', message, details);
  }
}
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}
export class ConflictError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', message, details);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}
export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required') {
    super('UNAUTHENTICATED', message);
  }
}
export class UnprocessableError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('UNPROCESSABLE', message, details);
  }
}
export class OverloadedError extends DomainError {
  constructor(message: string) {
    super('OVERLOADED', message);
  }
}
