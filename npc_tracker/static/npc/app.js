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

  // Case form: show the rule set's default deadline rule for the chosen kind.
  var form = document.querySelector("form[data-default-rules]");
  if (form) {
    var defaults = JSON.parse(form.getAttribute("data-default-rules"));
    var kind = document.getElementById("id_kind");
    var rule = document.getElementById("id_deadline_rule");
    var showDefault = function () { rule.placeholder = defaults[kind.value] || ""; };
    kind.addEventListener("change", showDefault);
    showDefault();
  }

  // The language switch: choosing is enough (the button is for pages without JavaScript).
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-submit-on-change")) { event.target.form.submit(); }
  });

  // Buttons that need a second thought.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
