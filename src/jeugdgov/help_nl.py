"""The command line's ``--help`` in Dutch: each command's text (by command name) and each
argument's and option's help (by its English text, as cli.py writes it), set on the click
command tree typer builds, with typer's panel titles and click's usage line in Dutch too.

Imported only when help is asked for in Dutch, so that the commands start no slower.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: What typer's help screens say around the texts: its rich_utils constants, by name.
TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "Argumenten",
    "OPTIONS_PANEL_TITLE": "Opties",
    "COMMANDS_PANEL_TITLE": "Opdrachten",
    "DEFAULT_STRING": "[standaard: {}]",
    "REQUIRED_LONG_STRING": "[verplicht]",
}
USAGE = "Gebruik: "
OPTIONS_METAVAR = "[OPTIES]"
COMMAND_METAVAR = "OPDRACHT [ARGUMENTEN]..."
HELP_OPTION = "Toon deze hulp en stop."

#: Each command's help (its docstring), by command name; "jeugdgov" is the app itself.
COMMANDS = {
    "jeugdgov": "Ga na hoe Nederlandse gemeenten de jeugdhulp besturen: valideer inrichtingen tegen de "
    "catalogus van gebreken van jeugdgov.",
    "validate": """Valideer inrichtingen tegen de shapes voor gebreken en gegevenskwaliteit.

Elke inrichting (een bestand, of een benoemde graaf van een TriG-bestand) wordt op zichzelf gevalideerd.

Voorbeelden:

  jeugdgov validate data/lelystad.trig --setup lelystad-cooperatie

  jeugdgov validate data/ --format json --lang en

  jeugdgov validate mijn-inrichting.ttl --shapes subsidy-passed-on,money-vs-accountability

  jeugdgov validate mijn-inrichting.ttl --shapes-file mijn-shapes.ttl

  jeugdgov validate data/ --as-of 2021-06-30 --evidence established

  jeugdgov validate data/lelystad.trig --norms examples/normenkader.xlsx --norm-table scores.csv

  jeugdgov validate --watch regio.xlsx""",
    "explain": """Toon de pagina van een regel: wat ze controleert, wat ze leest (en waar een werkboek
dat vastlegt), wat een bevinding vastgesteld of niet vastgelegd maakt, haar grondslag en een
minimaal voorbeeld (als docs/defects/nl/ID.md, in het Engels docs/defects/ID.md); met --norms
de pagina van een norm uit dat normenkader en de SHACL-shape waarin ze wordt omgezet.""",
    "defects": "Noem de ids en groepen van gebreken die --shapes aanneemt.",
    "synth": """Maak synthetische inrichtingen op landelijke schaal met geplante gebreken, om de validatie te
testen en te meten.

Schrijft per regio één N-Triples-bestand in OUT/setups en de bevindingen die een juiste validator
moet melden in OUT/planted.json. Een omvang die niet op de schijf of in het geheugen past, wordt
geweigerd voordat er iets geschreven is.

Voorbeelden:

  jeugdgov synth --decisions 100000 --seed 7 --out /tmp/nl

  jeugdgov validate /tmp/nl/setups --format json > bevindingen.json""",
    "viz": """Teken actoren en rollen, geldstromen, mandaten of verantwoording, met de gebreken gemarkeerd.

De knopen en lijnen van een bevinding krijgen een rand in de kleur van haar ernst en een nummer;
het onderschrift (PNG, SVG) of de tekst onder de muisaanwijzer en de lijst (HTML) geven de meldingen.
Het bestand wordt pas geschreven als het af is.

Voorbeelden:

  jeugdgov viz data/lelystad.trig --setup lelystad-cooperatie --kind money --out geld.png

  jeugdgov viz data/zhz.trig --setup zhz-huidig --kind roles --out rollen.html --lang en

  jeugdgov viz data/lelystad.trig --setup lelystad-netwerk --kind roles --date 2016-06-01 -o rollen.svg""",
    "report": """Schrijf een rapport voor een gemeenteraad: één op zichzelf staand HTML-bestand (CSS en
afbeeldingen ingebed).

