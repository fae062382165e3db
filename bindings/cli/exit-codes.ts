/** The `boreal` exit codes (DESIGN §6). */
export const EXIT = {
  /** Success; `authorize`: allowed. */
  OK: 0,
  /** An error: a bad fact or value, a missing file, no policy, a store problem. */
  ERROR: 1,
  /** A usage error: unknown command or option, wrong number of arguments. */
  USAGE: 2,
  /** `authorize`: denied. */
  DENIED: 3,
  /** The policy does not validate, or its tests fail. */
  INVALID: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
