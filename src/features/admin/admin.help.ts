// Owns 使用帮助 (/admin/help): the operator's guide docs/运维指南.md shown as a page of the back office, so the
// office staff read the same text the repository keeps (and tests run the commands of).
import fs from 'node:fs/promises';
import path from 'node:path';
import type MarkdownItModule from 'markdown-it';
import { Router } from 'express';
import { PROJECT_ROOT } from '../../paths';
import { requireRole } from '../../web/guards';
import { adminPage } from './admin.view';

export const GUIDE_FILE = path.join(PROJECT_ROOT, 'docs', '运维指南.md');

const messages = { title: '使用帮助' };

/** GitHub's heading anchors (letters, digits, spaces as hyphens), so the guide's table of contents works in both places. */
export function headingAnchor(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').trim().replace(/\s/g, '-');
}

/** The guide as HTML. Raw HTML in the Markdown is escaped (html: false): the page prints only what Markdown makes. */
export function renderGuide(markdown: string): string {
  // Required here: only this back-office page uses it, so a start does not load it (issue 21).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const MarkdownIt = require('markdown-it') as typeof MarkdownItModule;
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.core.ruler.push('heading_anchors', (state) => {
    state.tokens.forEach((token, i) => {
      if (token.type === 'heading_open') token.attrSet('id', headingAnchor(state.tokens[i + 1]?.content ?? ''));
    });
  });
  return md.render(markdown);
}

export function createHelpRouter(): Router {
  const router = Router();
  let html: Promise<string> | null = null;
  router.get('/admin/help', requireRole('admin'), async (_req, res) => {
    // Read once per process: the guide changes with an upgrade, which restarts the process.
    html ??= fs.readFile(GUIDE_FILE, 'utf8').then(renderGuide);
    res.render('admin/help', { ...adminPage('help', messages.title), guideHtml: await html });
  });
  return router;
}
