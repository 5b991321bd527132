// Small behaviours for the pages; everything still works without them (plain forms).
(function () {
  'use strict';
  // Upload progress for forms marked data-progress="<id of a <progress>>" (sent by htmx).
  document.addEventListener('htmx:xhr:progress', function (event) {
    var form = event.target.closest && event.target.closest('form[data-progress]');
    if (!form || !event.detail.lengthComputable) return;
    var bar = document.getElementById(form.getAttribute('data-progress'));
    if (!bar) return;
    bar.max = event.detail.total;
    bar.value = event.detail.loaded;
    bar.textContent = Math.round((100 * event.detail.loaded) / event.detail.total) + ' %';
  });
  // Forms marked data-confirm="<question>" ask before they are sent (a stop, a transfer).
  document.addEventListener('submit', function (event) {
    var form = event.target.closest && event.target.closest('form[data-confirm]');
    if (form && !window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
  }, true);
  // "Add a line" buttons clone the last line of a list (data-add-line="<id of the list>").
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-add-line]');
    if (!button) return;
    event.preventDefault();
    var list = document.getElementById(button.getAttribute('data-add-line'));
    if (!list || !list.lastElementChild) return;
    var copy = list.lastElementChild.cloneNode(true);
    var index = list.children.length;
    copy.querySelectorAll('input, select, label').forEach(function (el) {
      ['id', 'for', 'aria-describedby'].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.replace(/\d+$/, String(index)));
      });
      if (el.tagName === 'INPUT') { el.value = ''; el.removeAttribute('aria-invalid'); }
      if (el.tagName === 'LABEL') el.textContent = el.textContent.replace(/\d+$/, String(index + 1));
    });
    copy.querySelectorAll('.field-error').forEach(function (el) { el.remove(); });
    list.appendChild(copy);
    var input = copy.querySelector('input');
    if (input) input.focus();
    htmx.trigger(list.closest('form'), 'lines-changed');
  });
})();
