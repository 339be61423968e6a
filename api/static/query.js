// The query page: YASGUI over this server's /sparql, the named queries as examples.
// Everything it loads comes from this server; nothing reaches another origin.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("query-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).toString();
  document.getElementById("endpoint").textContent = endpoint;

  // The "property" and "class" completers ask lov.linkeddata.es; prefixes come bundled.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];

  var starter = config.starter ? config.queries[config.starter] : null;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    persistenceId: null,  // start fresh: the examples, not yesterday's tabs
    populateFromUrl: true,
    copyEndpointOnNewTab: true,
    tabName: "Query · 질의",
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { value: withPrefixes(starter ? starter.sparql : "") },
    yasr: { defaultPlugin: "table" },
  });

  // The query text with a PREFIX line for every namespace of the graph it does not declare yet,
  // after its leading comments (the named query's header).
  function withPrefixes(sparql) {
    var lines = sparql.split("\n");
    var head = [];
    while (lines.length && /^\s*#/.test(lines[0])) head.push(lines.shift());
    var declared = {};
    (sparql.match(/PREFIX\s+[^\s:]*:/gi) || []).forEach(function (match) {
      declared[match.split(/\s+/)[1].slice(0, -1)] = true;
    });
    var extra = Object.keys(config.prefixes).filter(function (p) { return !declared[p]; })
      .map(function (p) { return "PREFIX " + p + ": <" + config.prefixes[p] + ">"; });
    return head.concat(extra, lines).join("\n");
  }

  var notice = document.getElementById("notice");
  var watched = new WeakSet();
  yasgui.on("query", function (_yasgui, tab) {
    notice.textContent = "";
    var yasqe = tab.getYasqe();
    if (watched.has(yasqe)) return;
    watched.add(yasqe);
    yasqe.on("queryResponse", function (_yasqe, response) {
      var headers = response && response.headers;
      var truncated = headers && headers.get && headers.get("X-SPARQL-Truncated");
      if (truncated) {
        var rows = headers.get("X-SPARQL-Rows");
        notice.textContent = "Results truncated at " + rows + " rows (X-SPARQL-Truncated). " +
          "결과가 " + rows + "행에서 잘렸습니다.";
      }
    });
  });

  var first = yasgui.getTab();
  if (first) first.setEndpoint(endpoint);

  document.getElementById("examples").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-query]");
    if (!button) return;
    var query = config.queries[button.dataset.query];
    var tab = yasgui.addTab(true, { name: query.title, yasqe: { value: withPrefixes(query.sparql) } },
                            { avoidDuplicateTabs: true });
    tab.setEndpoint(endpoint);
    tab.getYasqe().focus();
  });
})();
