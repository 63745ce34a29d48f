// Small progressive enhancements; every journey works without this file.
(function () {
  'use strict';
  // An upload form carries its CSRF token in its action URL (checked before a byte is written, see
  // docs/conventions.md); a refused upload answers at that URL. Keep the token out of the address bar and history.
  if (/[?&]_csrf=/.test(window.location.search) && window.history.replaceState) {
    var clean = new URL(window.location.href);
    clean.searchParams.delete('_csrf');
    window.history.replaceState(window.history.state, '', clean.pathname + clean.search + clean.hash);
  }
  // The header menu and the job filters are folded on phones and always shown on wide screens: CSS shows them where
  // the browser knows ::details-content; opening them here covers the others.
  if (window.matchMedia && window.matchMedia('(min-width: 768px)').matches) {
    var wide = document.querySelectorAll('details[data-open-wide]');
    for (var i = 0; i < wide.length; i++) wide[i].open = true;
  }
  // Ask before destructive actions: <form data-confirm="确定删除?">
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var message = form && form.getAttribute && form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) e.preventDefault();
  });
  // A print button: <button data-print> (the page has a print stylesheet).
  document.addEventListener('click', function (e) {
    var el = e.target && e.target.closest ? e.target.closest('[data-print]') : null;
    if (el) window.print();
  });
  // Filters submit themselves when changed: <form data-autosubmit>
  document.addEventListener('change', function (e) {
    var el = e.target;
    var form = el && el.form;
    if (form && form.hasAttribute('data-autosubmit') && el.type !== 'text' && el.type !== 'search') form.submit();
  });
  // Show the chosen file's name and size beside every file input: in the element named by data-filename-target,
  // else in a line added after the input (so forms need no extra markup).
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (!el || el.type !== 'file') return;
    var target = document.getElementById(el.getAttribute('data-filename-target') || '');
    if (!target) {
      target = el.nextElementSibling && el.nextElementSibling.classList.contains('file-name') ? el.nextElementSibling : null;
      if (!target) {
        target = document.createElement('p');
        target.className = 'file-name hint';
        target.setAttribute('aria-live', 'polite');
        el.insertAdjacentElement('afterend', target);
      }
    }
    var file = el.files && el.files[0];
    target.textContent = file ? '已选择:' + file.name + '(' + Math.ceil(file.size / 1024) + ' KB)' : '';
  });
})();
