/*
 * 信用新乡 — progressive enhancement only. Every page works without this file.
 *  - data-confirm="提示文字" on a button, link or form: asks before going ahead.
 *  - The error summary takes focus on load, and its links move focus to the field they name.
 *  - A .table-wrap that scrolls sideways becomes keyboard-focusable and named, so it can be scrolled without a mouse.
 *  - The main navigation collapses behind its menu button on narrow screens (CSS decides where); without this
 *    file the button stays hidden and the links show.
 */
(function () {
  'use strict';

  function confirmed(el) {
    var message = el.getAttribute('data-confirm');
    return !message || window.confirm(message);
  }

  // Buttons and links carrying data-confirm.
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var el = target.closest('button[data-confirm], input[type="submit"][data-confirm], a[data-confirm]');
    if (!el || el.disabled) return;
    if (!confirmed(el)) {
      event.preventDefault();
      event.stopPropagation();
    }
  });

  // Forms carrying data-confirm (also covers submission by pressing Enter in a field).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) return;
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute('data-confirm')) return; // already asked on click
    if (!confirmed(form)) event.preventDefault();
  });

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) return false;
    var label = document.querySelector('label[for="' + (window.CSS && CSS.escape ? CSS.escape(id) : id) + '"]');
    var legend = field.closest('fieldset') && field.closest('fieldset').querySelector('legend');
    var anchor = legend || label || field;
    if (anchor.scrollIntoView) anchor.scrollIntoView();
    field.focus({ preventScroll: true });
    return true;
  }

  function initNav() {
    var nav = document.querySelector('[data-main-nav]');
    var toggle = nav && nav.querySelector('.main-nav__toggle');
    if (!toggle) return;
    function set(open) {
      nav.classList.toggle('is-open', open);
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    }
    nav.classList.add('main-nav--js');
    toggle.hidden = false;
    toggle.addEventListener('click', function () {
      set(toggle.getAttribute('aria-expanded') !== 'true');
    });
    // Escape closes an open menu and gives focus back to its button.
    nav.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && nav.classList.contains('is-open')) {
        set(false);
        toggle.focus();
      }
    });
  }

  function init() {
    initNav();
    var summary = document.querySelector('[data-error-summary]');
    if (summary) {
      if (!summary.hasAttribute('tabindex')) summary.setAttribute('tabindex', '-1');
      summary.focus();
      summary.addEventListener('click', function (event) {
        var link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
        if (!link) return;
        var id = decodeURIComponent(link.getAttribute('href').slice(1));
        if (id && focusField(id)) event.preventDefault();
      });
    }

    var wraps = document.querySelectorAll('.table-wrap');
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (!wrap.hasAttribute('tabindex')) wrap.setAttribute('tabindex', '0');
      if (!wrap.hasAttribute('role')) wrap.setAttribute('role', 'region');
      if (!wrap.hasAttribute('aria-label') && !wrap.hasAttribute('aria-labelledby')) {
        var caption = wrap.querySelector('caption');
        wrap.setAttribute('aria-label', caption && caption.textContent.trim() ? caption.textContent.trim() : '数据表格');
      }
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
