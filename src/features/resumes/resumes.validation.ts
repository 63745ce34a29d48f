// Owns the rules of the resume forms (upload title, rename), with their Chinese messages.
import { z } from 'zod';
import { RESUME_TITLE_MAX } from './resumes.service';

const messages = {
  titleRequired: '请输入简历名称',
  titleLength: `简历名称不能超过 ${RESUME_TITLE_MAX} 个字`,
};

const title = z.string({ error: messages.titleRequired }).max(RESUME_TITLE_MAX, messages.titleLength);

/** The upload form: the title is optional (the file name is used without one). */
export const uploadSchema = z.object({ title: title.optional().default('') });

export const renameSchema = z.object({ title: title.min(1, messages.titleRequired) });
