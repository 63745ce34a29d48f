// Owns the online resume (微简历): saving it section by section, its completeness, and what it looks like to
// the seeker, on the apply form and to the employer. It lives in the seeker profile row (one per seeker).
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { seekerProfiles, users } from '../../db/schema';
import type { ResumeExperience } from '../../db/schema/seekers';
import {
  AVAILABILITY,
  GENDERS,
  JOB_TYPES,
  PREFERRED_SETTLEMENTS,
  RESUME_PAY_UNITS,
} from '../../domain/vocabulary';
import { refreshTalentDocument } from '../workspace/talent.search';
import type { AboutInput, Section, TagsInput, WantsInput, WhoInput } from './onlineResume.validation';

const messages = {
  missing: {
    realName: '姓名',
    gender: '性别',
    birthYear: '出生年份',
    phone: '验证手机号',
    district: '现居住区',
    wants: '求职意向',
    pay: '期望薪资',
    experience: '工作经历',
    tags: '证书技能',
    intro: '自我介绍',
    photo: '照片',
  },
  title: { male: '先生', female: '女士' } as Record<string, string>,
};

export type OnlineResume = {
  userId: number;
  realName: string;
  gender: string | null;
  birthYear: number | null;
  phone: string;
  phoneVerified: boolean;
  district: string;
  desiredTypes: string[];
  desiredCategories: string[];
  desiredDistricts: string[];
  minPay: number | null;
  minPayUnit: string | null;
  preferredSettlement: string | null;
  availability: string | null;
  experiences: ResumeExperience[];
  certificates: string[];
  skills: string[];
  intro: string;
  photoFileId: number | null;
  updatedAt: Date | null;
};

/** The seeker's online resume: the profile row (or empty fields) with the account's phone. */
export async function loadOnlineResume(db: Db, userId: number): Promise<OnlineResume | undefined> {
  const [row] = await db
    .select({ user: { id: users.id, displayName: users.displayName, phone: users.phone, phoneVerifiedAt: users.phoneVerifiedAt }, profile: seekerProfiles })
    .from(users)
    .leftJoin(seekerProfiles, eq(seekerProfiles.userId, users.id))
    .where(eq(users.id, userId));
  if (!row) return undefined;
  const p = row.profile;
  return {
    userId,
    realName: p?.realName ?? '',
    gender: p?.gender ?? null,
    birthYear: p?.birthYear ?? null,
    phone: row.user.phone ?? '',
    phoneVerified: Boolean(row.user.phone && row.user.phoneVerifiedAt),
    district: p?.district ?? '',
    desiredTypes: p?.desiredTypes ?? [],
    desiredCategories: p?.desiredCategories ?? [],
    desiredDistricts: p?.desiredDistricts ?? [],
    minPay: p?.minPay ?? null,
    minPayUnit: p?.minPayUnit ?? null,
    preferredSettlement: p?.preferredSettlement ?? null,
    availability: p?.availability ?? null,
    experiences: p?.experiences ?? [],
    certificates: p?.certificates ?? [],
    skills: p?.skills ?? [],
    intro: p?.intro ?? '',
    photoFileId: p?.photoFileId ?? null,
    updatedAt: p?.updatedAt ?? null,
  };
}

export type SectionInput =
  | { section: 'who'; data: WhoInput }
  | { section: 'wants'; data: WantsInput }
  | { section: 'experience'; data: ResumeExperience[] }
  | { section: 'tags'; data: TagsInput }
  | { section: 'about'; data: AboutInput };

/** The columns one section writes; the others are left as they are. */
function columnsOf(input: SectionInput): Partial<typeof seekerProfiles.$inferInsert> {
  switch (input.section) {
    case 'who':
      return { realName: input.data.realName, gender: input.data.gender, birthYear: input.data.birthYear, district: input.data.district };
    case 'wants':
      return input.data;
    case 'experience':
      return { experiences: input.data };
    case 'tags':
      return { certificates: input.data.certificates, skills: input.data.skills };
    case 'about':
      return { intro: input.data.intro };
  }
}

/**
 * Saves one section. The profile row is made on first save; its phone follows the account's (employers call the
 * number the seeker proved). The talent pool's document of a public resume is rewritten in the same transaction.
 */
export async function saveResumeSection(db: Db, userId: number, input: SectionInput): Promise<void> {
  const columns = columnsOf(input);
  const phone = sql`coalesce((select ${users.phone} from ${users} where ${users.id} = ${userId}), '')`;
  await db.transaction(async (tx) => {
    await tx
      .insert(seekerProfiles)
      .values({ userId, ...columns, phone })
      .onConflictDoUpdate({ target: seekerProfiles.userId, set: { ...columns, updatedAt: sql`now()` } });
    // A public resume is searchable as saved, at once (the talent pool's document).
    await refreshTalentDocument(tx, userId);
  });
}

