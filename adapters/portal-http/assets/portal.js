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
  // Times under a week old read "2 hours ago" in the page's language; the exact time
  // stays in the title and the element's datetime.
  var lang = document.documentElement.lang || "en";
  var rtf = null;
  try { rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" }); } catch (e) {}
  if (rtf) {
    var now = Date.now();
    document.querySelectorAll("time[data-relative]").forEach(function (el) {
      var at = Date.parse(el.getAttribute("datetime"));
      if (isNaN(at)) return;
      var s = (at - now) / 1000, a = Math.abs(s);
      if (a >= 7 * 86400) return;
      var v, unit;
      if (a < 60) { v = 0; unit = "second"; }
      else if (a < 3600) { v = Math.round(s / 60); unit = "minute"; }
      else if (a < 86400) { v = Math.round(s / 3600); unit = "hour"; }
      else { v = Math.round(s / 86400); unit = "day"; }
      el.title = el.textContent;
      el.textContent = rtf.format(v, unit);
    });
  }
  // A "saved" or "replied" notice becomes a toast that can be dismissed; without this
  // file it stays a line at the top of the page.
  var notice = document.querySelector("p.notice[role=status]");
  if (notice && notice.dataset.close) {
    notice.classList.add("toast");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", notice.dataset.close);
    close.textContent = "×";
    close.addEventListener("click", function () { notice.remove(); });
    notice.appendChild(close);
  }
  // The browser's time zone, for a first login's default (issue 18).
  document.querySelectorAll("input[name=tz]").forEach(function (el) {
    try { el.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) {}
  });
})();
