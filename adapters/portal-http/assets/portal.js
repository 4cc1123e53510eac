// Progressive enhancement only: every form works without this file.
(function () {
  // Markdown toolbar for reply boxes.
  document.querySelectorAll("form.reply").forEach(function (form) {
    var bar = form.querySelector(".toolbar");
    var area = form.querySelector("textarea");
    if (!bar || !area) return;
    bar.hidden = false;
    bar.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-md]");
      if (!b) return;
      var md = b.getAttribute("data-md");
      var s = area.selectionStart, t = area.selectionEnd, v = area.value;
      var picked = v.slice(s, t);
      var text = md === "- " ? "- " + picked : md + picked + md;
      area.value = v.slice(0, s) + text + v.slice(t);
      area.focus();
    });
  });
  // A form that came back with problems: move focus to their summary, which links to
  // each field.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  // The browser's time zone, for a first login's default (issue 18).
  document.querySelectorAll("input[name=tz]").forEach(function (el) {
    try { el.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) {}
  });
})();