/** The minimal resume quick apply makes, in the caller's transaction. */
export async function createMinimalResume(tx: Db, userId: number, who: { realName: string; gender: 'male' | 'female'; birthYear: number; phone: string }): Promise<void> {
  await tx.insert(seekerProfiles).values({ userId, realName: who.realName, gender: who.gender, birthYear: who.birthYear, phone: who.phone });
}

export type ResumeCompleteness = { percent: number; missing: { key: string; label: string; href: string }[] };

/** How much of what employers look at is filled in; each missing item links to its field on /me/resume. */
export function resumeCompleteness(r: OnlineResume): ResumeCompleteness {
  const checks: [keyof typeof messages.missing, boolean, string][] = [
    ['realName', Boolean(r.realName), '/me/resume#f-realName'],
    ['gender', Boolean(r.gender), '/me/resume#sec-who'],
    ['birthYear', Boolean(r.birthYear), '/me/resume#f-birthYear'],
    ['phone', r.phoneVerified, '/me/security/phone'],
    ['district', Boolean(r.district), '/me/resume#f-district'],
    ['wants', r.desiredTypes.length + r.desiredCategories.length > 0, '/me/resume#sec-wants'],
    ['pay', r.minPay !== null, '/me/resume#f-minPay'],
    ['experience', r.experiences.length > 0, '/me/resume#sec-experience'],
    ['tags', r.certificates.length + r.skills.length > 0, '/me/resume#sec-tags'],
    ['intro', Boolean(r.intro), '/me/resume#f-intro'],
    ['photo', r.photoFileId !== null, '/me/resume#sec-photo'],
  ];
  const done = checks.filter(([, ok]) => ok).length;
  return {
    percent: Math.round((done / checks.length) * 100),
    missing: checks.filter(([, ok]) => !ok).map(([key, , href]) => ({ key, label: messages.missing[key], href })),
  };
}

/** 王先生 / 李女士: what an employer sees before the seeker applied (or with no gender, 王**). */
export function maskedName(realName: string, gender: string | null): string {
  const surname = [...realName.trim()][0];
  if (!surname) return '求职者';
  return surname + (gender && messages.title[gender] ? messages.title[gender] : '**');
}

/** A birth year as an age this year (China time). */
export function ageOf(birthYear: number | null, now: Date): number | null {
  if (!birthYear) return null;
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now)) - birthYear;
}

/** The Chinese label of a vocabulary key, or '' for none or an unknown one. */
export const labelOf = <T extends Record<string, string>>(map: T, key: string | null | undefined): string => (key && key in map ? map[key as keyof T]! : '');

/** The online resume in words, as a page shows it. `fullIdentity` false gives 王先生 and no phone. */
export function presentResume(r: OnlineResume, now: Date, fullIdentity = true) {
  return {
    name: fullIdentity ? r.realName : maskedName(r.realName, r.gender),
    phone: fullIdentity ? r.phone : '',
    phoneVerified: r.phoneVerified,
    genderLabel: labelOf(GENDERS, r.gender),
    age: ageOf(r.birthYear, now),
    birthYear: r.birthYear,
    district: r.district,
    typeLabels: r.desiredTypes.map((t) => labelOf(JOB_TYPES, t)).filter(Boolean),
    categories: r.desiredCategories,
    districts: r.desiredDistricts,
    pay: r.minPay !== null ? `${r.minPay} ${labelOf(RESUME_PAY_UNITS, r.minPayUnit)} 起` : '',
    settlementLabel: labelOf(PREFERRED_SETTLEMENTS, r.preferredSettlement),
    availabilityLabel: labelOf(AVAILABILITY, r.availability),
    experiences: r.experiences.map((e) => ({ ...e, period: `${e.from.replace('-', '.')} – ${e.to ? e.to.replace('-', '.') : '至今'}` })),
    tags: [...r.certificates, ...r.skills],
    intro: r.intro,
    photoFileId: r.photoFileId,
  };
}

export type PresentedResume = ReturnType<typeof presentResume>;

/** The form's starting values for every section. */
export function resumeFormValues(r: OnlineResume): Record<string, string | string[]> {
  return {
    realName: r.realName,
    gender: r.gender ?? '',
    birthYear: r.birthYear ? String(r.birthYear) : '',
    district: r.district,
    desiredTypes: r.desiredTypes,
    desiredCategories: r.desiredCategories,
    desiredDistricts: r.desiredDistricts,
    minPay: r.minPay !== null ? String(r.minPay) : '',
    minPayUnit: r.minPayUnit ?? '',
    preferredSettlement: r.preferredSettlement ?? '',
    availability: r.availability ?? '',
    expCompany: r.experiences.map((e) => e.company),
    expRole: r.experiences.map((e) => e.role),
    expFrom: r.experiences.map((e) => e.from),
    expTo: r.experiences.map((e) => e.to ?? ''),
    expDescription: r.experiences.map((e) => e.description),
    expCurrent: r.experiences.flatMap((e, i) => (e.to === null ? [String(i)] : [])),
    certificates: r.certificates,
    skills: r.skills.join('、'),
    intro: r.intro,
  };
}

export type { Section };
