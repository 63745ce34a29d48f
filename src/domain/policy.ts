// Owns the version of the privacy policy in force: signup records it, and a newer one asks users again.
export const PRIVACY_POLICY_VERSION = '2026-11-28';
/** The day that version took effect: shown on /privacy and /terms (the user agreement changes with it). */
export const PRIVACY_POLICY_EFFECTIVE_DATE = '2026-11-28';
