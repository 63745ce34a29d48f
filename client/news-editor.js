// The news editor (admin article form): TipTap over the form's HTML textarea. Bundled by `npm run build:editor` into
// public/js/vendor/news-editor.js. Without JavaScript the textarea stays as it is; with it, the textarea is hidden and
// kept in step with the editor, so the form posts the same field either way. It makes only the tags the server's
// sanitizer keeps (p, h2-h4, lists, blockquote, strong/em, links, images, br), and no inline styles (the CSP drops them).
import { Editor } from '@tiptap/core';
import Image from '@tiptap/extension-image';
import StarterKit from '@tiptap/starter-kit';

const messages = {
  toolbar: '正文格式',
  paragraph: '正文',
  h2: '小标题',
  h3: '二级小标题',
  bold: '加粗',
  italic: '倾斜',
  bulletList: '项目列表',
  orderedList: '编号列表',
  blockquote: '引用',
  link: '链接',
  image: '插入图片',
  undo: '撤销',
  redo: '重做',
  source: 'HTML',
  sourceHint: '直接编辑 HTML(保存时同样会清理不允许的标签)',
  linkPrompt: '链接地址(以 http:// 或 https:// 开头;留空则去掉链接)',
  badLink: '链接必须以 http:// 或 https:// 开头',
  altPrompt: '图片说明(给看不到图片的读者,例如:招聘会现场)',
  uploading: (name) => `正在上传 ${name}…`,
  uploaded: '图片已插入',
  uploadFailed: '图片上传失败,请重试',
};

const BUTTONS = [
  { key: 'paragraph', run: (c) => c.setParagraph(), active: (e) => e.isActive('paragraph') },
  { key: 'h2', run: (c) => c.toggleHeading({ level: 2 }), active: (e) => e.isActive('heading', { level: 2 }) },
  { key: 'h3', run: (c) => c.toggleHeading({ level: 3 }), active: (e) => e.isActive('heading', { level: 3 }) },
  { key: 'bold', run: (c) => c.toggleBold(), active: (e) => e.isActive('bold') },
  { key: 'italic', run: (c) => c.toggleItalic(), active: (e) => e.isActive('italic') },
  { key: 'bulletList', run: (c) => c.toggleBulletList(), active: (e) => e.isActive('bulletList') },
  { key: 'orderedList', run: (c) => c.toggleOrderedList(), active: (e) => e.isActive('orderedList') },
  { key: 'blockquote', run: (c) => c.toggleBlockquote(), active: (e) => e.isActive('blockquote') },
  { key: 'link', active: (e) => e.isActive('link') },
  { key: 'image' },
  { key: 'undo', run: (c) => c.undo() },
  { key: 'redo', run: (c) => c.redo() },
  { key: 'source' },
];

function button(key, label) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `editor-button editor-${key}`;
  b.dataset.command = key;
  b.textContent = label;
  return b;
}

/** The id of the field's label (given one if it has none), which names the editor for screen readers. */
function labelId(textarea) {
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (!label) return '';
  label.id ||= `${textarea.id}-label`;
  return label.id;
}