Per inrichting: aantallen per ernst en bewijsstatus, de bevindingen per gebrek met hun partijen,
feiten, bronnen en grondslag (gelinkt naar wetten.overheid.nl), de vragen die na te gaan zijn,
beweringen, bevindingen over gegevenskwaliteit en afbeeldingen met genummerde bevindingen; daarna
de vergelijking van opeenvolgende fasen van één casus. Druk het vanuit de browser af als PDF.
Eindigt met exitcode 0 als het rapport geschreven is, wat het ook vindt; met 2 bij foute invoer.

Voorbeelden:

  jeugdgov report data/lelystad.trig --out rapport.html

  jeugdgov report data/ --out report.html --lang en

  jeugdgov report data/lelystad.trig --norms examples/normenkader.xlsx --out rapport.html""",
    "compare": """Vergelijk de bevindingen van twee inrichtingen: welke gebreken verschijnen, blijven en
verdwijnen; met --norms ook de score van elke norm ervoor en erna (csv: dan één rij per norm).

Inrichtingen worden per gebrek vergeleken: fasen van een casus berusten op andere feiten, dus
hetzelfde gebrek wordt op andere knopen gevonden. Eindigt met exitcode 0 als de vergelijking getoond is,
wat ze ook vindt; met 2 bij foute invoer.

Voorbeelden:

  jeugdgov compare lelystad-netwerk lelystad-cooperatie --data data/lelystad.trig

  jeugdgov compare voor.ttl na.ttl --format csv""",
    "queries": "Noem de benoemde queries met hun titels en parameters.",
    "query": """Voer een benoemde query (of een .rq-bestand) uit op de meegeleverde gegevens, op opgegeven
bestanden of op een externe store.

Voorbeelden:

  jeugdgov query roles-in-period --param period_start=2016-01-01 --param period_end=2016-12-31

  jeugdgov query cost-estimates-per-model --format csv

  jeugdgov query money-final-recipients data/lelystad.trig --param municipality=gm:gm0995

  jeugdgov query setups --endpoint http://localhost:7878/query""",
    "template": """Schrijf het lege werkboek om een inrichting te beschrijven: één blad per soort feit, kopjes
in het Nederlands en het Engels, keuzelijsten uit de taxonomieën en een blad met instructies.

Vul het in en controleer het met jeugdgov validate; elke opdracht leest het zoals ze TriG leest.

Voorbeeld:

  jeugdgov template --out mijn-regio.xlsx && jeugdgov validate mijn-regio.xlsx

  jeugdgov template --norms --out normenkader.xlsx""",
    "convert": """Zet RDF om in werkboeken en terug, via het ene mappingbestand.

Er wordt niets geschreven als de invoer geweigerd wordt. Perioden worden begin- en einddatums,
dus de namen van perioden worden niet bewaard (de opdracht zegt hoeveel).

Voorbeelden:

  jeugdgov convert data/lelystad.trig --to xlsx --out lelystad.xlsx

  jeugdgov convert lelystad.xlsx --to trig --out lelystad.trig""",
    "load": """Laad gegevens in een ingebouwde store (pyoxigraph), alles of niets.

Eerst wordt elk bestand gelezen; één fout bestand stopt het laden en laat de store ongewijzigd.
Elke inrichting komt in een eigen benoemde graaf; de standaardgraaf van een TriG-bestand en de
ontologie in de standaardgraaf. Een bestand opnieuw laden vervangt zijn benoemde grafen en voegt
niets dubbel toe (lege knopen krijgen IRI's die uit het pad van het bestand gemaakt zijn); een
gedeelde triple die een bestand niet meer bevat, blijft in de standaardgraaf tot de store opnieuw
wordt opgebouwd.

Voorbeeld:

  jeugdgov load data/ --store ./store && jeugdgov serve --store ./store""",
    "push": """Verstuur gegevens naar een externe SPARQL 1.1-store (SPARQL Update of Graph Store Protocol).

Elke inrichting komt in haar benoemde graaf, de gedeelde triples van een bestand in een eigen
benoemde graaf (<bestands-URI>#shared) en de ontologie in <https://w3id.org/jeugdgov/def>; een
indelingsgraaf legt vast welke grafen elke inrichting deelt, zodat één store veel casussen bevat
en de shape-queries erin kunnen draaien. Lege knopen krijgen IRI's (bij elke keer versturen
dezelfde). Elk bestand wordt gelezen voordat er iets verstuurd wordt; met SPARQL Update worden
de grafen eerst vers geschreven (via het Graph Store Protocol als ook --graph-store gegeven is)
en pas daarna over de oude gezet, zodat een mislukte verzending de store ongewijzigd laat.

Voorbeeld:

  jeugdgov push data/ --endpoint http://localhost:8890/sparql-auth --user dba""",
    "serve": """Bied een SPARQL 1.1-endpoint aan voor BI-tools, met de benoemde queries als CSV-adressen.

GET /query?query=...&format=csv, GET /queries (de lijst), GET /queries/NAAM.csv?param=waarde,
GET /health. Alleen lezen tenzij --writable; elke query draait in een werkproces dat na
--timeout seconden gestopt wordt.

Voorbeelden:

  jeugdgov serve

  jeugdgov serve data/lelystad.trig --port 8000

  jeugdgov load data/ --store ./store && jeugdgov serve --store ./store --writable""",
}

