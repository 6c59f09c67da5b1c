// The endpoint's page: run a named query from its form and show the table; start YASGUI on /query.
"use strict";

// The page's words in the language of the page (<html lang>), Dutch by default.
const WORDS = {
  nl: { rows: (n) => `${n} rij(en)`, running: "bezig…", csv: "CSV-URL" },
  en: { rows: (n) => `${n} row(s)`, running: "running…", csv: "CSV URL" },
}[document.documentElement.lang] || { rows: (n) => `${n} rij(en)`, running: "bezig…", csv: "CSV-URL" };

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
  count.textContent = WORDS.rows(result.results.bindings.length);
  container.replaceChildren(count, table);
}

async function runNamed(event) {
  event.preventDefault();
  const form = event.target;
  const container = form.parentElement.querySelector(".result");
  const csv = new URL(namedQueryUrl(form, "csv"), window.location.href).href;
  form.querySelector(".csv-url").textContent = `${WORDS.csv}: ${csv}`;
  container.textContent = WORDS.running;
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

function escapeHtml(text) {
  return String(text).replace(/[&<>"'`]/g, (character) => `&#${character.charCodeAt(0)};`);
}

// YASR's table writes an IRI from the data into href='…' unescaped: an IRI holding a quote then
// adds attributes (event handlers), and a javascript: IRI becomes a link that runs. This
// rendering escapes every character that can end an attribute or start a tag, and links only
// http(s) IRIs; any other IRI is shown as text.
function safeIriLink(binding, prefixes) {
  const iri = binding.value;
  let shown = iri;
  let prefixed = false;
  for (const [prefix, namespace] of Object.entries(prefixes || {})) {
    if (iri.startsWith(namespace)) {
      shown = `${prefix}:${iri.substring(namespace.length)}`;
      prefixed = true;
      break;
    }
  }
  let href = null;
  try {
    const url = new URL(iri);
    if (url.protocol === "http:" || url.protocol === "https:") href = url.href;
  } catch {
    href = null;
  }
  const target = this.config.openIriInNewWindow ? "_blank" : "_self";
  const label = escapeHtml(shown);
  const link = href
    ? `<a class="iri" target="${target}" rel="noopener noreferrer" href="${escapeHtml(href)}">${label}</a>`
    : `<span class="iri">${label}</span>`;
  const bracketed = !(prefixed || this.persistentConfig.compact);
  return bracketed ? `&lt;${link}&gt;` : link;
}

// The literal's language tag is written unescaped too.
function safeLiteral(binding, prefixes) {
  const value = escapeHtml(binding.value);
  if (this.persistentConfig.compact) return value;
  if (binding["xml:lang"]) return `"${value}"<sup>@${escapeHtml(binding["xml:lang"])}</sup>`;
  if (binding.datatype) {
    return `"${value}"<sup>^^${this.getUriLinkFromBinding({ type: "uri", value: binding.datatype }, prefixes)}</sup>`;
  }
  return value;
}

if (window.Yasgui) {
  const table = Yasgui.Yasr.plugins.table.prototype;
  table.getUriLinkFromBinding = safeIriLink;
  table.formatLiteral = safeLiteral;
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
