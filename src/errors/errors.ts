// Typed errors: UserError is something the user can fix (with a next step); anything else is a bug.

/** Exit codes of the CLI, the contract CI jobs rely on. */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  partial: 3,
} as const;

/** An error the user can fix: bad flags, unreadable config, a database from a newer version. */
export class UserError extends Error {
  /** What the user can do next. */
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, hint?: string, exitCode: number = EXIT.usage) {
    super(message);
    this.name = 'UserError';
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** Bad input in one file: named with the file (and position where known) so a person can fix it. */
export class InputFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'InputFileError';
    this.file = file;
  }
}

/** The message of anything thrown, for reports. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
