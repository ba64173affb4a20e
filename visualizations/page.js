/* What the network views and the map share, inlined before view.js or map.js:
 * window.evalkgPage.el (an element whose text is set with textContent, never HTML),
 * safeHref (an http(s) URL or null) and fold (text without accents, lower case, for
 * search). Record text is hostile: these are the only ways it reaches the page.
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

  window.evalkgPage = Object.freeze({ el: el, safeHref: safeHref, fold: fold });
})();