#: Each argument's and option's help, by its English text.
PARAMETERS = {
    "Show jeugdgov's version and the digest of the shapes it checks with, and stop.":
        "Toon de versie van jeugdgov en de digest van de shapes waarmee het controleert, en stop.",
    # validate
    "Turtle, TriG, JSON-LD or N-Triples files, workbooks (.xlsx, .ods, a folder of CSV files), or folders "
    "holding them (in a folder, files ending in .json are skipped: name one to read it as JSON-LD).":
        "Turtle-, TriG-, JSON-LD- of N-Triples-bestanden, werkboeken (.xlsx, .ods, een map met CSV-bestanden), "
        "of mappen die ze bevatten (in een map worden bestanden op .json overgeslagen: noem er een om het als "
        "JSON-LD te lezen).",
    "Only check these defect ids or groups (comma-separated or repeated), e.g. 'dual-role,money'. "
    "`jeugdgov defects` lists them.":
        "Controleer alleen deze ids of groepen van gebreken (gescheiden door komma's of herhaald), bijvoorbeeld "
        "'dual-role,money'. `jeugdgov defects` noemt ze.",
    "A file of your own SHACL shapes to check as well (repeatable): the fast engine runs those it can translate, "
    "pySHACL the others, which are named.":
        "Een bestand met eigen SHACL-shapes om ook te controleren (herhaalbaar): de snelle engine voert uit wat "
        "ze kan vertalen, pySHACL de rest, die bij naam genoemd wordt.",
    "Only validate the setup(s) with this name.": "Valideer alleen de inrichting(en) met deze naam.",
    "text: a table per setup; json: setups and findings; turtle: the SHACL validation report.":
        "text: een tabel per inrichting; json: inrichtingen en bevindingen; turtle: het SHACL-validatierapport.",
    "Language of messages.": "Taal van de meldingen.",
    "fast: each shape as one SPARQL query over pyoxigraph, for national-size data; pyshacl: pySHACL on rdflib, "
    "the reference (slow on large data). Both give the same findings.":
        "fast: elke shape als één SPARQL-query op pyoxigraph, voor gegevens op landelijke schaal; pyshacl: "
        "pySHACL op rdflib, de referentie (traag op grote gegevens). Beide geven dezelfde bevindingen.",
    "With --engine fast: let pySHACL check the shapes the fast engine cannot evaluate, instead of stopping with "
    "their names.":
        "Met --engine fast: laat pySHACL de shapes controleren die de snelle engine niet kan evalueren, in plaats "
        "van te stoppen met hun namen.",
    "Validate the setups of an external SPARQL store instead of files: each named graph holding a jg:Setup, with "
    "the graphs it shares.":
        "Valideer de inrichtingen van een externe SPARQL-store in plaats van bestanden: elke benoemde graaf met "
        "een jg:Setup, met de grafen die ze deelt.",
    "Validate the setups in an embedded store folder (made by `jeugdgov load`) instead of files: each named "
    "graph, with the default graph merged in.":
        "Valideer de inrichtingen in de map van een ingebouwde store (gemaakt door `jeugdgov load`) in plaats van "
        "bestanden: elke benoemde graaf, samengevoegd met de standaardgraaf.",
    "With --endpoint on a store whose default graph is the union of its graphs: its Graph Store Protocol "
    "address, to read the shared triples (oxigraph: http://HOST:PORT/store).":
        "Met --endpoint op een store waarvan de standaardgraaf de vereniging van zijn grafen is: zijn adres voor "
        "het Graph Store Protocol, om de gedeelde triples te lezen (oxigraph: http://HOST:PORT/store).",
    "With --endpoint and --engine fast: a named graph every setup shares (repeatable): each setup's graph is "
    "merged with these and the ontology graph.":
        "Met --endpoint en --engine fast: een benoemde graaf die elke inrichting deelt (herhaalbaar): de graaf "
        "van elke inrichting wordt samengevoegd met deze en de graaf van de ontologie.",
    "With --endpoint: read each setup's graphs from the store and validate them here (the default: fastest, and "
    "right whatever the store's query engine does), or run the shape queries in the store (--in-store: the data "
    "stays there; a store check comes first).":
        "Met --endpoint: lees de grafen van elke inrichting uit de store en valideer ze hier (standaard: het "
        "snelst, en juist wat de query-engine van de store ook doet), of voer de shape-queries in de store uit "
        "(--in-store: de gegevens blijven daar; eerst volgt een controle van de store).",
    "With --in-store: first validate one setup both in the store and locally on its fetched triples, and refuse "
    "a store that answers differently.":
        "Met --in-store: valideer eerst één inrichting zowel in de store als hier op haar opgehaalde triples, en "
        "weiger een store die anders antwoordt.",
    "With --in-store: the setup the store check uses (default: the smallest).":
        "Met --in-store: de inrichting waarmee de store gecontroleerd wordt (standaard: de kleinste).",
    "With --endpoint: user for a protected endpoint (HTTP basic or digest); the password is read from "
    "$JEUGDGOV_PASSWORD or asked for.":
        "Met --endpoint: gebruiker voor een beveiligd endpoint (HTTP basic of digest); het wachtwoord komt uit "
        "$JEUGDGOV_PASSWORD of wordt gevraagd.",
    "Largest data file read, in bytes (default 2 GiB: some 14 million triples, about 10 GB of memory in a "
    "validation store).":
        "Grootste gegevensbestand dat gelezen wordt, in bytes (standaard 2 GiB: zo'n 14 miljoen triples, ongeveer "
        "10 GB geheugen in een validatiestore).",
    "Longest literal read, in characters (default 1 MiB: a governance setup's longest text is a paragraph).":
        "Langste literal die gelezen wordt, in tekens (standaard 1 MiB: de langste tekst van een inrichting is "
        "een alinea).",
    "Reference date YYYY-MM-DD: the 'today' of every check that needs one (default: the end of the setup's "
    "period, else today). Same date, same report.":
        "Peildatum JJJJ-MM-DD: het 'vandaag' van elke controle die er een nodig heeft (standaard: het einde van "
        "de periode van de inrichting, anders vandaag). Zelfde datum, zelfde rapport.",
    "Only report findings with this evidence status (comma-separated or repeated): established (recorded facts), "
    "unrecorded (to verify: a fact the data neither state nor deny), alleged (a party's claim).":
        "Meld alleen bevindingen met deze bewijsstatus (gescheiden door komma's of herhaald): established "
        "(vastgelegde feiten), unrecorded (na te gaan: een feit dat de gegevens bevestigen noch ontkennen), "
        "alleged (een bewering van een partij).",
    "A norm framework (a workbook with a sheet 'normen', a CSV, YAML or Turtle file): also score every setup on "
    "each norm (met, partly met, not met, not assessable). `jeugdgov template --norms` writes one to copy.":
        "Een normenkader (een werkboek met een blad 'normen', een CSV-, YAML- of Turtle-bestand): scoor ook elke "
        "inrichting op elke norm (voldaan, deels voldaan, niet voldaan, niet te beoordelen). "
        "`jeugdgov template --norms` schrijft er een om te kopiëren.",
    "With --norms: also write the norm table, one row per setup and norm, as .csv, .xlsx or .json (for BI tools).":
        "Met --norms: schrijf ook de normentabel, één rij per inrichting en norm, als .csv, .xlsx of .json "
        "(voor BI-tools).",
    "Follow one workbook or file: validate it again on every save and print the findings anew, until Ctrl-C (the "
    "shapes stay compiled between runs).":
        "Volg één werkboek of bestand: valideer het opnieuw bij elke keer opslaan en toon de bevindingen opnieuw, "
        "tot Ctrl-C (de shapes blijven tussen de rondes gecompileerd).",
    # explain
    "A catalogue id or group, as `jeugdgov defects` lists them (with --norms: a norm's id).":
        "Een id of groep uit de catalogus, zoals `jeugdgov defects` ze noemt (met --norms: het id van een norm).",
    # synth
    "Number of individual decisions (beschikkingen), spread over all municipalities.":
        "Aantal beschikkingen, verdeeld over alle gemeenten.",
    "Folder to write setups/*.nt and planted.json to.": "Map waarin setups/*.nt en planted.json geschreven worden.",
    "Same seed, same bytes.": "Zelfde seed, zelfde bytes.",
    "Share of eligible objects (decisions, contracts, municipalities, regions) that get each defect; 0 for clean "
    "data.":
        "Aandeel van de geschikte objecten (beschikkingen, contracten, gemeenten, regio's) dat elk gebrek krijgt; "
        "0 voor schone gegevens.",
    "Regions; each is one setup (one file).": "Regio's; elke regio is één inrichting (één bestand).",
    "Municipalities.": "Gemeenten.",
    "Care providers.": "Jeugdhulpaanbieders.",
    "Also plant data-quality defects.": "Plant ook gebreken in de gegevenskwaliteit.",
    # viz
    "A Turtle, TriG, JSON-LD or N-Triples file, a workbook, or a folder.":
        "Een Turtle-, TriG-, JSON-LD- of N-Triples-bestand, een werkboek of een map.",
    "roles: actor -> task; money: payer -> payee; mandates: giver -> mandatary (and delegations); "
    "accountability: accountable party -> recipient.":
        "roles: actor -> taak; money: betaler -> ontvanger; mandates: mandaatgever -> gemandateerde (en "
        "delegaties); accountability: verantwoordingsplichtige -> ontvanger van de verantwoording.",
    "The picture to write: .png or .svg (static) or .html (interactive).":
        "De afbeelding die geschreven wordt: .png of .svg (vast) of .html (interactief).",
    "Which setup to draw, when the file or folder holds several.":
        "Welke inrichting getekend wordt, als het bestand of de map er meer bevat.",
    "Language of labels and messages.": "Taal van de labels en meldingen.",
    "Only relations holding on or after this date.": "Alleen relaties die op of na deze datum gelden.",
    "Only relations holding on or before this date.": "Alleen relaties die op of voor deze datum gelden.",
    "Only relations holding on this day.": "Alleen relaties die op deze dag gelden.",
    "Draw every actor; by default actors with the same relations (e.g. 150 providers, ten municipalities) are "
    "merged into one node.":
        "Teken elke actor; standaard worden actoren met dezelfde relaties (bijvoorbeeld 150 aanbieders, tien "
        "gemeenten) samengevoegd tot één knoop.",
    "Do not validate; draw without highlighting defects.": "Valideer niet; teken zonder gebreken te markeren.",
    # report
    "Turtle, TriG, JSON-LD or N-Triples files, or folders holding them.":
        "Turtle-, TriG-, JSON-LD- of N-Triples-bestanden, of mappen die ze bevatten.",
    "The HTML file to write.": "Het HTML-bestand dat geschreven wordt.",
    "Only report on the setup(s) with this name.": "Rapporteer alleen over de inrichting(en) met deze naam.",
    "Language of the report.": "Taal van het rapport.",
    # compare
    "The earlier setup: its name (with --data), or a file holding one setup.":
        "De eerdere inrichting: haar naam (met --data), of een bestand met één inrichting.",
    "The later setup: its name (with --data), or a file holding one setup.":
        "De latere inrichting: haar naam (met --data), of een bestand met één inrichting.",
    "Files or folders holding both setups; BEFORE and AFTER are then setup names.":
        "Bestanden of mappen met beide inrichtingen; BEFORE en AFTER zijn dan namen van inrichtingen.",
    "text for reading; json or csv (one row per defect) for other tools.":
        "text om te lezen; json of csv (één rij per gebrek) voor andere programma's.",
    # queries, query
    "Language of the titles.": "Taal van de titels.",
    "A named query (`jeugdgov queries` lists them) or the path of a .rq file.":
        "Een benoemde query (`jeugdgov queries` noemt ze) of het pad van een .rq-bestand.",
    "Data files or folders to query (default: the bundled data/). The ontology is always added.":
        "Gegevensbestanden of mappen om te bevragen (standaard: de meegeleverde data/). De ontologie wordt altijd "
        "toegevoegd.",
    "A parameter as name=value; repeat for more. Values are checked against the type the query declares.":
        "Een parameter als naam=waarde; herhaal voor meer. Waarden worden gecontroleerd op het type dat de query "
        "opgeeft.",
    "table for reading; csv, tsv or json (SPARQL results) for other tools.":
        "table om te lezen; csv, tsv of json (SPARQL-resultaten) voor andere programma's.",
    "Run on this external SPARQL endpoint instead of local data; its default graph must be the union of its "
    "graphs (oxigraph serve --union-default-graph).":
        "Voer uit op dit externe SPARQL-endpoint in plaats van op lokale gegevens; de standaardgraaf ervan moet "
        "de vereniging van zijn grafen zijn (oxigraph serve --union-default-graph).",
    # template
    "The workbook to write: an .xlsx file, or a folder name for CSV files.":
        "Het werkboek dat geschreven wordt: een .xlsx-bestand, of de naam van een map voor CSV-bestanden.",
    "Language of sheet names, first header row, lists and instructions.":
        "Taal van de bladnamen, de eerste kopregel, de lijsten en de instructies.",
    "Write instead the catalogue's own norm framework (its defects grouped under research questions) to copy and "
    "edit: .xlsx, .csv, .yaml or .ttl.":
        "Schrijf in plaats daarvan het eigen normenkader van de catalogus (de gebreken gegroepeerd onder "
        "onderzoeksvragen) om te kopiëren en aan te passen: .xlsx, .csv, .yaml of .ttl.",
    # convert
    "A setup file (TriG, Turtle, ...) or workbook (.xlsx, .ods, folder of CSV files).":
        "Een bestand met een inrichting (TriG, Turtle, ...) of een werkboek (.xlsx, .ods, map met CSV-bestanden).",
    "What to write.": "Wat er geschreven wordt.",
    "The file (trig, xlsx) or folder (csv) to write.": "Het bestand (trig, xlsx) of de map (csv) om te schrijven.",
    "Language of a workbook's sheets, headers and list values.":
        "Taal van de bladen, kopjes en lijstwaarden van een werkboek.",
    # load, push
    "Data files or folders.": "Gegevensbestanden of mappen.",
    "The store folder (created when missing).": "De map van de store (wordt gemaakt als ze ontbreekt).",
    "Also load the ontology, so queries can label roles and tasks.":
        "Laad ook de ontologie, zodat queries rollen en taken bij naam kunnen noemen.",
    "SPARQL 1.1 Update endpoint, e.g. http://localhost:7878/update or Virtuoso's http://localhost:8890/sparql-auth.":
        "SPARQL 1.1 Update-endpoint, bijvoorbeeld http://localhost:7878/update of bij Virtuoso "
        "http://localhost:8890/sparql-auth.",
    "Graph Store Protocol address, e.g. http://localhost:7878/store or Virtuoso's "
    "http://localhost:8890/sparql-graph-crud-auth. With --endpoint the fresh graphs are written through it (much "
    "faster on large data) and still moved into place all or nothing; alone it replaces each graph directly.":
        "Adres voor het Graph Store Protocol, bijvoorbeeld http://localhost:7878/store of bij Virtuoso "
        "http://localhost:8890/sparql-graph-crud-auth. Met --endpoint worden de verse grafen daarlangs geschreven "
        "(veel sneller bij grote gegevens) en toch alles of niets op hun plaats gezet; alleen vervangt het elke "
        "graaf direct.",
    "Also push the ontology.": "Verstuur ook de ontologie.",
    "User for a protected endpoint (HTTP basic or digest, as the server asks); the password is read from "
    "$JEUGDGOV_PASSWORD or asked for.":
        "Gebruiker voor een beveiligd endpoint (HTTP basic of digest, zoals de server vraagt); het wachtwoord "
        "komt uit $JEUGDGOV_PASSWORD of wordt gevraagd.",
    # serve
    "Data files or folders to serve (default: the bundled data/, unless --store is given).":
        "Gegevensbestanden of mappen om aan te bieden (standaard: de meegeleverde data/, tenzij --store gegeven "
        "is).",
    "Serve this store folder (DATA is loaded into it first); without it a temporary store is used.":
        "Bied de store in deze map aan (DATA wordt er eerst in geladen); zonder deze optie wordt een tijdelijke "
        "store gebruikt.",
    "Address to listen on.": "Adres waarop geluisterd wordt.",
    "Port to listen on (0: any free port).": "Poort waarop geluisterd wordt (0: een vrije poort).",
    "Accept SPARQL updates at /update.": "Neem SPARQL-updates aan op /update.",
    "Seconds a query may run (more than 0).": "Seconden die een query mag duren (meer dan 0).",
    "Largest request body or query string, in bytes.": "Grootste body of querystring van een verzoek, in bytes.",
    "Query worker processes (one when writable).": "Werkprocessen voor queries (één als de store beschrijfbaar is).",
    "Folder of named queries to serve (default: the bundled queries/).":
        "Map met benoemde queries om aan te bieden (standaard: de meegeleverde queries/).",
    "Do not log requests.": "Log geen verzoeken.",
    "Validate the setups first and serve their reports (for the findings queries).":
        "Valideer eerst de inrichtingen en bied hun rapporten aan (voor de queries over bevindingen).",
    "An endpoint or document IRI (prefix) that SERVICE and LOAD may call; '*' for any. Repeatable. None by "
    "default: they would make the server fetch any address.":
        "Een endpoint of IRI van een document (voorvoegsel) dat SERVICE en LOAD mogen aanroepen; '*' voor elk. "
        "Herhaalbaar. Standaard geen: anders laten ze de server elk adres ophalen.",
    "Name of an environment variable holding a token that updates must send as 'Authorization: Bearer TOKEN'.":
        "Naam van een omgevingsvariabele met een token dat updates moeten meesturen als "
        "'Authorization: Bearer TOKEN'.",
    "Megabytes of memory per query worker (0: no limit).": "Megabytes geheugen per werkproces (0: geen grens).",
    "Largest result, in megabytes.": "Grootste resultaat, in megabytes.",
}


