// fiches — search over the static index built with the site. Case, accents and
// apostrophes are folded on both sides, so "quebec" finds Québec.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.querySelector(".search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("resultats");
  var status = document.getElementById("etat");
  if (!script || !form || !input || !list || !status) return;
  var index = null;

  function fold(s) {
    return s
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[œŒ]/g, "oe")
      .replace(/[æÆ]/g, "ae")
      .replace(/[’‘`´ʼ]/g, "'")
      .replace(/[–—‑‐]/g, "-")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }

  function search(query) {
    var words = fold(query).split(/[\s'’-]+/).filter(Boolean);
    if (!words.length) return [];
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var e = index[i];
      var ok = true;
      for (var w = 0; w < words.length; w++) {
        if (e.x.indexOf(words[w]) === -1) { ok = false; break; }
      }
      if (!ok) continue;
      var title = fold(e.t);
      var score = title.indexOf(words[0]) === 0 ? 0 : title.indexOf(words[0]) > -1 ? 1 : 2;
      hits.push({ e: e, score: score });
    }
    hits.sort(function (a, b) { return a.score - b.score || a.e.t.localeCompare(b.e.t, "fr"); });
    return hits.slice(0, 50).map(function (h) { return h.e; });
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) { status.textContent = ""; return; }
    var results = search(query);
    status.textContent = results.length === 0
      ? "Aucun résultat pour « " + query + " »."
      : results.length + (results.length > 1 ? " résultats" : " résultat") + " pour « " + query + " ».";
    results.forEach(function (e) {
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = e.k;
      var a = document.createElement("a");
      a.href = e.u;
      a.textContent = e.t;
      var d = document.createElement("span");
      d.className = "detail";
      d.textContent = e.d;
      li.appendChild(kind);
      li.appendChild(a);
      li.appendChild(d);
      list.appendChild(li);
    });
  }

  function run() {
    var q = input.value;
    show(q);
    var url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }

  fetch(script.getAttribute("data-index"))
    .then(function (r) { return r.json(); })
    .then(function (data) {
      index = data;
      var q = new URLSearchParams(window.location.search).get("q");
      if (q) { input.value = q; show(q); }
      input.addEventListener("input", run);
    })
    .catch(function () { status.textContent = "L’index de recherche n’a pas pu être chargé."; });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (index) run();
  });
})();
