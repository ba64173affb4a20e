/* evalkg serve: the query page. YASGUI (vendored, no CDN) edits and runs SPARQL on this
   server's /sparql; a named query is bound by the server (/queries/NAME.rq?param=…, the
   parameters as RDF terms) and run as the text it gives. Every string from the server
   is shown with textContent; result links to IRIs under the base IRI go to this
   server's pages. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("evalkg-config").textContent);
  const endpoint = new URL(config.endpoint, window.location.href).href;
  const byName = new Map(config.queries.map((q) => [q.name, q]));
  const Yasgui = window.Yasgui.default || window.Yasgui;

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    yasqe: { value: config.initial, persistenceId: null, autocompleters: [] },
    yasr: { prefixes: config.prefixes, persistenceId: null },
  });

  /* Links to IRIs under the base IRI open this server's page of the entity. */
  function localise(root) {
    root.querySelectorAll("a[href]").forEach((a) => {
      const href = a.getAttribute("href");
      if (href.startsWith(config.base) && href.length > config.base.length) {
        a.setAttribute("href", config.prefix + href.slice(config.base.length));
        a.removeAttribute("target");
      } else if (!/^https?:/i.test(href) && !href.startsWith("#") && !href.startsWith("/")) {
        a.removeAttribute("href");
      }
    });
  }
  const results = document.getElementById("yasgui");
  new MutationObserver(() => localise(results)).observe(results, { childList: true, subtree: true });

  const select = document.getElementById("named");
  const form = document.getElementById("named-params");
  const about = document.getElementById("named-description");
  const run = document.getElementById("run-named");

  function tab() {
    return yasgui.getTab();
  }

  select.addEventListener("change", () => {
    form.replaceChildren();
    about.textContent = "";
    const query = byName.get(select.value);
    run.disabled = !query;
    if (!query) return;
    about.textContent = query.description || query.title || "";
    for (const param of query.params) {
      const label = document.createElement("label");
      label.textContent = param.name + (param.optional ? " (optional) " : " ");
      const input = document.createElement("input");
      input.name = param.name;
      input.type = "text";
      input.placeholder = param.type + (param.description ? ": " + param.description : "");
      input.title = input.placeholder;
      label.appendChild(input);
      form.appendChild(label);
    }
    tab().setQuery(query.text);
  });

  run.addEventListener("click", async () => {
    const query = byName.get(select.value);
    if (!query) return;
    const params = new URLSearchParams();
    for (const input of form.querySelectorAll("input")) {
      if (input.value !== "") params.append(input.name, input.value);
    }
    const response = await fetch(
      "/queries/" + encodeURIComponent(query.name).replace("%2F", "/") + ".rq?" + params,
      { headers: { Accept: "application/sparql-query" } }
    );
    const text = await response.text();
    if (!response.ok) {
      about.textContent = text;
      about.classList.add("error");
      return;
    }
    about.classList.remove("error");
    tab().setQuery(text);
    tab().getYasqe().query();
  });

  yasgui.on("queryResponse", () => localise(results));
  window.evalkg = { ready: true, yasgui: yasgui };
})();
