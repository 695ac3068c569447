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

  // The session's idle timeout (WCAG 2.2.1, budget A7): a warning 2 minutes before it expires,
  // with a button that extends it without leaving the page, so nothing typed is lost.
  var WARNING_MS = 2 * 60 * 1000;
  var warningTimer = null;

  function scheduleSessionWarning(secondsLeft) {
    var warning = document.getElementById("session-warning");
    if (!warning) { return; }
    if (secondsLeft !== null) { warning.setAttribute("data-session-seconds-left", secondsLeft); }
    var left = parseInt(warning.getAttribute("data-session-seconds-left"), 10);
    if (isNaN(left)) { return; }
    window.clearTimeout(warningTimer);
    warningTimer = window.setTimeout(function () {
      warning.hidden = false;
      var button = warning.querySelector("button");
      if (button) { button.focus(); }
    }, Math.max(0, left * 1000 - WARNING_MS));
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.closest && form.closest("#session-warning") && event.detail.successful) {
      document.getElementById("session-warning").hidden = true;
      scheduleSessionWarning(event.detail.xhr.getResponseHeader("X-Session-Seconds-Left"));
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    enablePrintButtons(document);
    focusFirst(document);
    scheduleSessionWarning(null);
  });

  // The language switch comes back to the current page (A8): when htmx pushed a new address (the
  // Break@work estimate keeps its state in the URL), its links and the session form follow it.
  document.addEventListener("htmx:pushedIntoHistory", function () {
    var here = window.location.pathname + window.location.search;
    document.querySelectorAll(".language-switch a[hreflang]").forEach(function (link) {
      var target = new URL(link.href, window.location.href);
      target.searchParams.set("next", here);
      link.href = target.pathname + target.search;
    });
    document.querySelectorAll("#session-warning input[name=next]").forEach(function (input) {
      input.value = here;
    });
  });

  // A request htmx sent failed (an error page, or no answer at all): the live region says so, in the
  // page's language, and no earlier success message is left standing (a citizen must never believe
  // a certificate was sent when it was not).
  function announceFailure(title, text) {
    var region = document.getElementById("status-message");
    if (!region) { return; }
    var box = document.createElement("div");
    box.className = "notification notification--error";
    box.setAttribute("tabindex", "-1");
    var heading = document.createElement("p");
    heading.className = "notification__title";
    heading.textContent = title;
    var content = document.createElement("div");
    content.className = "notification__content";
    var paragraph = document.createElement("p");
    paragraph.textContent = text;
    content.appendChild(paragraph);
    box.appendChild(heading);
    box.appendChild(content);
    region.replaceChildren(box);
    box.focus();
  }

  document.addEventListener("htmx:responseError", function (event) {
    var region = document.getElementById("status-message");
    if (!region) { return; }
    // The server's error fragment (errors/error.html) names the error in the visitor's language.
    var answer = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
    var title = answer.querySelector(".error-page h1");
    var text = answer.querySelector(".error-page p");
    announceFailure(title ? title.textContent : region.getAttribute("data-failed-title"),
                    text ? text.textContent : region.getAttribute("data-failed-text"));
  });

  function announceOffline() {
    var region = document.getElementById("status-message");
    if (region) {
      announceFailure(region.getAttribute("data-offline-title"), region.getAttribute("data-offline-text"));
    }
  }
  document.addEventListener("htmx:sendError", announceOffline);
  document.addEventListener("htmx:timeout", announceOffline);

  document.addEventListener("htmx:afterSettle", function (event) {
    enablePrintButtons(event.detail.elt);
    focusFirst(event.detail.elt);
  });
})();