def help_keys(command: Any, name: str = "jeugdgov") -> set[str]:
    """What the table needs a Dutch text for in a click command tree: each command with help by
    its name, each parameter by its English help."""
    keys = {name} if command.help else set()
    keys |= {parameter.help for parameter in command.params if getattr(parameter, "help", None)}
    for sub_name, sub in getattr(command, "commands", {}).items():
        keys |= help_keys(sub, sub_name)
    return keys


@contextmanager
def in_dutch(command: Any) -> Iterator[None]:
    """Within: the Dutch help on a click command tree (``typer.main.get_group(app)``) and typer's
    words around it in Dutch (put back after, for the next command run in this process). A
    text without a translation stays English."""
    from typer import rich_utils

    english = {constant: getattr(rich_utils, constant) for constant in TYPER_WORDS}
    highlights = rich_utils.OptionHighlighter.highlights
    for constant, dutch in TYPER_WORDS.items():
        setattr(rich_utils, constant, dutch)
    rich_utils.OptionHighlighter.highlights = [*highlights, rf"(?P<usage>{USAGE})"]
    _translate(command, "jeugdgov")
    try:
        yield
    finally:
        for constant, words in english.items():
            setattr(rich_utils, constant, words)
        rich_utils.OptionHighlighter.highlights = highlights


def _translate(command: Any, name: str) -> None:
    if name in COMMANDS:  # its first paragraph on one line, as the list of commands shows it
        summary, _, rest = COMMANDS[name].partition("\n\n")
        command.help = summary.replace("\n", " ") + ("\n\n" + rest if rest else "")
    command.short_help = None  # made again from the Dutch help
    command.options_metavar = OPTIONS_METAVAR
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = COMMAND_METAVAR
    for parameter in command.params:
        if getattr(parameter, "help", None):
            parameter.help = PARAMETERS.get(parameter.help, parameter.help)
    english_context = command.context_class
    english_formatter: type = english_context.formatter_class

    class DutchFormatter(english_formatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, USAGE if prefix is None else prefix)

    command.context_class = type("DutchContext", (english_context,), {"formatter_class": DutchFormatter})
    help_option = command.get_help_option

    def dutch_help_option(context: Any) -> Any:
        option = help_option(context)
        if option is not None:
            option.help = HELP_OPTION
        return option

    command.get_help_option = dutch_help_option
    for sub_name, sub in getattr(command, "commands", {}).items():
        _translate(sub, sub_name)
