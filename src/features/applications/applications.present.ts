// Owns what an employer's pages (one job's applicants, the inbox, the detail page) show of an applicant.
import { GENDERS, JOB_TYPES } from '../../domain/vocabulary';
import { contactOf } from '../seekers/seekers.service';
import type { ApplicantRow } from './applications.queries';
import { employerNextStatuses } from './applications.rules';

const messages = {
  anonymised: '已注销用户',
  withdrawnApplicant: '求职者已撤回投递',
};

/** A birth year as an age this year (China time). */
export function ageOf(birthYear: number | null, now: Date): number | null {
  if (!birthYear) return null;
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now)) - birthYear;
}

export function presentApplicant<R extends ApplicantRow>(row: R, now: Date) {
  // A deleted account or a withdrawn application: only the record is left (the query gives no personal data).
  const withdrawn = row.status === 'withdrawn';
  const anonymised = row.seekerId === null || withdrawn;
  const contact = contactOf(row);
  return {
    ...row,
    anonymised,
    withdrawn,
    name: row.seekerId === null ? messages.anonymised : withdrawn ? messages.withdrawnApplicant : contact.name,
    phone: anonymised ? '' : contact.phone,
    genderLabel: row.gender && row.gender in GENDERS ? GENDERS[row.gender as keyof typeof GENDERS] : '',
    age: anonymised ? null : ageOf(row.birthYear, now),
    desiredLabels: (row.desiredTypes ?? []).filter((t) => t in JOB_TYPES).map((t) => JOB_TYPES[t as keyof typeof JOB_TYPES]),
    // Buttons for the moves the rules allow; `viewed` happens by itself when the application is opened.
    // An applicant who deleted the account is only a count: there is nobody left to move along.
    nextStatuses: anonymised ? [] : employerNextStatuses(row.status).filter((s) => s !== 'viewed'),
  };
}

export type PresentedApplicant = ReturnType<typeof presentApplicant>;
