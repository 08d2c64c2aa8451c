/**
 * The one error type of the GS1 domain. The HTTP layer maps it to a 422 problem+json; `code` is
 * stable (clients may branch on it), `message` is the human reason.
 */

export type Gs1ErrorCode =
  | 'empty-input'
  | 'invalid-option'
  | 'unknown-ai'
  | 'invalid-ai'
  | 'invalid-character'
  | 'too-long'
  | 'too-short'
  | 'empty-value'
  | 'missing-separator'
  | 'unexpected-separator'
  | 'check-digit'
  | 'invalid-date'
  | 'invalid-time'
  | 'invalid-value'
  | 'conflicting-ai'
  | 'malformed-brackets'
  | 'malformed-uri'
  | 'invalid-dl-path'
  | 'not-dl-attribute'
  | 'duplicate-ai'
  | 'no-primary-key'
  | 'invalid-key'
  | 'reference-does-not-fit';

export interface Gs1ErrorDetails {
  /** The Application Identifier the problem belongs to, when there is one. */
  ai?: string;
  /** 0-based character offset in the input where the problem was found. */
  position?: number;
}

export class Gs1Error extends Error {
  readonly code: Gs1ErrorCode;
  readonly ai?: string;
  readonly position?: number;

  constructor(code: Gs1ErrorCode, message: string, details: Gs1ErrorDetails = {}) {
    super(message);
    this.name = 'Gs1Error';
    this.code = code;
    if (details.ai !== undefined) this.ai = details.ai;
    if (details.position !== undefined) this.position = details.position;
  }
}

/** " at position 12" when a position is known; positions are 0-based offsets into the input. */
export function at(position: number | undefined): string {
  return position === undefined ? '' : ` at position ${position}`;
}
