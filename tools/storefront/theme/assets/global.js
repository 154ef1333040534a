// The test theme's script, loaded with `defer` as Dawn loads its global.js:
// the menu drawer, the cart's count bubble and quick add, the newsletter
// field. Written for this test page (tools/storefront); it answers no real
// cart, so quick add only counts locally.
(function () {
  'use strict';
  function trapFocus(container, elementToFocus) {
    var focusable = Array.from(container.querySelectorAll('summary, a[href], button:enabled, [tabindex]:not([tabindex^="-"]), input:not([type=hidden]):enabled'));
    if (!focusable.length) return function () {};
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    function onKeydown(event) {
      if (event.key !== 'Tab') return;
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    }
    document.addEventListener('keydown', onKeydown);
    (elementToFocus || first).focus();
    return function release() { document.removeEventListener('keydown', onKeydown); };
  }

  function MenuDrawer(details) {
    this.details = details;
    this.summary = details.querySelector('summary');
    this.release = null;
    details.addEventListener('keyup', (event) => { if (event.code && event.code.toUpperCase() === 'ESCAPE') this.close(); });
    this.summary.addEventListener('click', (event) => {
      event.preventDefault();
      if (this.details.hasAttribute('open')) this.close();
      else this.open();
    });
  }
  MenuDrawer.prototype.open = function () {
    this.details.setAttribute('open', '');
    this.summary.setAttribute('aria-expanded', 'true');
    document.body.classList.add('overflow-hidden');
    this.release = trapFocus(this.details.querySelector('.menu-drawer'), this.details.querySelector('.menu-drawer a'));
  };
  MenuDrawer.prototype.close = function () {
    this.details.removeAttribute('open');
    this.summary.setAttribute('aria-expanded', 'false');
    document.body.classList.remove('overflow-hidden');
    if (this.release) this.release();
    this.summary.focus();
  };

  function CartBubble(element) {
    this.element = element;
    this.count = Number((element.querySelector('[aria-hidden="true"]') || {}).textContent || 0);
  }
  CartBubble.prototype.add = function (quantity) {
    this.count += quantity;
    var visible = this.element.querySelector('[aria-hidden="true"]');
    if (visible) visible.textContent = String(this.count);
    var announced = this.element.querySelector('.visually-hidden');
    if (announced) announced.textContent = announced.textContent.replace(/\d+/, String(this.count));
  };

  function debounce(fn, wait) {
    var timer;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), wait);
    };
  }

  function onReady() {
    document.querySelectorAll('.menu-drawer-container').forEach(function (details) { new MenuDrawer(details); });
    var bubbleElement = document.querySelector('.cart-count-bubble');
    var bubble = bubbleElement ? new CartBubble(bubbleElement) : null;
    document.querySelectorAll('.quick-add__submit').forEach(function (button) {
      button.addEventListener('click', function () {
        button.setAttribute('aria-disabled', 'true');
        button.classList.add('loading');
        if (bubble) bubble.add(1);
        setTimeout(function () { button.removeAttribute('aria-disabled'); button.classList.remove('loading'); }, 300);
      });
    });
    document.querySelectorAll('.newsletter-form .field__input').forEach(function (input) {
      input.addEventListener('input', debounce(function () {
        input.setCustomValidity('');
        if (input.value && !input.checkValidity()) input.reportValidity();
      }, 300));
    });
    // Sticky header: hides on scroll down, shows on scroll up (as Dawn's does).
    var header = document.querySelector('.header-wrapper');
    if (header) {
      var lastY = 0;
      window.addEventListener('scroll', function () {
        var y = window.pageYOffset || document.documentElement.scrollTop;
        header.classList.toggle('header-wrapper--hidden', y > lastY && y > header.offsetHeight);
        lastY = y;
      }, { passive: true });
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', onReady);
  else onReady();
})();
