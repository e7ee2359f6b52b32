// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen-reader and keyboard users hear it first.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // Ask before actions marked as needing confirmation (e.g. ending a care-team membership).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  // A table wider than the screen scrolls inside itself: let a keyboard reach it.
  function focusableScrollers() {
    var regions = document.querySelectorAll("main table, main .table-wrap, main figure.chart, main figure.map");
    for (var i = 0; i < regions.length; i++) {
      var r = regions[i];
      if (r.scrollWidth > r.clientWidth + 1 && !r.hasAttribute("tabindex")) {
        r.setAttribute("tabindex", "0");
        if (!r.getAttribute("aria-label")) {
          var caption = r.querySelector("caption");
          var heading = caption || r.previousElementSibling;
          r.setAttribute("role", "region");
          r.setAttribute("aria-label", heading ? heading.textContent.trim().slice(0, 80) : document.title);
        }
      }
    }
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);
  // A select that changes the form's template (the journal's visit type) reloads the
  // form through its own "Byt mall" button, which keeps everything typed.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.form || !select.hasAttribute("data-switch")) { return; }
    var button = select.form.querySelector("button[name='action'][value='switch']");
    if (button) { button.click(); }
  });
  // A select marked data-fits="other" offers only the options whose data-functions
  // name the other select's value (the care-team picker: a coordinator is never offered
  // as prescriber). The server refuses a misfit either way.
  function fitOptions(select) {
    var other = select.form && select.form.elements[select.getAttribute("data-fits")];
    if (!other) { return; }
    var firstFit = null;
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      var fits = (" " + (option.getAttribute("data-functions") || "") + " ").indexOf(" " + other.value + " ") >= 0;
      option.hidden = !fits;
      option.disabled = !fits;
      if (fits && firstFit === null) { firstFit = option; }
    }
    var chosen = select.options[select.selectedIndex];
    if ((!chosen || chosen.disabled) && firstFit) { firstFit.selected = true; }
  }
  var fitting = document.querySelectorAll("select[data-fits]");
  for (var j = 0; j < fitting.length; j++) {
    (function (select) {
      var other = select.form && select.form.elements[select.getAttribute("data-fits")];
      if (other) { other.addEventListener("change", function () { fitOptions(select); }); }
      fitOptions(select);
    })(fitting[j]);
  }
  // A job's page (the planner's search) follows itself: its [data-follow] part is
  // fetched again every so many milliseconds; when the job is over (the answer is a
  // redirect to its result, or a page without that part) the page is reloaded so the
  // browser shows what became of it. Without this file the page's link does the same.
  var follow = document.querySelector("[data-follow]");
  if (follow && window.fetch && window.DOMParser) {
    var every = parseInt(follow.getAttribute("data-follow"), 10) || 1000;
    var look = function () {
      window.fetch(window.location.href, { redirect: "manual", credentials: "same-origin" })
        .then(function (response) {
          if (response.type === "opaqueredirect" || !response.ok) { window.location.reload(); return null; }
          return response.text();
        })
        .then(function (html) {
          if (html === null) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-follow]");
          if (!fresh) { window.location.reload(); return; }
          follow.innerHTML = fresh.innerHTML;
          window.setTimeout(look, every);
        })
        .catch(function () { window.setTimeout(look, every * 5); });
    };
    window.setTimeout(look, every);
  }
})();
