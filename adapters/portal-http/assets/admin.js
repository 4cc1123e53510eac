// Progressive enhancement of the column editor: drag a column to reorder it; the new order
// is posted as the old positions. Without JavaScript the ↑/↓ buttons do the same.
(function () {
  // On a phone the staff menu starts folded (without JavaScript it stays open).
  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia("(max-width: 48rem)").matches) menu.open = false;
})();
(function () {
  var list = document.getElementById("column-list");
  var form = document.getElementById("columns-form");
  var order = document.getElementById("column-order");
  if (!list || !form || !order) return;
  var dragged = null;
  list.addEventListener("dragstart", function (e) {
    dragged = e.target.closest("li");
    if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
  });
  list.addEventListener("dragover", function (e) {
    e.preventDefault();
    var over = e.target.closest("li");
    if (!dragged || !over || over === dragged) return;
    var rect = over.getBoundingClientRect();
    var after = e.clientY > rect.top + rect.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("drop", function (e) {
    e.preventDefault();
    if (!dragged) return;
    dragged = null;
    var items = list.querySelectorAll("li[data-index]");
    order.value = Array.prototype.map.call(items, function (li) { return li.dataset.index; }).join(",");
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "order";
    form.appendChild(action);
    form.submit();
  });
})();
