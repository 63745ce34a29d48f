// Owns the admin's news pages under /admin/news: list, write and edit (with a cover image), publish,
// unpublish, delete, and the bulk import from an RSS/Atom/JSON file.
import fs from 'node:fs/promises';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AppContext } from '../../context';
import type { Db } from '../../db/client';
import { ARTICLE_CATEGORIES } from '../../domain/vocabulary';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import { storeUpload } from '../../storage/store';
import { acceptUpload, MB, type UploadedFile } from '../../storage/upload';
import { asset } from '../../web/assets';
import { flash } from '../../web/flash';
import { dateTime } from '../../web/format';
import { formValues, orRenderInvalid, parseForm, parseId, renderInvalid, type FormValues } from '../../web/forms';
import { requireRole } from '../../web/guards';
import type { Actor } from '../audit/audit.service';
import { ImportFileError, parseImportFile } from './news.importFormats';
import { importArticles } from './news.import';
import { newsImageSrc } from './news.queries';
import { ALLOWED_TAGS } from './news.sanitize';
import { createArticle, deleteArticle, findArticleForAdmin, listArticlesPageForAdmin, setArticleStatus, updateArticle, type ArticleInput } from './news.service';
import { articleFormSchema, importFormSchema, parsePage, type ArticleForm } from './news.validation';

const messages = {
  listTitle: '资讯管理',
  newTitle: '写文章',
  editTitle: (title: string) => `编辑:${title}`,
  deleteTitle: '删除文章',
  importTitle: '导入资讯',
  importResultTitle: '导入结果',
  created: '文章已保存',
  updated: '修改已保存',
  published: '文章已发布',
  unpublished: '文章已撤回为草稿',
  alreadyPublished: '文章已经是发布状态',
  alreadyDraft: '文章已经是草稿',
  deleted: (title: string) => `已删除《${title}》`,
  coverSize: '封面图片不能超过 5MB',
  coverType: '封面图片仅支持 JPG、PNG、WebP 格式',
  imageSize: '图片不能超过 5MB',
  imageType: '图片仅支持 JPG、PNG、WebP 格式',
  imageMissing: '请选择一张图片',
  importSize: '导入文件不能超过 20MB',
  importType: '导入文件仅支持 RSS/Atom (XML) 或 JSON 文本文件',
  importFileMissing: '请选择要导入的文件',
  importNothing: '文件格式有误,没有导入任何文章',
};

const ADMIN_PAGE_SIZE = 50;
const EDITOR_SCRIPT = '/js/vendor/news-editor.js';
const STATUS_LABELS = { draft: '草稿', published: '已发布' } as const;

/** The editor's help text: the toolbar, and (for the HTML box) what the sanitiser keeps. */
const ALLOWED_TAGS_HELP = `用上面的按钮排版、插入链接和图片(图片 JPG、PNG、WebP,不超过 5MB)。点“HTML”或在不支持脚本的浏览器里,直接编辑 HTML:可用标签:${ALLOWED_TAGS.map((t) => `<${t}>`).join(' ')}。链接只允许 http(s) 网址,图片只允许 http(s) 网址或本站 /files/news/ 下的图片;其他标签、样式和脚本保存时会被删除。`;

/** A refused upload re-renders the form with the error beside the file field, instead of an error page. */
function uploadOnForm(upload: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) =>
    upload(req, res, (err?: unknown) => {
      if (err instanceof AppError && (err.status === 413 || err.status === 415)) {
        res.locals.uploadError = { status: err.status, message: err.message };
        return next();
      }
      next(err);
    });
}

function uploadError(res: Response): { status: number; message: string } | undefined {
  return res.locals.uploadError as { status: number; message: string } | undefined;
}

function actorOf(req: Request): Actor {
  return { id: req.user!.id, login: req.user!.login };
}

function toInput(data: ArticleForm): ArticleInput {
  return {
    title: data.title,
    summary: data.summary,
    body: data.body,
    coverCaption: data.coverCaption,
    category: data.category,
    author: data.author,
    publishedAt: data.publishedAt,
    status: data.status,
    sourceName: data.sourceName,
    sourceUrl: data.sourceUrl,
    originalAuthor: data.originalAuthor,
    originalDate: data.originalDate,
  };
}

/** Runs `use` in a transaction, with the new cover's file row when one was uploaded (file and rows commit together). */
function withCover<T>(ctx: AppContext, upload: UploadedFile | undefined, use: (tx: Db, coverFileId: number | null) => Promise<T>): Promise<T> {
  if (!upload) return ctx.db.transaction((tx) => use(tx, null));
  return storeUpload(ctx.db, ctx.storage, upload, { kind: 'news_cover', ownerId: null }, (tx, file) => use(tx, file.id));
}

