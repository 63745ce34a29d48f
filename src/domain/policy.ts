// Owns the version of the privacy policy in force: signup records it, and a newer one asks users again.
export const PRIVACY_POLICY_VERSION = '2026-11-28';
