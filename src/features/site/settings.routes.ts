// Owns the admin's site settings pages: /admin/settings?section=… shows one section's form, and
// POST /admin/settings/:section saves it through the settings store (validated, audited, seen by every process).
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { CATEGORIES, DISTRICTS, JOB_TYPES, SETTLEMENTS } from '../../domain/vocabulary';
import { NotFoundError, ValidationError, type FieldErrors } from '../../errors';
import { flash } from '../../web/flash';
import { formValues, type FormValues } from '../../web/forms';
import { requireRole } from '../../web/guards';
import { actorOf, adminPage } from '../admin/admin.view';
import { FACT_PLACEHOLDERS } from './facts';
import { isSection, parseSection, rowCount, SECTIONS, sectionValues, SETTING_LABELS, type Section } from './settings.forms';

const messages = {
  title: '网站设置',
  saved: (labels: string[]) => `已保存:${labels.join('、')}。前台页面已更新。`,
  unchanged: '内容没有变化,无需保存',
};

export function createSettingsRouter(ctx: AppContext): Router {
  const router = Router();
  const admin = requireRole('admin');

  function render(res: Response, section: Section, values: FormValues, errors: FieldErrors, status = 200) {
    const label = SECTIONS[section];
    res.status(status).render('admin/settings/index', {
      ...adminPage('settings', `${messages.title} - ${label}`, [{ label: messages.title, href: '/admin/settings' }, { label }]),
      section,
      sections: Object.entries(SECTIONS),
      values,
      errors,
      rows: rowCount(values),
      placeholders: Object.keys(FACT_PLACEHOLDERS),
      options: {
        types: [['', '不限'], ...Object.entries(JOB_TYPES)],
        districts: [['', '不限'], ...DISTRICTS.map((d) => [d, d])],
        settlements: [['', '不限'], ...Object.entries(SETTLEMENTS)],
        categories: [['', '不限'], ...CATEGORIES.map((c) => [c, c])],
        sorts: [['', '最新发布'], ['pay', '薪资最高']],
      },
    });
  }

  router.get('/admin/settings', admin, async (req, res) => {
    // An unknown section is the first one: a query parameter of the wrong kind is ignored, never an error.
    const section = isSection(req.query.section) ? req.query.section : 'basic';
    render(res, section, sectionValues(section, await ctx.settings.get()), {});
  });

  router.post('/admin/settings/:section', admin, async (req: Request, res: Response) => {
    const section = req.params.section;
    if (!isSection(section)) throw new NotFoundError();
    const values = formValues(req.body);
    const parsed = parseSection(section, values);
    if (!parsed.ok) return render(res, section, values, parsed.errors, 422);
    let changed;
    try {
      ({ changed } = await ctx.settings.save(parsed.patch, actorOf(req)));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return render(res, section, values, parsed.fieldErrors(err.fieldErrors), 422);
    }
    if (changed.length) flash(req, 'success', messages.saved(changed.map((k) => SETTING_LABELS[k])));
    else flash(req, 'info', messages.unchanged);
    res.redirect(303, `/admin/settings?section=${section}`);
  });

  return router;
}
