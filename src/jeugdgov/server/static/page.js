// The endpoint's page: run a named query from its form and show the table; start YASGUI on /query.
"use strict";

function namedQueryUrl(form, extension) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (value !== "") params.append(key, value);
  }
  const query = params.toString();
  return `/queries/${form.dataset.name}.${extension}` + (query ? `?${query}` : "");
}

function renderTable(container, result) {
  const names = result.head.vars;
  const table = document.createElement("table");
  const header = table.createTHead().insertRow();
  for (const name of names) {
    const cell = document.createElement("th");
    cell.textContent = name;
    header.appendChild(cell);
  }
  const body = table.createTBody();
  for (const binding of result.results.bindings) {
    const row = body.insertRow();
    for (const name of names) row.insertCell().textContent = binding[name] ? binding[name].value : "";
  }
  const count = document.createElement("p");
  count.textContent = `${result.results.bindings.length} row(s)`;
  container.replaceChildren(count, table);
}

async function runNamed(event) {
  event.preventDefault();
  const form = event.target;
  const container = form.parentElement.querySelector(".result");
  const csv = new URL(namedQueryUrl(form, "csv"), window.location.href).href;
  form.querySelector(".csv-url").textContent = `CSV URL: ${csv}`;
  container.textContent = "running…";
  const response = await fetch(namedQueryUrl(form, "json"), { headers: { Accept: "application/sparql-results+json" } });
  if (!response.ok) {
    container.textContent = `${response.status}: ${await response.text()}`;
    container.classList.add("error");
    return;
  }
  container.classList.remove("error");
  const warning = response.headers.get("X-Jeugdgov-Warning");
  renderTable(container, await response.json());
  if (warning) {
    const note = document.createElement("p");
    note.className = "note";
    note.textContent = warning;
    container.prepend(note);
  }
}

for (const form of document.querySelectorAll("form.named")) form.addEventListener("submit", runNamed);

if (window.Yasgui) {
  // Only the variable autocompleter: the others look up prefix.cc and LOV on the internet.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  for (const name of ["prefixes", "property", "class"]) delete Yasgui.Yasqe.Autocompleters[name];
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: new URL("/query", window.location.href).href, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: new URL("/query", window.location.href).href }] },
    persistenceId: null,
    autofocus: false, // focusing the editor would scroll the page past its introduction
    yasqe: {
      autocompleters: ["variables"],
      value: "PREFIX jg: <https://w3id.org/jeugdgov/def#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n" +
        "SELECT ?setup ?label WHERE {\n  ?setup a jg:Setup ; rdfs:label ?label .\n  FILTER (LANG(?label) = \"en\")\n}\n",
    },
  });
}