export function createNewsAdminRouter(ctx: AppContext): Router {
  const router = Router();
  // The role check runs before any upload is parsed: nobody else gets a byte onto the disk.
  router.use('/admin/news', requireRole('admin'));

  const coverUpload = uploadOnForm(
    acceptUpload(ctx.storage, {
      field: 'cover',
      maxBytes: 5 * MB,
      accept: ['jpeg', 'png', 'webp'],
      sizeMessage: messages.coverSize,
      typeMessage: messages.coverType,
      maxFieldBytes: MB,
    }),
  );
  // Images put into an article body by the editor: the same checks as covers (type by content, 5 MB).
  const imageUpload = acceptUpload(ctx.storage, { field: 'image', maxBytes: 5 * MB, accept: ['jpeg', 'png', 'webp'], sizeMessage: messages.imageSize, typeMessage: messages.imageType });
  const importUpload = uploadOnForm(
    acceptUpload(ctx.storage, { field: 'file', maxBytes: 20 * MB, accept: ['xml', 'json'], sizeMessage: messages.importSize, typeMessage: messages.importType }),
  );

  const formView = (title: string, extra: { action: string; article?: { id: number; coverFileId: number | null; status: string } }) => ({
    title,
    noindex: true,
    breadcrumbs: [{ label: '后台', href: '/admin' }, { label: messages.listTitle, href: '/admin/news' }, { label: title }],
    categories: Object.entries(ARTICLE_CATEGORIES),
    statuses: Object.entries(STATUS_LABELS),
    tagsHelp: ALLOWED_TAGS_HELP,
    // The rich-text editor, self-hosted (public/js/vendor, built by scripts/build-editor.mjs): only on this page.
    headExtra: `<script src="${asset(EDITOR_SCRIPT)}" defer></script>`,
    article: null,
    ...extra,
  });

  router.get('/admin/news', async (req, res) => {
    const status = req.query.status === 'draft' || req.query.status === 'published' ? req.query.status : undefined;
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 50) : '';
    const page = parsePage(req.query.page);
    const { rows, total, totalPages } = await listArticlesPageForAdmin(ctx.db, { status, q: q || undefined, page, pageSize: ADMIN_PAGE_SIZE });
    res.render('admin/news/index', {
      title: messages.listTitle,
      noindex: true,
      breadcrumbs: [{ label: '后台', href: '/admin' }, { label: messages.listTitle }],
      articles: rows,
      total,
      page,
      totalPages,
      status: status ?? '',
      q,
      baseQuery: { status, q: q || undefined },
      statusLabels: STATUS_LABELS,
      categories: ARTICLE_CATEGORIES,
    });
  });

  router.get('/admin/news/new', (req, res) => {
    res.render('admin/news/form', {
      ...formView(messages.newTitle, { action: '/admin/news' }),
      values: { category: 'hr', status: 'draft', author: req.user!.displayName },
      errors: {},
    });
  });

  const renderUploadRefused = (res: Response, view: Record<string, unknown>, body: unknown) => {
    const refused = uploadError(res)!;
    res.status(refused.status).render('admin/news/form', { ...view, errors: { cover: refused.message }, values: formValues(body) });
  };

  router.post('/admin/news', coverUpload, async (req, res) => {
    const view = formView(messages.newTitle, { action: '/admin/news' });
    if (uploadError(res)) return renderUploadRefused(res, view, req.body);
    const form = parseForm(articleFormSchema, req.body);
    if (!form.ok) return renderInvalid(res, 'admin/news/form', view, form.errors, form.values);
    const result = await orRenderInvalid(res, 'admin/news/form', view, form.values, () =>
      withCover(ctx, req.upload, (tx, coverFileId) => createArticle(tx, actorOf(req), toInput(form.data), { coverFileId, now: ctx.now() })),
    );
    if (!result.ok) return;
    flash(req, 'success', result.value.status === 'published' ? messages.published : messages.created);
    res.redirect(303, `/admin/news/${result.value.id}/edit`);
  });

  // The editor's image upload (fetch, Accept: application/json): answers where the image is, or the refusal as JSON.
  router.post('/admin/news/images', imageUpload, async (req, res) => {
    if (!req.upload) throw new ValidationError({ image: messages.imageMissing }, messages.imageMissing);
    const file = await storeUpload(ctx.db, ctx.storage, req.upload, { kind: 'news_image', ownerId: null }, async (_tx, f) => f);
    res.status(201).json({ id: file.id, url: newsImageSrc(file.id) });
  });

  router.get('/admin/news/import', (req, res) => {
    res.render('admin/news/import', importView(req.user!.displayName));
  });

  router.post('/admin/news/import', importUpload, async (req, res) => {
    const refused = uploadError(res);
    const form = parseForm(importFormSchema, req.body ?? {});
    const errors: Record<string, string> = form.ok ? {} : { ...form.errors };
    if (refused) errors.file = refused.message;
    else if (!req.upload) errors.file = messages.importFileMissing;
    const status = refused?.status ?? 422;
    if (!form.ok || Object.keys(errors).length) {
      return res.status(status).render('admin/news/import', { ...importView(req.user!.displayName), errors, values: form.values });
    }
    const upload = req.upload!;
    let parsed;
    try {
      parsed = parseImportFile(await fs.readFile(upload.tempPath));
    } catch (err) {
      if (!(err instanceof ImportFileError)) throw err;
      return res.status(422).render('admin/news/import', {
        ...importView(req.user!.displayName),
        errors: { _form: messages.importNothing, file: err.message },
        values: form.values,
      });
    }
    const report = await importArticles(ctx.db, parsed.items, {
      format: parsed.format,
      actor: actorOf(req),
      author: form.data.author,
      now: ctx.now(),
      dryRun: form.data.dryRun,
      fileName: upload.originalName,
    });
    res.render('admin/news/import-result', {
      title: messages.importResultTitle,
      noindex: true,
      breadcrumbs: [{ label: '后台', href: '/admin' }, { label: messages.listTitle, href: '/admin/news' }, { label: messages.importResultTitle }],
      report,
      fileName: upload.originalName,
      addedShown: report.added.slice(0, 200),
    });
  });

  const loadArticle = async (req: Request) => {
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError();
    return findArticleForAdmin(ctx.db, id);
  };

  const editValues = (a: Awaited<ReturnType<typeof findArticleForAdmin>>): FormValues => ({
    title: a.title,
    summary: a.summary,
    body: a.bodyHtml,
    coverCaption: a.coverCaption,
    category: a.category,
    author: a.author,
    publishedAt: a.publishedAt ? dateTime(a.publishedAt).replace(' ', 'T') : '',
    status: a.status,
    sourceName: a.sourceName ?? '',
    sourceUrl: a.sourceUrl ?? '',
    originalAuthor: a.originalAuthor ?? '',
    originalDate: a.originalDate ?? '',
  });

  const editView = (a: { id: number; title: string; coverFileId: number | null; status: string }) =>
    formView(messages.editTitle(a.title), { action: `/admin/news/${a.id}/edit`, article: { id: a.id, coverFileId: a.coverFileId, status: a.status } });

  router.get('/admin/news/:id/edit', async (req, res) => {
    const article = await loadArticle(req);
    res.render('admin/news/form', { ...editView(article), values: editValues(article), errors: {} });
  });

  router.post('/admin/news/:id/edit', coverUpload, async (req, res) => {
    const article = await loadArticle(req);
    const view = editView(article);
    if (uploadError(res)) return renderUploadRefused(res, view, req.body);
    const form = parseForm(articleFormSchema, req.body);
    if (!form.ok) return renderInvalid(res, 'admin/news/form', view, form.errors, form.values);
    const result = await orRenderInvalid(res, 'admin/news/form', view, form.values, () =>
      withCover(ctx, req.upload, (tx, newCoverFileId) =>
        updateArticle(tx, actorOf(req), article.id, toInput(form.data), { newCoverFileId, removeCover: form.data.removeCover, now: ctx.now() }),
      ),
    );
    if (!result.ok) return;
    // The replaced cover's row went with the commit; now its bytes (a failure here is swept up later).
    await ctx.storage.removeAll(result.value.removedKeys);
    flash(req, 'success', messages.updated);
    res.redirect(303, `/admin/news/${article.id}/edit`);
  });

  for (const [path, status] of [
    ['publish', 'published'],
    ['unpublish', 'draft'],
  ] as const) {
    router.post(`/admin/news/:id/${path}`, async (req, res) => {
      const id = parseId(req.params.id);
      if (!id) throw new NotFoundError();
      let changed: boolean;
      try {
        changed = await setArticleStatus(ctx.db, actorOf(req), id, status, ctx.now());
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        // Not publishable as it stands (no body, a future date): say why, on the page where it can be fixed.
        flash(req, 'error', Object.values(err.fieldErrors).join(';'));
        return res.redirect(303, `/admin/news/${id}/edit`);
      }
      if (status === 'published') flash(req, changed ? 'success' : 'info', changed ? messages.published : messages.alreadyPublished);
      else flash(req, changed ? 'success' : 'info', changed ? messages.unpublished : messages.alreadyDraft);
      res.redirect(303, '/admin/news');
    });
  }

  router.get('/admin/news/:id/delete', async (req, res) => {
    const article = await loadArticle(req);
    res.render('admin/news/delete', {
      title: messages.deleteTitle,
      noindex: true,
      breadcrumbs: [{ label: '后台', href: '/admin' }, { label: messages.listTitle, href: '/admin/news' }, { label: messages.deleteTitle }],
      article,
      statusLabel: STATUS_LABELS[article.status],
    });
  });

  router.post('/admin/news/:id/delete', async (req, res) => {
    const id = parseId(req.params.id);
    if (!id) throw new NotFoundError();
    const deleted = await deleteArticle(ctx, actorOf(req), id);
    flash(req, 'success', messages.deleted(deleted.title));
    res.redirect(303, '/admin/news');
  });

  return router;
}

function importView(displayName: string) {
  return {
    title: messages.importTitle,
    noindex: true,
    breadcrumbs: [{ label: '后台', href: '/admin' }, { label: messages.listTitle, href: '/admin/news' }, { label: messages.importTitle }],
    values: { author: displayName },
    errors: {},
    categories: Object.entries(ARTICLE_CATEGORIES),
  };
}
