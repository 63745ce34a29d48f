// Owns the resume pages: the seeker's list, upload, rename, default and delete, and the access-checked download.
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { NotFoundError, ValidationError, type FieldErrors } from '../../errors';
import { contentDisposition } from '../../storage/store';
import { acceptUpload, MB, renderUploadErrors, type UploadRule } from '../../storage/upload';
import { flash } from '../../web/flash';
import { formValues, parseForm, parseId, type FormValues } from '../../web/forms';
import { requireAuth, requireRole } from '../../web/guards';
import { listResumes } from './resumes.queries';
import {
  addResume,
  authorizeResumeDownload,
  deleteResume,
  MAX_RESUMES,
  recordResumeView,
  renameResume,
  RESUME_TITLE_MAX,
  applicantFileName,
  setDefaultResume,
} from './resumes.service';
import { renameSchema, uploadSchema } from './resumes.validation';

/** Resumes: PDF, Word (DOCX or legacy DOC), JPG or PNG by content, at most 5 MB. The apply form uses it too. */
export const RESUME_UPLOAD_RULE: UploadRule = {
  field: 'file',
  maxBytes: 5 * MB,
  accept: ['pdf', 'docx', 'doc', 'jpeg', 'png'],
  sizeMessage: '文件不能超过 5MB',
  typeMessage: '仅支持 PDF、Word、JPG、PNG 文件',
};

const messages = {
  title: '我的简历',
  description: '上传和管理你的简历',
  noFile: '请选择要上传的简历文件',
  uploaded: (title: string) => `简历「${title}」已上传`,
  renamed: '简历已重命名',
  defaultSet: (title: string) => `已将「${title}」设为默认简历`,
  deleted: '简历已删除',
  promoted: (title: string) => `简历已删除,「${title}」已成为默认简历`,
};

export function createResumesRouter(ctx: AppContext): Router {
  const router = Router();
  const seeker = requireRole('seeker');

  /** The list page, also re-rendered with a refused upload or rename (status kept). */
  async function renderIndex(req: Request, res: Response, status: number, errors: FieldErrors = {}, values: FormValues = {}, renameOf?: number) {
    const resumes = await listResumes(ctx.db, req.user!.id);
    res.status(status).render('resumes/index', {
      title: messages.title,
      description: messages.description,
      breadcrumbs: [{ label: '个人中心', href: '/me' }, { label: messages.title }],
      noindex: true,
      resumes,
      max: MAX_RESUMES,
      titleMax: RESUME_TITLE_MAX,
      renameOf: renameOf ?? null,
      errors,
      values,
    });
  }

  router.get('/me/resumes', seeker, (req, res) => renderIndex(req, res, 200));

  router.post(
    '/me/resumes',
    seeker,
    acceptUpload(ctx.storage, RESUME_UPLOAD_RULE),
    async (req: Request, res: Response) => {
      const form = parseForm(uploadSchema, req.body);
      if (!form.ok) return renderIndex(req, res, 422, form.errors, form.values);
      if (!req.upload) return renderIndex(req, res, 422, { file: messages.noFile }, form.values);
      try {
        const resume = await addResume(ctx, req.user!.id, req.upload, form.data.title || undefined);
        flash(req, 'success', messages.uploaded(resume.title));
        res.redirect(303, '/me/resumes');
      } catch (err) {
        if (err instanceof ValidationError) return renderIndex(req, res, 422, err.fieldErrors, form.values);
        throw err;
      }
    },
    renderUploadErrors((req, res, status, errors) => renderIndex(req, res, status, errors, formValues(req.body))),
  );

  router.post('/me/resumes/:id/rename', seeker, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const form = parseForm(renameSchema, req.body);
    if (!form.ok) return renderIndex(req, res, 422, form.errors, form.values, id);
    await renameResume(ctx.db, req.user!.id, id, form.data.title);
    flash(req, 'success', messages.renamed);
    res.redirect(303, '/me/resumes');
  });

  router.post('/me/resumes/:id/default', seeker, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    await setDefaultResume(ctx.db, req.user!.id, id);
    const resumes = await listResumes(ctx.db, req.user!.id);
    flash(req, 'success', messages.defaultSet(resumes.find((r) => r.id === id)?.title ?? ''));
    res.redirect(303, '/me/resumes');
  });

  router.post('/me/resumes/:id/delete', seeker, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const { promoted } = await deleteResume(ctx, req.user!.id, id);
    flash(req, 'success', promoted ? messages.promoted(promoted) : messages.deleted);
    res.redirect(303, '/me/resumes');
  });

  // The download. Anyone without the right gets the same 404 as for a resume that does not exist.
  router.get('/files/resumes/:id', requireAuth, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const user = req.user!;
    const grant = await authorizeResumeDownload(ctx.db, user, id);
    if (!grant) {
      // Who tried and which id; never the file's name or content.
      ctx.logger.warn({ userId: user.id, role: user.role, resumeId: id }, 'resume download refused');
      throw new NotFoundError();
    }
    const { resume, logAs } = grant;
    // Open before any header is set: a file removed a moment ago (the seeker deleted it) is a clean 404.
    const stream = ctx.storage.createReadStream(resume.storageKey);
    try {
      await once(stream, 'open');
    } catch (err) {
      ctx.logger.error({ err, resumeId: id, fileId: resume.fileId }, 'resume file missing from storage');
      throw new NotFoundError();
    }
    if (logAs && req.method === 'GET') {
      await recordResumeView(ctx.db, {
        seekerId: resume.seekerId,
        resumeId: resume.id,
        viewerId: user.id,
        viewerName: logAs.viewerName,
        action: 'download',
        applicationId: logAs.applicationId,
      });
    }
    res.setHeader('Content-Type', resume.mime);
    res.setHeader('Content-Length', String(resume.size));
    const name = logAs?.applicationId ? await applicantFileName(ctx.db, logAs.applicationId, resume.originalName) : resume.originalName;
    res.setHeader('Content-Disposition', contentDisposition(name));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    try {
      await pipeline(stream, res);
    } catch (err) {
      // A reader who goes away mid-download is not a server error.
      if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
    }
  });

  return router;
}