function enhance(textarea) {
  const form = textarea.form;
  const field = textarea.closest('.field') || textarea.parentElement;
  // The image upload goes where the form's own upload goes, with the same CSRF token (in the URL, as every multipart
  // form of the site carries it, so the server checks it before a byte is written).
  const token = new URL(form.action, window.location.href).searchParams.get('_csrf') || '';
  const uploadUrl = `${textarea.dataset.imageUpload}?_csrf=${encodeURIComponent(token)}`;

  const toolbar = document.createElement('div');
  toolbar.className = 'editor-toolbar';
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', messages.toolbar);
  toolbar.setAttribute('aria-controls', `${textarea.id}-editor`);
  for (const b of BUTTONS) toolbar.append(button(b.key, messages[b.key]));

  const surface = document.createElement('div');
  surface.className = 'editor-surface';
  const status = document.createElement('p');
  status.className = 'editor-status hint';
  status.setAttribute('aria-live', 'polite');
  const picker = document.createElement('input');
  picker.type = 'file';
  picker.accept = 'image/jpeg,image/png,image/webp';
  picker.hidden = true;
  picker.tabIndex = -1;
  picker.setAttribute('aria-hidden', 'true');

  textarea.before(toolbar, surface);
  textarea.after(status, picker);
  field.classList.add('has-rich-editor');

  const editor = new Editor({
    element: surface,
    // The CSP allows no <style> element: the editor's few rules are in site.css instead.
    injectCSS: false,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        code: false,
        codeBlock: false,
        horizontalRule: false,
        strike: false,
        underline: false,
        link: { openOnClick: false, autolink: true, protocols: ['http', 'https'], HTMLAttributes: { rel: 'nofollow noopener', target: null } },
      }),
      Image.configure({ inline: false, allowBase64: false }),
    ],
    content: textarea.value,
    editorProps: {
      attributes: {
        id: `${textarea.id}-editor`,
        class: 'editor-content article-body',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': labelId(textarea),
        ...(textarea.getAttribute('aria-describedby') ? { 'aria-describedby': textarea.getAttribute('aria-describedby') } : {}),
      },
    },
    onUpdate: ({ editor: e }) => {
      textarea.value = e.isEmpty ? '' : e.getHTML();
    },
  });

  let source = false;
  const refresh = () => {
    for (const b of BUTTONS) {
      const el = toolbar.querySelector(`[data-command="${b.key}"]`);
      if (b.active) el.setAttribute('aria-pressed', String(!source && b.active(editor)));
      if (b.key !== 'source') el.disabled = source;
    }
    toolbar.querySelector('[data-command="source"]').setAttribute('aria-pressed', String(source));
  };
  editor.on('selectionUpdate', refresh);
  editor.on('transaction', refresh);
  refresh();

  function setLink() {
    const current = editor.getAttributes('link').href || '';
    const href = window.prompt(messages.linkPrompt, current);
    if (href === null) return;
    if (href.trim() === '') return editor.chain().focus().extendMarkRange('link').unsetLink().run();
    if (!/^https?:\/\/[^\s]+$/i.test(href.trim())) return (status.textContent = messages.badLink);
    editor.chain().focus().extendMarkRange('link').setLink({ href: href.trim() }).run();
  }

  async function upload(file) {
    status.textContent = messages.uploading(file.name);
    const body = new FormData();
    body.append('image', file);
    try {
      const res = await fetch(uploadUrl, { method: 'POST', body, headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      const answer = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(answer.error || messages.uploadFailed);
      const alt = window.prompt(messages.altPrompt, '') || '';
      editor.chain().focus().setImage({ src: answer.url, alt }).run();
      status.textContent = messages.uploaded;
    } catch (err) {
      status.textContent = err instanceof Error && err.message ? err.message : messages.uploadFailed;
    }
  }

  // A button must not take the focus from the text: the selection (and the bold that was just switched on) stays put.
  toolbar.addEventListener('mousedown', (event) => {
    if (event.target.closest('[data-command]')) event.preventDefault();
  });
  toolbar.addEventListener('click', (event) => {
    const target = event.target.closest('[data-command]');
    if (!target) return;
    const key = target.dataset.command;
    if (key === 'source') {
      source = !source;
      // The HTML box is the same textarea the form posts: edit it, then come back to the editor with its content.
      if (!source) editor.commands.setContent(textarea.value, { emitUpdate: false });
      field.classList.toggle('editor-source', source);
      status.textContent = source ? messages.sourceHint : '';
      if (source) textarea.focus();
      else editor.commands.focus();
      refresh();
      return;
    }
    if (key === 'link') return setLink();
    if (key === 'image') return picker.click();
    const spec = BUTTONS.find((b) => b.key === key);
    spec.run(editor.chain().focus()).run();
  });
  picker.addEventListener('change', () => {
    const file = picker.files && picker.files[0];
    picker.value = '';
    if (file) void upload(file);
  });
  form.addEventListener('submit', () => {
    if (!source) textarea.value = editor.isEmpty ? '' : editor.getHTML();
  });
}

for (const textarea of document.querySelectorAll('textarea[data-rich-editor]')) enhance(textarea);
