// The draft form's deadline (opinions/deadline_field.py): show the input the chosen kind needs, follow the rule
// set's default when the case's kind changes, and preview the due date it gives. The page works without it: the
// server preselects the default and draws the preview of the rule as it was last saved or sent.
(function () {
  "use strict";
  var form = document.querySelector("form[data-default-rules]");
  var box = form && form.querySelector("[data-deadline-rule]");
  if (!box) { return; }
  var defaults = JSON.parse(form.getAttribute("data-default-rules"));
  var caseKind = form.querySelector("[name=kind]");
  var meeting = form.querySelector("[name=meeting]");
  var ruleKind = box.querySelector("[name=deadline_rule_kind]");
  var number = box.querySelector("[name=deadline_rule_n]");
  var day = box.querySelector("[name=deadline_rule_date]");
  var text = box.querySelector("[name=deadline_rule_text]");
  var marker = box.querySelector("[name=deadline_rule_default]");
  var preview = form.querySelector("[data-deadline-preview]");
  var anchor = preview && preview.querySelector("[data-preview-anchor]");
  var NEEDS_NUMBER = ["months", "days", "workdays", "december_session", "before_meeting", "periodic"];
  var NEEDS_DATE = ["date", "periodic"];

  function part(name) { return box.querySelector("[data-rule-part=" + name + "]"); }

  // An input the kind does not use is hidden and not sent (a stale value there must not block saving).
  function showParts() {
    var kind = ruleKind.value;
    [["n", number, NEEDS_NUMBER.indexOf(kind) >= 0], ["date", day, NEEDS_DATE.indexOf(kind) >= 0],
     ["text", text, kind === "text"]].forEach(function (entry) {
      var label = part(entry[0]);
      if (!label) { return; }
      label.hidden = !entry[2];
      entry[1].disabled = !entry[2];
    });
  }

  // The compact rule the inputs say, as the server assembles it (months:3, date:2026-12-31, year_end, "").
  function compact() {
    var kind = ruleKind.value;
    if (kind === "periodic") { return "periodic:" + String(parseInt(number.value, 10)) + ":" + day.value; }
    if (NEEDS_NUMBER.indexOf(kind) >= 0) { return kind + ":" + String(parseInt(number.value, 10)); }
    if (kind === "date") { return "date:" + day.value; }
    if (kind === "text") { return text.value.trim(); }
    return kind;
  }

  function choose(rule) {
    var pieces = (rule || "").split(":");
    var kind = pieces[0];
    if (!ruleKind.querySelector("option[value='" + kind + "']")) { return false; }
    ruleKind.value = kind;
    if (NEEDS_NUMBER.indexOf(kind) >= 0) { number.value = pieces[1]; }
    if (kind === "date") { day.value = pieces[1]; }
    if (kind === "periodic") { day.value = pieces[2]; }
    return true;
  }

  var previous = caseKind.value;
  caseKind.addEventListener("change", function () {
    var oldDefault = defaults[previous] || "";
    var current = compact();
    previous = caseKind.value;
    // The default follows the kind unless staff chose a rule of their own.
    if (current === "" || current === oldDefault || (marker.value && current === marker.value)) {
      var next = defaults[caseKind.value] || "";
      if (choose(next)) { marker.value = next; }
      showParts();
    }
    refresh();
  });

  var timer = null;
  var asked = 0;
  function refresh() {
    if (!preview) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 250);
  }

  function show(selector, value) {
    var element = preview.querySelector(selector);
    element.textContent = value || "";
    element.hidden = !value;
  }

  function ask() {
    var params = new URLSearchParams();
    params.set("kind", caseKind.value);
    [ruleKind, number, day, text].forEach(function (input) {
      if (input && !input.disabled) { params.set(input.name, input.value); }
    });
    if (anchor && anchor.value) { params.set("anchor", anchor.value); }
    if (meeting && meeting.value) { params.set("meeting", meeting.value); }
    var mine = ++asked;
    window.fetch(preview.getAttribute("data-url") + "?" + params.toString(), {
      headers: {"Accept": "application/json"}, credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (answer) {
      if (mine !== asked) { return; }  // a later question is on its way
      var body = answer.body;
      preview.hidden = false;
      preview.querySelector("[data-preview-due]").textContent = answer.ok && body.due ? body.due : "—";
      preview.querySelector("[data-preview-provisional]").hidden = !(answer.ok && body.provisional);
      preview.querySelector("[data-preview-explanation]").textContent = answer.ok ? body.explanation : "";
      show("[data-preview-error]", answer.ok ? (body.error && body.error.detail) : body.detail);
      show("[data-preview-reason]", answer.ok ? body.reason_needed : "");
      preview.setAttribute("data-preview-rule", answer.ok ? body.rule : "");
    }).catch(function () {
      if (mine === asked) { preview.hidden = true; }
    });
  }

  ruleKind.addEventListener("change", function () { showParts(); refresh(); });
  if (meeting) { meeting.addEventListener("change", refresh); }
  [number, day, text, anchor].forEach(function (input) {
    if (input) { input.addEventListener("input", refresh); input.addEventListener("change", refresh); }
  });
  showParts();
  refresh();
})();
