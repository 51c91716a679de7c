/** Documented in --help and the README; cron jobs test these. */
export const EXIT = {
  ok: 0,
  regression: 1,
  usage: 2,
  incomplete: 3,
  internalError: 4,
  interrupted: 130,
} as const;
