/* sinergi park page: shows the explanation of the exchange whose arrow has the keyboard focus
   or the pointer. The drawing and every word come from the server; without this script the
   arrows still lead to their rows in the exchange table. Requests nothing. */
(function () {
  "use strict";
  var map = document.querySelector(".exchange-map");
  if (!map) { return; }
  var prompt = map.querySelector(".edge-prompt");
  var notes = Array.prototype.slice.call(map.querySelectorAll(".edge-note"));
  var edges = Array.prototype.slice.call(map.querySelectorAll("a.edge"));

  function show(edge) {
    var wanted = edge.getAttribute("data-note");
    notes.forEach(function (note) { note.hidden = note.id !== wanted; });
    edges.forEach(function (other) { other.classList.toggle("current", other === edge); });
    if (prompt) { prompt.hidden = true; }
  }

  function edgeOf(target) {
    return target && target.closest ? target.closest("a.edge") : null;
  }

  map.addEventListener("focusin", function (event) {
    var edge = edgeOf(event.target);
    if (!edge) { return; }
    show(edge);
    /* on a phone the drawing scrolls sideways: bring the focused arrow into the box */
    edge.scrollIntoView({ block: "nearest", inline: "center" });
  });
  map.addEventListener("mouseover", function (event) {
    var edge = edgeOf(event.target);
    if (edge) { show(edge); }
  });
})();
