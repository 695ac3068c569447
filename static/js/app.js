// Guichet's only script of its own. Everything works without it: it only enhances.
(function () {
  "use strict";

  // The print button (guide 000: "cliquez sur 🖺") needs JavaScript, so it is shown only here.
  function enablePrintButtons(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // An error summary takes the focus, so that a screen reader announces it (WCAG 3.3.1).
  // After an htmx swap that changes context, the new heading or message takes it (A9).
  function focusFirst(root) {
    var target = root.querySelector("[data-error-summary], [data-focus-after-swap]");
    if (target) {
      if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    enablePrintButtons(document);
    focusFirst(document);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    enablePrintButtons(event.detail.elt);
    focusFirst(event.detail.elt);
  });
})();
