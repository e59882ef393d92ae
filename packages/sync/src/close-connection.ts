import type { CloseCode } from '@nordraum/domain';

/** A reason to close one connection; thrown inside message handling and turned into a close. */
export class CloseConnection extends Error {
  readonly code: CloseCode;

  constructor(code: CloseCode, reason: string) {
    super(reason);
    this.code = code;
  }
}
