// Owns the employer's own area: the dashboard (/employer), the company profile with its license upload,
// and the owner's download of that license.
import { Router, type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { JOB_STATUSES } from '../../domain/vocabulary';
import { NotFoundError, PayloadTooLargeError, UnsupportedFileError } from '../../errors';
import { acceptUpload, MB, type UploadRule } from '../../storage/upload';
import { sendPrivateFile } from '../../web/download';
import { flash } from '../../web/flash';
import { formValues, orRenderInvalid, parseForm, renderInvalid, type FormValues } from '../../web/forms';
import { requireRole } from '../../web/guards';
import { countEmployerJobsByStatus, countNewApplicants, listEmployerJobs } from '../jobs/jobs.queries';
import { isProfileComplete } from '../jobs/jobs.service';
import { findEmployerProfile, findLicenseFile, type EmployerProfile } from './employers.queries';
import { saveEmployerProfile } from './employers.service';
import { profileSchema } from './employers.validation';

const messages = {
  dashboardTitle: '企业中心',
  profileTitle: '企业资料',
  saved: '企业资料已保存',
  created: '企业资料已保存,现在可以发布职位了',
  verificationReset: '企业名称或信用代码已修改,认证标识已取消,需管理员重新审核',
};

export const LICENSE_UPLOAD: UploadRule = {
  field: 'license',
  maxBytes: 5 * MB,
  accept: ['jpeg', 'png', 'pdf'],
  sizeMessage: '文件不能超过 5MB',
  typeMessage: '仅支持 JPG、PNG、PDF 文件',
};

/** A profile row as form values. */
function profileValues(p: EmployerProfile | undefined): FormValues {
  if (!p) return {};
  return {
    companyName: p.companyName,
    creditCode: p.creditCode,
    contactName: p.contactName,
    contactPhone: p.contactPhone,
    address: p.address,
    intro: p.intro,
    licenseNo: p.licenseNo ?? '',
  };
}

export function createEmployersRouter(ctx: AppContext): Router {
  const router = Router();
  const employer = requireRole('employer');

  router.get('/employer', employer, async (req, res) => {
    const id = req.user!.id;
    const [profile, counts, newApplicants, jobs] = await Promise.all([
      findEmployerProfile(ctx.db, id),
      countEmployerJobsByStatus(ctx.db, id),
      countNewApplicants(ctx.db, id),
      listEmployerJobs(ctx.db, id),
    ]);
    res.render('employer/dashboard', {
      title: messages.dashboardTitle,
      noindex: true,
      breadcrumbs: [{ label: messages.dashboardTitle }],
      profile,
      complete: isProfileComplete(profile),
      counts,
      statuses: Object.entries(JOB_STATUSES),
      newApplicants,
      recentJobs: jobs.slice(0, 5),
    });
  });

  async function profileView(userId: number) {
    const [profile, license] = await Promise.all([findEmployerProfile(ctx.db, userId), findLicenseFile(ctx.db, userId)]);
    return {
      title: messages.profileTitle,
      noindex: true,
      breadcrumbs: [{ label: messages.dashboardTitle, href: '/employer' }, { label: messages.profileTitle }],
      profile,
      license,
    };
  }

  router.get('/employer/profile', employer, async (req, res) => {
    const view = await profileView(req.user!.id);
    res.render('employer/profile', { ...view, values: profileValues(view.profile), errors: {} });
  });

  // A refused file (too big, wrong type) is shown beside the file field, with everything else kept.
  const refusedLicense: ErrorRequestHandler = async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof PayloadTooLargeError) && !(err instanceof UnsupportedFileError)) return next(err);
    const view = await profileView(req.user!.id);
    res.status(err.status).render('employer/profile', { ...view, values: formValues(req.body), errors: { license: err.message } });
  };

  router.post(
    '/employer/profile',
    employer,
    acceptUpload(ctx.storage, LICENSE_UPLOAD),
    async (req: Request, res: Response) => {
      const userId = req.user!.id;
      const form = parseForm(profileSchema, req.body);
      const view = await profileView(userId);
      if (!form.ok) return renderInvalid(res, 'employer/profile', view, form.errors, form.values);
      const lists = await ctx.settings.get();
      const saved = await orRenderInvalid(res, 'employer/profile', view, form.values, () =>
        saveEmployerProfile(ctx.db, ctx.storage, lists, userId, form.data, req.upload),
      );
      if (!saved.ok) return;
      flash(req, 'success', saved.value.created ? messages.created : messages.saved);
      if (saved.value.verificationReset) flash(req, 'info', messages.verificationReset);
      res.redirect(303, saved.value.created ? '/employer/jobs/new' : '/employer/profile');
    },
    refusedLicense,
  );

  router.get('/employer/profile/license', employer, async (req, res) => {
    const file = await findLicenseFile(ctx.db, req.user!.id);
    if (!file) throw new NotFoundError();
    await sendPrivateFile(res, ctx.storage, file);
  });

  return router;
}
