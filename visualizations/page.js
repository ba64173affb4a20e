/* What the network views and the map share, inlined before view.js or map.js:
 * window.evalkgPage.el (an element whose text is set with textContent, never HTML),
 * safeHref (an http(s) URL or null), fold (text without accents, lower case, for
 * search) and suggest (the search box's list of suggestions). Record text is hostile:
 * these are the only ways it reaches the page.
 */
(function () {
  "use strict";

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function safeHref(url) {
    if (typeof url !== "string") return null;
    try {
      var parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* The search box: as one types, up to 12 suggestions (search(query, limit) gives the
     hits, best first; show(hit) gives its label, its sub-line and what choosing it does);
     Enter chooses the best hit, Escape closes the list. */
  function suggest(input, list, search, show) {
    function choose(hit) {
      list.hidden = true;
      show(hit).choose();
    }
    input.addEventListener("input", function () {
      var found = search(input.value, 12);
      list.replaceChildren();
      found.forEach(function (hit) {
        var shown = show(hit);
        var item = el("li");
        item.setAttribute("role", "option");
        var button = el("button", shown.label);
        button.type = "button";
        button.appendChild(el("span", shown.sub, "sub"));
        button.addEventListener("click", function () { choose(hit); });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = found.length === 0;
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var hit = search(input.value, 1)[0];
        if (hit) choose(hit);
      } else if (event.key === "Escape") {
        list.hidden = true;
      }
    });
  }

  window.evalkgPage = Object.freeze({ el: el, safeHref: safeHref, fold: fold, suggest: suggest });
})();
