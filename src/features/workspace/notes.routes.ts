// Owns the routes of an employer's private notes on an application (POST /employer/applications/:id/notes).
import type { Request, Response, Router } from 'express';
import type { AppContext } from '../../context';
import { NotFoundError, type FieldErrors } from '../../errors';
import { flash } from '../../web/flash';
import { parseForm, parseId, type FormValues } from '../../web/forms';
import { requireRole } from '../../web/guards';
import { addNote, listNotes, NOTE_MAX, requireOwnApplication } from './notes.service';
import { noteSchema } from './workspace.validation';

const messages = {
  noteTitle: '添加备注',
  added: '备注已保存(仅你自己可见)',
};

export function addNoteRoutes(router: Router, ctx: AppContext): void {
  const employer = requireRole('employer');

  /** The note form on a page of its own: where a refused note comes back with its error and text. */
  async function renderNoteForm(req: Request, res: Response, status: number, errors: FieldErrors, values: FormValues) {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const app = await requireOwnApplication(ctx.db, req.user!.id, id);
    res.status(status).render('workspace/note', {
      title: messages.noteTitle,
      noindex: true,
      breadcrumbs: [
        { label: '企业中心', href: '/employer' },
        { label: app.jobTitle, href: `/employer/applications/${app.id}` },
        { label: messages.noteTitle },
      ],
      applicationId: app.id,
      notes: await listNotes(ctx.db, app.id),
      noteMax: NOTE_MAX,
      errors,
      values,
    });
  }

  router.post('/employer/applications/:id/notes', employer, async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) throw new NotFoundError();
    const form = parseForm(noteSchema, req.body);
    if (!form.ok) return renderNoteForm(req, res, 422, form.errors, form.values);
    await addNote(ctx.db, req.user!.id, id, form.data.body);
    flash(req, 'success', messages.added);
    res.redirect(303, `/employer/applications/${id}#notes`);
  });
}
