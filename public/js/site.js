// Small progressive enhancements; every journey works without this file.
(function () {
  'use strict';
  // Ask before destructive actions: <form data-confirm="确定删除?">
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var message = form && form.getAttribute && form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) e.preventDefault();
  });
  // Filters submit themselves when changed: <form data-autosubmit>
  document.addEventListener('change', function (e) {
    var el = e.target;
    var form = el && el.form;
    if (form && form.hasAttribute('data-autosubmit') && el.type !== 'text' && el.type !== 'search') form.submit();
  });
  // Show the chosen file's name beside a file input: <input type=file data-filename-target="id">
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (!el || el.type !== 'file') return;
    var target = document.getElementById(el.getAttribute('data-filename-target') || '');
    if (target) target.textContent = el.files && el.files[0] ? el.files[0].name + '(' + Math.ceil(el.files[0].size / 1024) + ' KB)' : '';
  });
})();
