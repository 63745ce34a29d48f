// Owns the seeker's online resume page (/me/resume): one form whose sections each have their own 保存 button,
// the photo upload, and the photo itself for its owner.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { AVAILABILITY, CATEGORIES, CERTIFICATES, DISTRICTS, GENDERS, JOB_TYPES, PREFERRED_SETTLEMENTS, RESUME_PAY_UNITS } from '../../domain/vocabulary';
import { NotFoundError, ValidationError, type FieldErrors } from '../../errors';
import { acceptUpload, renderUploadErrors } from '../../storage/upload';
import { sendPrivateFile } from '../../web/download';
import { flash } from '../../web/flash';
import { parseForm, type FormValues, formValues } from '../../web/forms';
import { requireRole } from '../../web/guards';
import { photoFileOf, PHOTO_UPLOAD_RULE, removePhoto, replacePhoto } from './onlineResume.photo';
import { loadOnlineResume, presentResume, resumeCompleteness, resumeFormValues, saveResumeSection, type SectionInput } from './onlineResume.service';
import {
  aboutSchema,
  birthYearRange,
  chinaYearMonth,
  EXPERIENCE_TEXT_MAX,
  MAX_CATEGORIES,
  MAX_DISTRICTS,
  MAX_EXPERIENCES,
  MAX_SKILLS,
  parseExperiences,
  SECTIONS,
  tagsSchema,
  wantsSchema,
  whoSchema,
  type Section,
} from './onlineResume.validation';
import { INTRO_MAX } from '../seekers/profileFields';
import { isInTalentPool } from '../workspace/talent.service';

const messages = {
  title: '我的在线简历',
  saved: {
    who: '基本信息已保存',
    wants: '求职意向已保存',
    experience: '工作经历已保存',
    tags: '证书技能已保存',
    about: '自我介绍已保存',
  } as Record<Section, string>,
  sectionUnknown: '请点击某一部分的「保存」按钮',
  photoSaved: '照片已更新',
  photoRemoved: '照片已删除',
  photoNeeded: '请选择一张照片',
};

/** Validates one section of the posted form: its typed data, or its field errors. */
function parseSection(section: Section, body: unknown, values: FormValues, now: Date): { ok: true; input: SectionInput } | { ok: false; errors: FieldErrors } {
  const { year, month } = chinaYearMonth(now);
  const wrap = <T>(s: Section, r: { ok: true; data: T } | { ok: false; errors: FieldErrors }) =>
    r.ok ? { ok: true as const, input: { section: s, data: r.data } as SectionInput } : { ok: false as const, errors: r.errors };
  switch (section) {
    case 'who':
      return wrap('who', parseForm(whoSchema(year), body));
    case 'wants':
      return wrap('wants', parseForm(wantsSchema, body));
    case 'experience':
      return wrap('experience', parseExperiences(values, month));
    case 'tags':
      return wrap('tags', parseForm(tagsSchema, body));
    case 'about':
      return wrap('about', parseForm(aboutSchema, body));
  }
}

export function createOnlineResumeRouter(ctx: AppContext): Router {
  const router = Router();
  const seeker = requireRole('seeker');

  async function render(req: Request, res: Response, status: number, errors: FieldErrors = {}, typed?: FormValues, errorSection?: string) {
    const [resume, inPool] = await Promise.all([loadOnlineResume(ctx.db, req.user!.id), isInTalentPool(ctx.db, req.user!.id)]);
    if (!resume) throw new NotFoundError();
    const { year } = chinaYearMonth(ctx.now());
    const range = birthYearRange(year);
    const values = typed ?? resumeFormValues(resume);
    const typedRows = Math.max(0, ...['expCompany', 'expRole', 'expFrom'].map((k) => (Array.isArray(values[k]) ? values[k].length : values[k] ? 1 : 0)));
    // One blank row to add an entry, unless the form came back with what was typed.
    const rows = Math.max(1, typedRows + (typed ? 0 : 1));
    res.status(status).render('onlineResume/edit', {
      title: messages.title,
      noindex: true,
      breadcrumbs: [{ label: '个人中心', href: '/me' }, { label: messages.title }],
      resume,
      inPool,
      preview: presentResume(resume, ctx.now()),
      completeness: resumeCompleteness(resume),
      values,
      errors,
      errorSection: errorSection ?? '',
      experienceRows: Math.min(rows, MAX_EXPERIENCES),
      options: {
        genders: Object.entries(GENDERS),
        districts: DISTRICTS.map((d) => [d, d]),
        jobTypes: Object.entries(JOB_TYPES),
        categories: CATEGORIES.map((c) => [c, c]),
        payUnits: Object.entries(RESUME_PAY_UNITS),
        settlements: Object.entries(PREFERRED_SETTLEMENTS),
        availability: Object.entries(AVAILABILITY),
        certificates: CERTIFICATES.map((c) => [c, c]),
      },
      limits: { yearMin: range.min, yearMax: range.max, introMax: INTRO_MAX, maxCategories: MAX_CATEGORIES, maxDistricts: MAX_DISTRICTS, maxSkills: MAX_SKILLS, expTextMax: EXPERIENCE_TEXT_MAX },
    });
  }

  router.get('/me/resume', seeker, (req, res) => render(req, res, 200));

  // Each section's 保存 button sends `section`; the whole form comes along, so an error in this section shows
  // again with everything typed in every section kept, and only this section is ever written.
  router.post('/me/resume', seeker, async (req, res) => {
    const values = formValues(req.body);
    const section = typeof values.section === 'string' && (SECTIONS as readonly string[]).includes(values.section) ? (values.section as Section) : null;
    if (!section) return render(req, res, 422, { _form: messages.sectionUnknown }, values);
    const parsed = parseSection(section, req.body, values, ctx.now());
    if (!parsed.ok) return render(req, res, 422, parsed.errors, values, section);
    await saveResumeSection(ctx.db, req.user!.id, parsed.input);
    flash(req, 'success', messages.saved[section]);
    res.redirect(303, `/me/resume#sec-${section}`);
  });

  router.post(
    '/me/resume/photo',
    seeker,
    acceptUpload(ctx.storage, PHOTO_UPLOAD_RULE),
    async (req: Request, res: Response) => {
      if (!req.upload) return render(req, res, 422, { photo: messages.photoNeeded }, undefined, 'photo');
      try {
        await replacePhoto(ctx, req.user!.id, req.upload);
      } catch (err) {
        if (err instanceof ValidationError) return render(req, res, 422, err.fieldErrors, undefined, 'photo');
        throw err;
      }
      flash(req, 'success', messages.photoSaved);
      res.redirect(303, '/me/resume#sec-photo');
    },
    renderUploadErrors((req, res, status, errors) => render(req, res, status, errors, undefined, 'photo'), 'photo'),
  );

  router.post('/me/resume/photo/delete', seeker, async (req, res) => {
    await removePhoto(ctx, req.user!.id);
    flash(req, 'success', messages.photoRemoved);
    res.redirect(303, '/me/resume#sec-photo');
  });

  router.get('/me/resume/photo', seeker, async (req, res) => {
    const file = await photoFileOf(ctx, req.user!.id);
    if (!file) throw new NotFoundError();
    await sendPrivateFile(res, ctx.storage, file);
  });

  return router;
}
