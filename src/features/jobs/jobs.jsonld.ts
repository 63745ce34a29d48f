// Owns the schema.org JobPosting of a job page, for search engines (Google for Jobs, Baidu).
import { endOfChinaDay } from '../../domain/dates';
import type { JobType, PayUnit } from '../../domain/vocabulary';
import type { JobWithEmployer } from './jobs.queries';

/**
 * A 劳务派遣 worker is the agency's employee (labour contract with the 派遣单位), placed at the 用工单位
 * for 临时性、辅助性、替代性 posts (劳务派遣暂行规定): TEMPORARY, not CONTRACTOR, which means an
 * independent contractor.
 */
const EMPLOYMENT_TYPES: Record<JobType, string> = { temp: 'TEMPORARY', parttime: 'PART_TIME', dispatch: 'TEMPORARY', fulltime: 'FULL_TIME' };

/** Piece-rate pay has no schema.org unit; a bare amount would be read as hourly or monthly, so it is left out. */
const UNIT_TEXT: Partial<Record<PayUnit, string>> = { hour: 'HOUR', day: 'DAY', month: 'MONTH' };

/** `job` as an anonymous visitor sees it: pass it through maskJobText first. */
export function jobPostingData(job: JobWithEmployer, publicUrl: string): Record<string, unknown> {
  const unitText = UNIT_TEXT[job.payUnit];
  // Search engines are anonymous visitors: every text field is masked (maskJobText) before it reaches here.
  const description = [job.description, job.requirements && `招聘条件:${job.requirements}`, job.benefits.length ? `福利:${job.benefits.join('、')}` : ''].filter(Boolean).join('\n\n');
  // For a dispatch job the hiring organisation is the agency: it signs the labour contract.
  const hiringName = (job.type === 'dispatch' ? job.dispatchAgencyName : null) ?? job.companyName ?? '';
  const street = job.address.startsWith(job.district) ? job.address : `${job.district}${job.address}`;
  return {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    title: job.title,
    description,
    identifier: { '@type': 'PropertyValue', name: hiringName, value: String(job.id) },
    datePosted: (job.firstPublishedAt ?? job.publishedAt ?? job.createdAt).toISOString(),
    validThrough: endOfChinaDay(job.validUntil),
    employmentType: EMPLOYMENT_TYPES[job.type],
    hiringOrganization: { '@type': 'Organization', name: hiringName },
    jobLocation: {
      '@type': 'Place',
      address: { '@type': 'PostalAddress', streetAddress: street, addressLocality: '深圳', addressRegion: '广东', addressCountry: 'CN' },
    },
    ...(unitText
      ? {
          baseSalary: {
            '@type': 'MonetaryAmount',
            currency: 'CNY',
            value: job.payMax
              ? { '@type': 'QuantitativeValue', minValue: job.payMin, maxValue: job.payMax, unitText }
              : { '@type': 'QuantitativeValue', value: job.payMin, unitText },
          },
        }
      : {}),
    totalJobOpenings: job.headcount,
    directApply: false,
    url: `${publicUrl}/jobs/${job.id}`,
  };
}
