// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Case form: "Add an item" clones Django's empty formset row.
  var add = document.querySelector("[data-add-item]");
  if (add) {
    add.addEventListener("click", function () {
      var total = document.getElementById("id_items-TOTAL_FORMS");
      var index = parseInt(total.value, 10);
      var html = document.getElementById("item-form-template").innerHTML.replace(/__prefix__/g, index);
      document.getElementById("item-forms").insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      var order = document.getElementById("id_items-" + index + "-ORDER");
      if (order) { order.value = index + 1; }
      var heading = document.getElementById("id_items-" + index + "-heading");
      if (heading) { heading.focus(); }
    });
  }

  // Case form: the deadline's choices and preview are deadline_rule.js's.

  // The language switch: choosing is enough (the button is for pages without JavaScript).
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-submit-on-change")) { event.target.form.submit(); }
  });

  // Buttons that need a second thought; then a form that posts is sent once: a second click while the first is
  // on its way does nothing (the server also refuses to act twice on one form, see npc_tracker/submissions.py).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); return; }
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
    if (form.hasAttribute("data-submitted")) { event.preventDefault(); return; }
    form.setAttribute("data-submitted", "");
    // Disabled only after this event: a disabled button would not send its own name and value.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // Back to a page from the browser's cache: its forms may be sent again (with the same token, so not acted on).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      form.removeAttribute("data-submitted");
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
})();
