// Owns what a visitor who is not signed in (a scraper, a search engine) sees of a job's free text: every mobile
// number masked, in every field an employer types, so a number typed into the title, the shift or the address
// is as hidden as the contact phone. Signed-in visitors see the job as written, on its page.
import { maskPhonesIn } from '../../domain/text';

/** Every field of a job (or a job card, or a job joined with its company) that holds text someone typed. */
const FREE_TEXT_FIELDS = [
  'title',
  'category',
  'city',
  'address',
  'shift',
  'requirements',
  'description',
  'contactName',
  'dispatchAgencyName',
  'worksiteEmployerName',
  'companyName',
  'companyIntro',
  'companyAddress',
] as const;

/** A copy of the job with a mobile number masked in each free-text field (and each benefit). */
export function maskJobText<T extends object>(job: T): T {
  const out = { ...job } as Record<string, unknown>;
  for (const key of FREE_TEXT_FIELDS) {
    const value = out[key];
    if (typeof value === 'string') out[key] = maskPhonesIn(value);
  }
  if (Array.isArray(out.benefits)) out.benefits = out.benefits.map((b: unknown) => (typeof b === 'string' ? maskPhonesIn(b) : b));
  return out as T;
}
