"""Every bokmål string a user sees outside the page templates: errors, finding texts, CLI output.

Findings are keyed by a stable English code; message and fix are rendered from the templates
here, so
machine output (code, cell) and human output (message) can never disagree.
"""

from __future__ import annotations

from typing import NamedTuple

# --- run-stopping errors -------------------------------------------------------------------------
CATALOG_INVALID = "Katalogfilen {file} er ugyldig: {problems}"
CATALOG_MISSING = "Finner ikke katalogfilen {file}"
CATALOG_UNREADABLE = "Kan ikke lese katalogfilen {file}: {error}"
CATALOG_YAML = "Katalogfilen {file} er ikke gyldig YAML ({where})"
SCALE_LABEL_BREAKS_LIST = (
    "skalatrinnet «{label}» inneholder anførselstegn eller komma, som ikke kan stå i "
    "nedtrekkslisten for status i skjemaet"
)
SCALE_TOO_LONG = "skalatrinnene er til sammen for lange for nedtrekkslisten (over {limit} tegn)"
CACHE_NOT_PRIVATE = (
    "Hurtigbufferen {folder} eies av en annen bruker eller kan skrives av andre, så statuskart "
    "bruker den ikke (en fil lagt der av andre kunne kjøre kode når du bygger). Velg en egen "
    "mappe med STATUSKART_CACHE_DIR, eller bygg med --no-cache."
)
CACHE_UNUSABLE = "Kan ikke bruke hurtigbufferen {folder}: {reason}. Bygg med --no-cache."
UNKNOWN_PATHWAY = "Ukjent forløp «{pathway}». Kjente forløp: {known}"
OUTPUT_UNWRITABLE = "Kan ikke skrive til {path}: {reason}"
OUTPUT_IS_DIR = "{path} er en mappe; oppgi et filnavn, for eksempel {path}/skjema.xlsx"
TEMPLATES_MISSING = "Finner ikke sidemalene (templates/). Installasjonen er ufullstendig."
GUIDE_MISSING = "Finner ikke brukerveiledningen. Installasjonen er ufullstendig."
INPUT_MISSING = "Finner ikke {path}"
NO_INPUT = "Fant ingen regneark i {paths}"
SITE_CONFIG_INVALID = "Nettstedsoppsettet {file} er ugyldig: {error}"
SITE_BUILD_FAILED = "MkDocs kunne ikke bygge nettstedet: {error}"
BAD_UNIT_TYPE = "Ukjent enhetstype «{value}». Gyldige: {known}"
UNIT_TYPE_NOT_IN_PATHWAY = (
    "Enhetstypen «{value}» finnes ikke i forløpet «{title}». Forløpets enhetstyper: {known}"
)
FRONT_FIELD_CONTROL = (
    "Verdien for «{field}» inneholder et kontrolltegn ({code}), som ikke kan stå i et regneark. "
    "Skriv verdien uten det."
)
TODAY_OUT_OF_RANGE = (
    "--today {value} er utenfor det statuskart regner med; skriv en dato fra år 2000 til 2099."
)
BAD_PERIOD = (
    "«{value}» er ikke en periode på formen ÅÅÅÅ-T1, ÅÅÅÅ-T2 eller ÅÅÅÅ-T3 med år fra 2000 "
    "til 2099."
)

OS_REASONS = {
    "ENOENT": "mappen finnes ikke",
    "EACCES": "mangler skrivetilgang",
    "EPERM": "mangler tillatelse",
    "EROFS": "filsystemet er skrivebeskyttet",
    "ENOSPC": "disken er full",
    "EISDIR": "det er en mappe",
    "ENOTDIR": "en del av stien er ikke en mappe",
}


def os_reason(exc: OSError, *, reading: bool = False) -> str:
    """Bokmål reason for an operating-system error; ``reading`` for a file that was read."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    if reading and name in ("EACCES", "EPERM"):
        return "mangler lesetilgang"
    return OS_REASONS.get(name, f"operativsystemet avviste det ({name or exc})")


# --- CLI texts -----------------------------------------------------------------------------------
ERROR_PREFIX = "Feil: "
TEMPLATE_WRITTEN = "Skrev tomt skjema for {title} ({catalogue}) til {path}"
# Counts are passed in already worded («1 fil», «2 filer», «1 000 enheter»: numbers.count).
SAMPLE_WRITTEN = "Skrev {files} ({units}, {rounds}) til {path}"
VALIDATE_SUMMARY = "{total}: {ok} OK, {warn} OK med merknader, {rejected} avvist"
ANNOTATED = "Skrev {n} til {path}"
BUILD_SUMMARY = (
    "Ferdig på {seconds} s: {files} lest ({ok} OK, {warn} med merknader, "
    "{rejected} avvist), {units} skåret, {pages} skrevet til {site}"
)
PROGRESS_READING = "Leser skjema"
NOT_SCORED = "Ikke skåret (se statuskart validate): {path}"
SERVING = (
    "Forhåndsvisning på http://{address}/ – sidene bygges på nytt når et skjema endres. "
    "Avslutt med Ctrl+C."
)
STATUS_LABELS = {"ok": "OK", "warnings": "OK med merknader", "rejected": "Avvist"}
SEVERITY_LABELS = {"error": "feil", "warning": "advarsel", "info": "merknad"}
FIX_PREFIX = "Slik retter du det: "


class FindingText(NamedTuple):
    """Severity and bokmål templates of one finding code."""

    severity: str
    message: str
    fix: str


ID_HEADER_WHERE = "«{sheet}», overskriftsraden er rad {row}"
ID_HEADER_UNKNOWN = "; overskrifter statuskart ikke kjenner: {headers}"
"""Parts of the «id-column-missing» detail: where the header row is, and what was typed there."""

UNIT_TYPE_MISMATCH = (
    "{made_for}, men forsiden sier «{unit_type}», og {n} krav som gjelder for {unit_type}, "
    "er ikke med i skjemaet: {ids}"
)
UNIT_TYPE_MORE = " og {n} til"
"""Parts of the «unit-type-mismatch» detail (skjema_type.py)."""

SAVE_AS_XLSX = (
    "Åpne filen i Excel eller LibreOffice og velg Lagre som → «Excel-arbeidsbok (.xlsx)», "
    "og send den nye filen."
)

FINDINGS: dict[str, FindingText] = {
    # --- the file as a whole ---
    "not-a-spreadsheet": FindingText(
        "error", "Filen er ikke et regneark statuskart kan lese ({detail}).", SAVE_AS_XLSX
    ),
    "legacy-format": FindingText(
        "error", "Filen er i formatet {detail}, som statuskart ikke leser.", SAVE_AS_XLSX
    ),
    "encrypted": FindingText(
        "error",
        "Filen er beskyttet med passord (kryptert), så innholdet kan ikke leses.",
        "Åpne filen, fjern passordet (Fil → Info → Beskytt arbeidsbok → Krypter med passord, "
        "tøm feltet) og lagre på nytt. Passordbeskyttelse av enkeltark er greit.",
    ),
    "too-large": FindingText(
        "error",
        "Filen er for stor eller uvanlig sterkt komprimert ({detail}) og blir ikke åpnet.",
        "Bruk et nytt tomt skjema fra statuskart og fyll det ut på nytt, uten bilder eller "
        "ekstra ark.",
    ),
    "corrupt-file": FindingText(
        "error",
        "Filen er skadet eller ufullstendig og kan ikke åpnes ({detail}).",
        "Åpne filen i Excel eller LibreOffice; hvis den åpnes, lagre den på nytt som .xlsx. "
        "Ellers må skjemaet fylles ut på nytt.",
    ),
    "unsafe-content": FindingText(
        "error",
        "Filen inneholder XML-konstruksjoner som kan brukes til angrep ({detail}), og blir ikke "
        "lest.",
        "Lagre skjemaet på nytt fra Excel eller LibreOffice. Kontakt IT hvis feilen står seg.",
    ),
    "no-checklist-sheet": FindingText(
        "error",
        "Fant ikke arket med sjekklisten (et ark med kolonnene ID og Status). Arkene i filen: "
        "{detail}.",
        "Bruk skjemaet fra statuskart uten å gi nytt navn til eller slette arket "
        "«Statuskartlegging».",
    ),
    "id-column-missing": FindingText(
        "error",
        "Arket med sjekklisten er der ({detail}), men ingen kolonne har overskriften «ID», så "
        "svarene kan ikke knyttes til kravene.",
        "Skriv «ID» tilbake som overskrift over kolonnen med krav-ID-ene (for eksempel TSB-01), "
        "eller kopier overskriftsraden fra et tomt skjema.",
    ),
    "missing-column": FindingText(
        "error",
        "Kolonnen «{detail}» mangler i overskriftsraden.",
        "Sett overskriften tilbake (kopier den fra et tomt skjema), eller bruk et nytt skjema.",
    ),
    "front-sheet-missing": FindingText(
        "error",
        "Arket «Forside» finnes ikke i filen (slettet eller gitt nytt navn), så feltene {detail} "
        "kan ikke leses; uten dem kan skjemaet ikke knyttes til enhet og periode.",
        "Legg forsiden tilbake: angre slettingen, gi arket navnet «Forside» igjen, eller kopier "
        "arket fra et tomt skjema og fyll ut feltene.",
    ),
    "unit-type-mismatch": FindingText(
        "error",
        "Skjemaet og enhetstypen på forsiden passer ikke sammen: skjemaet er laget for "
        "enhetstypen {detail}. Skjemaet kan ikke skåres før det er rettet.",
        "Er enhetstypen på forsiden riktig, lag et nytt skjema for den (statuskart template "
        "--unit-type) og flytt svarene over. Er den feil, velg enhetstypen skjemaet er laget for.",
    ),
    "missing-metadata": FindingText(
        "error",
        "Feltet «{detail}» på forsiden er tomt.",
        "Fyll ut feltet. Uten det kan ikke skjemaet knyttes til riktig enhet og periode.",
    ),
    "missing-metadata-optional": FindingText(
        "warning",
        "Feltet «{detail}» på forsiden er tomt.",
        "Fyll ut feltet, så blir rapporten mer fullstendig.",
    ),
    "rhf-inferred": FindingText(
        "info",
        "RHF var ikke fylt ut; statuskart bruker {detail} ut fra helseforetaket.",
        "Fyll ut RHF på forsiden neste gang.",
    ),
    "unknown-unit-type": FindingText(
        "warning",
        "Enhetstypen «{detail}» er ukjent; alle krav regnes som aktuelle.",
        "Velg enhetstype fra listen på forsiden.",
    ),
    "unit-type-not-in-pathway": FindingText(
        "warning",
        "Enhetstypen «{detail}» finnes ikke i dette forløpet; alle krav regnes som aktuelle.",
        "Velg en av forløpets enhetstyper: {choices}.",
    ),
    "unparseable-date": FindingText(
        "warning",
        "«{detail}» kan ikke leses som en dato.",
        "Skriv datoen som dd.mm.åååå, for eksempel 01.02.2026.",
    ),
    "unknown-catalogue": FindingText(
        "error",
        "Skjemaet er laget fra katalogen «{detail}», som statuskart ikke kjenner.",
        "Bruk et skjema laget med «statuskart template», eller oppgi katalogfilen med --catalog.",
    ),
    "catalogue-version-retired": FindingText(
        "warning",
        "Skjemaet er laget fra en utgått katalogversjon ({detail}); radene er matchet på krav-ID.",
        "Bruk et nytt skjema fra gjeldende katalog ved neste kartlegging.",
    ),
    "catalogue-version-unknown": FindingText(
        "warning",
        "Katalogversjonen {detail} er ukjent; radene er matchet på krav-ID mot gjeldende versjon.",
        "Bruk et nytt skjema fra gjeldende katalog.",
    ),
    "missing-stamp": FindingText(
        "warning",
        "Skjemaet mangler det skjulte stempelet med katalog og versjon; statuskart antar {detail} "
        "ut fra krav-ID-ene.",
        "Bruk et skjema laget med «statuskart template» og ikke slett skjulte ark.",
    ),
    "name-invisible": FindingText(
        "warning",
        "Navnet inneholdt usynlige tegn (for eksempel mellomrom uten bredde eller "
        "retningsmerker); de er fjernet, og navnet leses som «{detail}».",
        "Skriv navnet på nytt i cellen, uten å lime det inn fra en nettside eller e-post.",
    ),
    "name-mixed-scripts": FindingText(
        "error",
        "Ordet «{detail}» i navnet blander bokstaver fra ulike alfabeter (for eksempel en "
        "kyrillisk «а» blant latinske bokstaver). Det ser likt ut som et annet navn, men er det "
        "ikke, så skjemaet kan ikke knyttes sikkert til en enhet.",
        "Skriv navnet på nytt med vanlig norsk tastatur.",
    ),
    # --- rows and cells ---
    "requirement-missing": FindingText(
        "warning",
        "Raden for krav {detail} mangler; kravet regnes som ubesvart.",
        "Legg raden tilbake (kopier den fra et tomt skjema) og fyll ut status.",
    ),
    "unknown-id": FindingText(
        "warning",
        "Krav-ID «{detail}» finnes ikke i katalogen; raden er ikke tatt med.",
        "Rett ID-en til en ID fra katalogen, eller slett raden hvis den er lagt til ved en feil.",
    ),
    "row-title-mismatch": FindingText(
        "error",
        "Raden med ID {detail}: ID og krav hører ikke sammen, så svarene på raden er ikke tatt "
        "med for noen av kravene. Er ID-kolonnen sortert alene, eller er en ID limt inn over en "
        "annen?",
        "Angre sorteringen eller innlimingen, eller skriv riktig ID (se tittelen i kolonnen "
        "Krav). Sorter alltid hele rader: merk hele tabellen før du sorterer.",
    ),
    "row-title-changed": FindingText(
        "warning",
        "Tittelen i kolonnen Krav er ikke katalogens tittel for {detail}; svaret er lest som svar "
        "på {detail}.",
        "Sjekk at svarene på raden gjelder {detail}, og sett tittelen tilbake (kopier den fra et "
        "tomt skjema).",
    ),
    "answers-moved": FindingText(
        "error",
        "Svarene i kolonnen {detail} står ikke lenger på kravene de ble skrevet for. Er kolonnen "
        "sortert alene? Skjemaet er ikke tatt med, så ingen svar telles på feil krav.",
        "Angre sorteringen, eller flytt svarene tilbake til riktig krav. Sorter alltid hele "
        "rader: merk hele tabellen før du sorterer.",
    ),
    "answer-pasted": FindingText(
        "warning",
        "Svaret i cellen er klippet ut fra raden til {detail} og limt inn på {choices}; det er "
        "lest som svar på {choices}.",
        "Sjekk at svaret gjelder {choices}. Var det en feil, angre eller flytt det tilbake.",
    ),
    "duplicate-id": FindingText(
        "error",
        "Krav {detail} står på flere rader; statuskart vet ikke hvilken som gjelder.",
        "Slett den ene raden, slik at hvert krav står én gang.",
    ),
    "status-empty": FindingText(
        "warning",
        "Status for {detail} er ikke fylt ut (ubesvart, ikke det samme som «Ikke startet»).",
        "Velg status fra nedtrekkslisten.",
    ),
    "status-invalid": FindingText(
        "error",
        "Status «{detail}» finnes ikke på svarskalaen; kravet regnes som ubesvart, resten av "
        "skjemaet er brukt.",
        "Velg en verdi fra nedtrekkslisten: {choices}.",
    ),
    "status-normalised": FindingText(
        "info",
        "Skrevet «{detail}», tolket som «{choices}».",
        "Velg fra nedtrekkslisten neste gang, så slipper du tolkning.",
    ),
    "na-without-reason": FindingText(
        "warning",
        "{detail} er satt til «Ikke aktuelt» uten begrunnelse.",
        "Skriv i kommentarfeltet hvorfor kravet ikke gjelder for enheten.",
    ),
    "action-without-owner": FindingText(
        "warning",
        "Planlagt tiltak for {detail} har ingen ansvarlig.",
        "Skriv hvem (rolle) som er ansvarlig for tiltaket.",
    ),
    "action-without-due": FindingText(
        "warning",
        "Planlagt tiltak for {detail} har ingen frist.",
        "Skriv en frist (dd.mm.åååå) for tiltaket.",
    ),
    "due-in-past": FindingText(
        "warning",
        "Fristen {detail} er passert, men kravet er ikke implementert.",
        "Sett ny frist, eller oppdater status hvis tiltaket er gjennomført.",
    ),
    "target-invalid": FindingText(
        "warning",
        "Målet for skår «{detail}» er ikke et tall fra 0 til 100; det er ikke tatt med.",
        "Skriv et helt tall fra 0 til 100, eller la feltet stå tomt.",
    ),
    "risk-invalid": FindingText(
        "warning",
        "Risiko «{detail}» er ikke lav, middels eller høy; den er ikke tatt med.",
        "Velg lav, middels eller høy fra nedtrekkslisten.",
    ),
    "too-many-rows": FindingText(
        "warning",
        "Arket har flere enn {detail} rader; bare de første er lest.",
        "Slett tomme eller overflødige rader nederst i arket.",
    ),
    "carried-untouched": FindingText(
        "warning",
        "Ingen av de {detail} svarene som ble overført fra forrige runde er endret, og datoen på "
        "forsiden er den samme: svarene er kanskje ikke gått gjennom.",
        "Gå gjennom svarene merket «Overført», endre det som ikke lenger stemmer, og skriv dagens "
        "dato i Dato på forsiden når svarene er bekreftet.",
    ),
    "carry-record-invalid": FindingText(
        "warning",
        "Opplysningene om hvilke svar som ble overført fra forrige runde (et skjult ark i "
        "skjemaet) {detail}; statuskart kan ikke se hvilke overførte svar som er gått gjennom.",
        "Bruk skjemaet slik det ble sendt ut, uten å kopiere arkene over i en annen fil.",
    ),
    "carry-record-other": FindingText(
        "warning",
        "Opplysningene om hvilke svar som ble overført fra forrige runde, hører til et annet "
        "skjema: de ble laget for {detail}. statuskart kan ikke se hvilke overførte svar som er "
        "gått gjennom.",
        "Bruk skjemaet som ble sendt ut til enheten for denne runden, og la enhet, HF og periode "
        "på forsiden stå som de var. Er noe feil der, si fra til den som samler inn skjemaene.",
    ),
    "duplicate-submission": FindingText(
        "error",
        "Samme enhet og periode er levert i flere filer: {detail}.",
        "Behold bare den gjeldende filen for enheten og perioden.",
    ),
    "period-unrecognised": FindingText(
        "warning",
        "Perioden «{detail}» er ikke på formen ÅÅÅÅ-T1, ÅÅÅÅ-T2 eller ÅÅÅÅ-T3; skjemaet kan ikke "
        "plasseres sikkert i en runde.",
        "Skriv perioden som for eksempel 2026-T1. Ligger filen i en periodemappe, brukes mappens "
        "periode.",
    ),
    "period-folder-mismatch": FindingText(
        "warning",
        "Perioden i skjemaet ({detail}) stemmer ikke med mappen filen ligger i.",
        "Rett perioden på forsiden, eller flytt filen til riktig mappe.",
    ),
}

# Audience builds (build --audience / --unit)
UNKNOWN_AUDIENCE = "Ukjent målgruppe «{name}». Velg en av: {known}."
UNIT_AUDIENCE_NEEDS_UNIT = "Målgruppen «enhet» krever --unit med enhetens navn."
UNIT_NOT_FOUND = (
    "Fant ingen enhet som heter «{unit}» i skjemaene. Skriv enhetens navn slik det står på "
    "forsiden, eventuelt «HF/enhet»."
)
UNIT_AMBIGUOUS = (
    "«{unit}» passer på flere enheter: {matches}. Oppgi helseforetaket også, for eksempel "
    '--unit "HF/enhet" eller --hf HF --unit enhet.'
)
HF_NEEDS_UNIT = "--hf brukes sammen med --unit for å velge én enhet."
BLANK_SELECTOR = (
    "{option} er tom (eller bare tegnsetting og usynlige tegn). Skriv navnet på enheten eller "
    "helseforetaket; uten --unit bygges rapporten for alle enheter."
)
UNKNOWN_PERIOD = "Ukjent periode"
UNIT_SITE_NAME = "{unit} – statuskartlegging"
UNIT_REPORT = "Enhetsrapport – statuskartlegging"
REDACTED_PLAN = "Enheten har planlagt et eget tiltak (teksten er utelatt i denne utgaven)."
REGIONAL_NOTE = (
    "Dette er den regionale utgaven. Enhetenes kommentarer, planlagte tiltak, ansvarlige og "
    "hvem som fylte ut skjemaet er utelatt, fordi skjemaet er laget for enhetenes interne bruk. "
    "Skår, nivå, status, frister, utvikling og datakvalitet er med, og det står hvor en enhet "
    "har planlagt et eget tiltak eller har en ansvarlig; teksten står bare i enhetens egen utgave. "
    "Tiltakene som vises, er katalogens forslag."
)
UNIT_NOTE = (
    "Denne rapporten gjelder bare enheten «{unit}». Andre enheter og sammenligninger med dem er "
    "utelatt."
)

# Registry of expected units (enheter.yaml / enheter.xlsx)
REGISTRY_MISSING = "Finner ikke enhetsregisteret {file}."
REGISTRY_UNREADABLE = "Kan ikke lese enhetsregisteret {file}: {error}"
REGISTRY_SHAPE = (
    "Enhetsregisteret {file} har feil form: det skal ha en liste «enheter» (YAML) eller en "
    "overskriftsrad med RHF, HF og Enhet (Excel)."
)
REGISTRY_ENTRY = "Enhetsregisteret {file}, enhet nr. {entry}: mangler {fields}."
REGISTRY_DEADLINE = "Enhetsregisteret {file}: fristen for {period} («{value}») er ikke en dato."

# --- site safety ---------------------------------------------------------------------------------
OUTPUT_FOREIGN = (
    "Mappen {path} finnes og er ikke et nettsted laget av statuskart, så den blir ikke erstattet. "
    "Velg en ny eller tom mappe med -o, for eksempel -o site."
)
OUTPUT_NOT_A_FOLDER = "{path} er en fil, ikke en mappe. Velg en mappe for nettstedet med -o."
OUTPUT_SYMLINK = (
    "{path} er en snarvei (symbolsk lenke). Oppgi mappen den peker til, eller en ny mappe, med -o."
)
OUTPUT_OVERLAPS_INPUT = (
    "Nettstedsmappen {path} {relation} {input}, som statuskart leser fra, og blir ikke skrevet. "
    "Velg en egen mappe med -o, for eksempel -o site."
)
OUTPUT_RELATIONS = {"same": "er det samme som", "inside": "ligger inni", "contains": "inneholder"}
OUTPUT_LOCKED = (
    "Et annet bygg skriver allerede til {path}. Vent til det er ferdig, eller velg en annen mappe "
    "med -o."
)
INTERRUPTED = "Avbrutt."
SITE_CONFIG_MISSING = "Finner ikke nettstedsoppsettet {file}."
SITE_CONFIG_TOO_LARGE = (
    "Nettstedsoppsettet {file} er større enn {limit} kB. Det skal bare ha noen få innstillinger."
)
SITE_CONFIG_TAG = (
    "Nettstedsoppsettet {file}, linje {line}: YAML-taggen «{tag}» er ikke tillatt. Innstillingene "
    "leses som rene data; skriv verdien rett inn."
)
SITE_CONFIG_ALIAS = (
    "Nettstedsoppsettet {file}, linje {line}: YAML-ankre og -aliaser (& og *) er ikke tillatt. "
    "Skriv verdien ut der den brukes."
)
SITE_CONFIG_REFUSED = (
    "Nettstedsoppsettet {file}: {keys} er ikke tillatt. Nettstedet skal ikke kjøre kode eller "
    "hente noe utenfra, så bare disse innstillingene kan brukes: {allowed}."
)
SITE_CONFIG_VALUE = "Nettstedsoppsettet {file}: «{key}» {problem}."
SITE_CONFIG_PATH = "Nettstedsoppsettet {file}: «{key}» = «{value}» {problem}."
SITE_FILE_UNSAFE = (
    "{path}, linje {line} (fra «{key}» i {file}): {found}. Egne sider og stilark kan bruke vanlig "
    "tekst, tabeller, lenker og bilder fra dokumentmappen; nettstedet skal virke uten nett og "
    "kjøre bare statuskarts egen kode."
)
TEMPLATE_UNSAFE = (
    "Sidemalen {file} (brukt for {page}): {found}. Sidemaler kan skrive det en side kan inneholde "
    "(tekst, tabeller, lenker, bilder fra nettstedet og statuskarts diagrammer), men ikke skript, "
    "hendelsesattributter eller noe som hentes utenfra."
)
TEMPLATE_SANDBOX = (
    "Sidemalen {file}, linje {line}, prøver å bruke {what}, utenfor malens sandkasse. Sidemaler "
    "kan bare bruke tallene og tekstene statuskart gir dem; de kan ikke kjøre kode eller lese "
    "filer."
)
TEMPLATE_SANDBOX_NAME = "«{name}»"
TEMPLATE_SANDBOX_ANY = "noe"
TEMPLATE_CRASHED = "Sidemalen {file}, linje {line}, stoppet da {page} ble fylt ut: {error}"
TEMPLATE_CRASH_KINDS: tuple[tuple[type[BaseException], str], ...] = (
    (ZeroDivisionError, "deling på null"),
    (OverflowError, "et tall eller en rekke er for stor"),
    (RecursionError, "malen kaller seg selv for mange ganger"),
    (LookupError, "finner ikke elementet eller nøkkelen"),
    (TypeError, "en verdi har feil type"),
)
TEMPLATE_CRASH_OTHER = "en verdi er ugyldig"
TEMPLATE_OUTSIDE = "Sidemalen «{name}» i {folder} peker ut av malmappen (lenke til {target})."
SAFE_META_KEY = "«{key}» i sidehodet er ikke tillatt (bare «title»)"
SAFE_META_TITLE = 'tittelen i sidehodet må være tekst uten HTML (tegnene < > og ")'
SAFE_ELEMENT = "elementet <{tag}> er ikke tillatt"
SAFE_ATTRIBUTE = "attributtet «{attribute}» på <{tag}> er ikke tillatt"
SAFE_LINK = "lenken «{value}» bruker en adressetype som ikke er tillatt"
SAFE_LOADS = "«{attribute}» på <{tag}>: {problem}"
SAFE_STYLE = "stilen på <{tag}>: {problem}"
SAFE_INPUT_TYPE = "feltet <input type=«{value}»> er ikke tillatt"
SAFE_CHANGED = "innholdet ville blitt endret av rensingen av HTML"
SAFE_ADDRESS_EMPTY = "adressen er tom"
SAFE_ADDRESS_REMOTE = "«{value}» hentes utenfra (bare relative stier til filer i dokumentmappen)"
SAFE_ADDRESS_OUTSIDE = "«{value}» peker ut av {docs}"
SAFE_ADDRESS_MISSING = "«{value}» finnes ikke i {docs}"
SAFE_ADDRESS_KIND = "«{value}» er ikke et bilde eller en skrift ({suffixes})"
SAFE_STYLE_NO_URL = "adresser er ikke tillatt i style-attributter"
SAFE_CSS_AT_RULE = "regelen «@{name}» er ikke tillatt"
SAFE_CSS_FUNCTION = "funksjonen «{name}()» er ikke tillatt"
SAFE_CSS_URL = "url(): {problem}"
SAFE_CSS_PROPERTY = "egenskapen «{name}» er ikke tillatt"
SAFE_CSS_SYNTAX = "CSS-feil ({problem})"
SITE_NOT_A_MAPPING = "innholdet er ikke en liste med innstillinger (nøkkel: verdi)"
SITE_ONLY_MATERIAL = "kan bare være «material» (statuskart velger temaet selv)"
SITE_NOT_TEXT = "må være tekst"
SITE_NO_HTML = 'kan ikke inneholde HTML (tegnene < > og ")'
SITE_NOT_LIST = "må være en liste"
SITE_BAD_PALETTE = (
    "må bruke Material-fargenavn som primary: indigo og accent: teal (se Brukerveiledning, "
    "«Nettstedets innstillinger»)"
)
SITE_BAD_NAV = "må være sider på formen «- Tittel: side.md» eller «- side.md»"
SITE_PATH_URL = "er en nettadresse; bare filer i {docs} er tillatt"
SITE_PATH_ABSOLUTE = "er en absolutt sti; oppgi en sti inni {docs}"
SITE_PATH_ESCAPES = "peker ut av {docs}"
SITE_PATH_MISSING = "finnes ikke i {docs}"
SITE_PATH_SUFFIX = "må være en {suffix}-fil"
PORT_IN_USE = (
    "Kan ikke starte forhåndsvisningen på {address}: porten er i bruk. Avslutt det andre "
    "programmet, eller velg en annen port, for eksempel --addr 127.0.0.1:8001."
)
SERVE_FAILED = "Kan ikke starte forhåndsvisningen på {address}: {error}."
BAD_ADDRESS = (
    "«{address}» er ikke en adresse med port. Skriv for eksempel --addr 127.0.0.1:8000 "
    "(porten er et tall fra 0 til 65535)."
)
SERVING_ON_NETWORK = (
    "ADVARSEL: Forhåndsvisningen på {address} kan åpnes av alle som når denne maskinen over "
    "nettverket, og den viser {what}. Bruk --addr 127.0.0.1:8000 for å se den bare selv."
)
SERVING_SHOWS = {
    "intern": "alt, også enhetenes kommentarer og tiltak (intern målgruppe)",
    "region": "skårer og status uten fritekst (målgruppe region)",
    "enhet": "rapporten for én enhet, med enhetens egen tekst",
}
BAD_SOURCE_DATE_EPOCH = (
    "Miljøvariabelen SOURCE_DATE_EPOCH er «{value}». Den må være et helt antall sekunder siden "
    "1.1.1970 (for eksempel 1767225600), eller fjernes."
)
PREVIEW_INPUT_GONE = (
    "Finner ikke {path} lenger (frakoblet nettverksmappe?). Forhåndsvisningen venter og fortsetter "
    "når mappen er tilbake."
)
PREVIEW_INPUT_BACK = "{path} er tilbake; forhåndsvisningen følger med på endringer igjen."
TEMPLATES_DIR_MISSING = "Finner ikke malmappen {path} (--templates)."
TEMPLATE_SYNTAX = "Sidemalen {file}, linje {line}: {error}"
TEMPLATE_NOT_FOUND = "Finner ikke sidemalen «{name}» (brukt av {page})."
TEMPLATE_FAILED = "Sidemalen {page} kunne ikke fylles ut: {error}"
# --- file safety ---
# Writing: never over a user's file
OUTPUT_EXISTS = "{path} finnes allerede. {hint}"
OUTPUT_EXISTS_MANY = (
    "{path} finnes allerede ({n} av filene som skulle skrives, finnes fra før). {hint}"
)
TEMPLATE_EXISTS_HINT = (
    "statuskart skriver aldri over en fil. Velg et annet filnavn med -o, eller flytt eller slett "
    "den gamle filen først."
)
SAMPLE_EXISTS_HINT = (
    "statuskart skriver aldri over skjema eller enhetsregister. Velg en tom mappe med -o, eller "
    "flytt eller slett de gamle filene først."
)
ANNOTATE_FAILED = "Kunne ikke lage kommentert kopi av {path}: {reason}"
ANNOTATE_UNREADABLE = "filen kunne ikke åpnes for kommentering ({error})"
ANNOTATE_WOULD_OVERWRITE = "kopien {target} ville ha erstattet en av filene som ble lest"
ANNOTATE_NOTE_HEADING = "Fra statuskart:"

# Collecting inputs: every file read once or listed as skipped
SKIPPED = "Hoppet over {path}: {reason}"
SKIP_EXCEL_LOCK = "Excels låsefil for et åpent dokument, ikke et skjema"
SKIP_LIBREOFFICE_LOCK = "LibreOffices låsefil for et åpent dokument, ikke et skjema"
SKIP_MACOS_FORK = "macOS-tilleggsfil («._»), ikke et skjema"
SKIP_BROKEN_LINK = "lenken peker på en fil som ikke finnes"
SKIP_NOT_A_FILE = "ikke en vanlig fil (en enhet eller et rør med regnearknavn)"
SKIP_REGISTRY = "enhetsregisteret, ikke et skjema"
SKIP_ANNOTATED = "kommentert kopi laget av statuskart validate --annotate, ikke et skjema"
SKIP_ROUND_SUMMARY = "oversikten statuskart runde skrev over rundens skjema, ikke et skjema"
SKIP_NO_FOLDER_ACCESS = "ingen lesetilgang til mappen; filene i den er ikke lest"
SKIP_LINK_OUTSIDE = "snarvei (symbolsk lenke) til et sted utenfor mappen som ble oppgitt; ikke lest"
SKIP_SAME_FILE = "samme fil som {other} (en hard lenke eller snarvei); lest én gang"
NOT_A_REGULAR_FILE = "ikke en vanlig fil"
FINDINGS["no-read-access"] = FindingText(
    "error",
    "Filen kan ikke leses: ingen lesetilgang.",
    "Be eieren av filen eller IT om lesetilgang, eller kopier filen til en mappe du kan lese.",
)

# Hostile catalogues and registers
YAML_ALIAS = "YAML-aliaser (*navn) er ikke tillatt (linje {line}); skriv verdien ut i stedet"
YAML_TOO_DEEP = "for dypt nøstet YAML (linje {line})"
YAML_BAD_DATE = (
    "«{value}» er ikke en gyldig dato (linje {line}); skriv en dato som finnes, åååå-mm-dd"
)
YAML_SURROGATE = "ugyldig tegn i tekst (en ensom surrogat-escape som «\\ud800», linje {line})"
YAML_SYNTAX = "ikke gyldig YAML (linje {line})"
YAML_BAD_CHARACTER = "filen inneholder et kontrolltegn som ikke er tillatt i YAML ({code})"
YAML_TOO_LARGE = "filen er {mb:.0f} MB; grensen er {limit} MB"
YAML_NOT_UTF8 = "filen er ikke gyldig UTF-8-tekst (linje {line}); lagre den som UTF-8"
CATALOG_TOO_MANY = "katalogen har {n} krav; grensen er {limit}"
# --- performance ---
FINDINGS["reader-crashed"] = FindingText(
    "error",
    "Lesingen av filen stoppet uventet ({detail}), så skjemaet kunne ikke kontrolleres.",
    "Åpne filen i Excel eller LibreOffice og lagre den på nytt som .xlsx. Hvis feilen kommer "
    "igjen, send filen til den som drifter statuskart.",
)
PROGRESS_BUILDING = "Bygger rapporten"
STAGE_NAMES = {
    "read": "lesing",
    "validate": "kontroll",
    "score": "skåring",
    "report": "rapportmodell",
    "pages": "Markdown-sider",
    "downloads": "nedlastinger",
    "downloads-parallel": "nedlastinger (samtidig med sidene og MkDocs)",
    "mkdocs": "MkDocs",
}
BUILD_STAGES = "Tid per trinn: {stages}. Mest tid gikk til {slowest} ({share})."
DOWNLOADS_FAILED = "Nedlastingene kunne ikke skrives: {error}. Det gamle nettstedet er beholdt."
DOWNLOADS_UNEXPECTED = "uventet feil ({error})"
DOWNLOADS_WRITER_GONE = "prosessen som skrev dem, stoppet uventet"
SHARE_GONE = "en av prosessene som lagde sidene, stoppet uventet"

# --- catalogues ---
PATHWAY_HELP = "Forløp (katalog-ID): {ids}."
UNIT_TYPE_HELP = (
    "Forhåndsutfylt enhetstype: {types} (bare forløpets egne enhetstyper). Store og små "
    "bokstaver og mellomrom spiller ingen rolle, og skjemaet tar da bare med kravene som "
    "gjelder for den typen."
)


def or_list(items: list[str]) -> str:
    """«a, b eller c»: a bokmål list for help texts."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} eller {items[-1]}"


# --- skjema ---
FRONT_UNIT_TYPE_HELP = "Velg fra listen (enhetstypene i dette forløpet): {types}"
"""The front sheet's Enhetstype hint, per pathway (TSB has avrusning; BUP and PHV do not)."""
TEMPLATE_UNIT_TYPE_NOTE = (
    " Skjemaet er laget for enhetstypen «{unit_type}»: {left_out} krav som ikke gjelder "
    "for denne enhetstypen, er utelatt."
)
ANNOTATE_XLSX_ONLY = (
    "kommentert kopi lages bare for .xlsx-filer, og dette er {kind}; funnene over gjelder "
    "likevel. Lagre filen som .xlsx for å få en kommentert kopi"
)
FINDINGS["stamp-from-fallback"] = FindingText(
    "warning",
    "Det skjulte arket med stempelet mangler; katalog og versjon ({detail}) er lest fra "
    "arbeidsbokens egenskaper i stedet.",
    "Bruk et skjema laget med «statuskart template» og ikke slett skjulte ark.",
)

# --- registry figures ---
CATALOG_INDICATORS_LIST = "krav {rid}: indicators må være en liste"
CATALOG_INDICATOR_ID = "krav {rid}: hver indikator i indicators må ha en id"
CATALOG_INDICATOR_TARGET = (
    "krav {rid}: indikatorens target «{value}» må være et tall fra 0 til 100 for prosent, "
    "ellers et tall fra 0 og opp (unit: {unit})"
)
CATALOG_INDICATOR_DIRECTION = (
    "krav {rid}: indikatorens direction «{value}» må være «høyere er bedre» eller «lavere er bedre»"
)
CATALOG_INDICATOR_UNIT = (
    "krav {rid}: indikatorens unit «{value}» må være «prosent», «dager» eller «antall»"
)
CATALOG_INDICATOR_URL = "krav {rid}: indikatorens url «{value}» må begynne med https://"
SKIP_INDICATORS = "registertall (indikatorfil), ikke et skjema"
INDICATORS_MISSING = "Finner ikke indikatorfilen {file}"
NATIONAL_NAMES = ("hele landet", "landet", "norge", "nasjonalt", "nasjonal")
"""What the RHF or HF column says for a national figure."""
NATIONAL_PLACE = "Hele landet"
NKI_SOURCE = "Helsedirektoratet, nasjonale kvalitetsindikatorer"
FIGURE_FLAG_SIDE = {"høyere er bedre": "under målet på", "lavere er bedre": "over målet på"}
"""Which side of the target the figure is on: a share under 80 %, a fristbrudd share over it."""
FIGURE_FLAG_GROUP = (
    "{share} av enhetene ({implemented} av {answered}) oppgir «{title}» som implementert, mens "
    "registeret viser {value} for {period}, {side} {target}. Hva forklarer forskjellen: "
    "er praksisen ikke på plass i alle forløp, eller blir forløpene registrert på en annen måte?"
)
FIGURE_FLAG_HF = (
    "{share} av helseforetakene ({implemented} av {answered}) oppgir «{title}» som implementert, "
    "mens registeret viser {value} for {period}, {side} {target}. Hva forklarer "
    "forskjellen: er praksisen ikke på plass i alle forløp, eller blir forløpene registrert på en "
    "annen måte?"
)
FIGURE_FLAG_UNIT = (
    "Enheten oppgir «{title}» som implementert, mens registeret viser {value} for {period}, "
    "{side} {target}. Hva forklarer forskjellen: er praksisen ikke på plass i alle forløp, eller "
    "blir forløpene registrert på en annen måte?"
)
SAMPLE_INDICATOR_TITLE = (
    "OPPDIKTEDE TALL – laget av statuskart sample for å vise funksjonen. Ikke fra noe register."
)
SAMPLE_INDICATOR_SOURCE = "Eksempeltall (oppdiktet)"
SAMPLE_INDICATOR_CAVEAT = "Oppdiktet tall. Eksempel på forbehold: data mangler for én måned."
FINDINGS["indicator-unreadable"] = FindingText(
    "error",
    "Indikatorfilen kan ikke leses ({detail}).",
    "Lagre tabellen som .xlsx eller .csv (UTF-8), eller last ned NKI-filen på nytt som JSON.",
)
FINDINGS["indicator-no-header"] = FindingText(
    "error",
    "Fant ikke overskriftsraden i indikatortabellen; det mangler kolonner: {detail}.",
    "Gi tabellen en overskriftsrad med minst Krav, Periode, Verdi og Kilde, og RHF, HF eller "
    "Enhet for stedet (se Brukerveiledning, «Registertall»).",
)
FINDINGS["indicator-unknown-requirement"] = FindingText(
    "warning",
    "Kravet «{detail}» finnes ikke i kravkatalogene for forløpene i rapporten, så raden er ikke "
    "brukt.",
    "Skriv krav-ID-en slik den står i skjemaet, for eksempel TSB-08.",
)
FINDINGS["indicator-unknown-place"] = FindingText(
    "warning",
    "Stedet «{detail}» har ingen enheter i denne rapporten, så raden er ikke brukt.",
    "Skriv RHF, HF og enhet slik de står på forsiden av enhetenes skjema.",
)
FINDINGS["indicator-no-place"] = FindingText(
    "warning",
    "Raden sier ikke hvor tallet gjelder (RHF, HF eller enhet er tomme), så den er ikke brukt.",
    "Fyll inn HF (og enhet for tall per enhet), eller «Hele landet» for et nasjonalt tall.",
)
FINDINGS["indicator-bad-value"] = FindingText(
    "warning",
    "Verdien «{detail}» er ikke et tall i måleenheten (en andel i prosent er fra 0 til 100, dager "
    "og antall fra 0 og opp), så raden er ikke brukt.",
    "Skriv verdien som et tall, for eksempel 52,3 eller 52,3 % for en andel og 33 for dager.",
)
FINDINGS["indicator-bad-direction"] = FindingText(
    "warning",
    "Retningen «{detail}» er ukjent, så raden er ikke brukt.",
    "Skriv «høyere er bedre» eller «lavere er bedre» i kolonnen Retning, eller la cellen stå tom.",
)
FINDINGS["indicator-bad-unit"] = FindingText(
    "warning",
    "Måleenheten «{detail}» er ukjent, så raden er ikke brukt.",
    "Skriv «prosent», «dager» eller «antall» i kolonnen Måleenhet, eller la cellen stå tom.",
)
FINDINGS["indicator-no-data"] = FindingText(
    "info",
    "Registeret har ingen data for denne raden ({detail}), så den er ikke brukt.",
    "Ingenting å rette: verdien −10 000 000 betyr «ingen data» i Helsedirektoratets filer.",
)
FINDINGS["indicator-bad-count"] = FindingText(
    "warning",
    "Teller og nevner ({detail}) er ikke hele tall der telleren er høyst nevneren; n er utelatt.",
    "Skriv antall forløp som hele tall: teller = forløp innenfor, nevner = alle forløp.",
)
FINDINGS["indicator-count-mismatch"] = FindingText(
    "warning",
    "Verdien og teller/nevner stemmer ikke overens ({detail}); verdien er vist som den står.",
    "Kontroller at verdien er teller delt på nevner, i prosent.",
)
FINDINGS["indicator-no-period"] = FindingText(
    "warning",
    "Raden mangler periode, så den er ikke brukt.",
    "Skriv perioden, for eksempel 2026-T1 eller 2025.",
)
FINDINGS["indicator-no-source"] = FindingText(
    "warning",
    "Raden mangler kilde, så den er ikke brukt: et tall uten kilde kan ikke vises.",
    "Skriv hvor tallet kommer fra, for eksempel «NPR, Helsedirektoratet» eller HF-ets BI-rapport.",
)
FINDINGS["indicator-duplicate"] = FindingText(
    "warning",
    "Samme sted, krav, periode og kilde står flere ganger ({detail}); bare den første raden er "
    "brukt.",
    "Fjern de doble radene.",
)
FINDINGS["indicator-unmapped"] = FindingText(
    "info",
    "Indikatoren «{detail}» er ikke koblet til noe krav i kravkatalogen, så radene er ikke brukt.",
    "Legg indikatoren under «indicators:» på kravet den måler i katalogfilen (se "
    "Brukerveiledning, «Registertall»).",
)
FINDINGS["indicator-measure-type"] = FindingText(
    "info",
    "Rader med måltypen «{detail}» er ikke brukt: bare andeler i prosent, dager og antall vises "
    "ved kravene.",
    "Ingenting å rette hvis indikatoren også finnes som andel, i dager eller som antall.",
)
FINDINGS["indicator-other-unit"] = FindingText(
    "info",
    "Rader i måleenheten «{detail}» er ikke brukt: katalogen kobler indikatoren til kravet i en "
    "annen måleenhet.",
    "Ingenting å rette hvis filen også har tallene i katalogens måleenhet (se «indicators:» i "
    "kravkatalogen).",
)
FINDINGS["indicator-places-outside"] = FindingText(
    "info",
    "Rader for steder uten enheter i denne rapporten er ikke brukt: {detail}.",
    "Ingenting å rette: NKI-filen gjelder hele landet, rapporten bare enhetene som har levert.",
)

# --- catalogue versions ---
TEMPLATE_VERSION_HELP = "Katalogversjon skjemaet lages fra (standard: gjeldende versjon)."
UNKNOWN_CATALOGUE_VERSION = (
    "Forløpet «{pathway}» har ingen katalogversjon «{version}». Kjente versjoner: {known}."
)
VERSION_CHANGE_LABELS = {
    "added": "Nytt krav",
    "removed": "Fjernet krav",
    "reworded": "Ny ordlyd",
    "time": "Endret forløpstid",
    "priority": "Endret prioritet",
    "scope": "Endret hvem som svarer",
    "unit_types": "Endret enhetstyper kravet gjelder for",
}
"""Kinds from catalog/changes.py, as the unit and requirement pages name them."""
PURPOSE_SOURCE = (
    "https://www.helsedirektoratet.no/pakkeforlop/somatisk-helse-og-levevaner-ved-psykiske-"
    "lidelser-og-eller-rusmiddelproblemer/om-pakkeforlopet"
)
"""Helsedirektoratet's words on what a statuskartlegging is for (read 06.12.2026)."""
PURPOSE_TITLE = "Hva kartleggingen er til for"
PURPOSE_NOTE = (
    "Statuskartleggingen er enhetens egen vurdering av hvor langt forløpet er tatt i bruk, "
    "laget for å planlegge tiltak og se risiko i eget forbedringsarbeid. Helsedirektoratet skriver "
    "at den skal støtte lokal implementering, og at resultatet ikke skal rapporteres ut av "
    "virksomheten. Sammenligningen mellom enheter, helseforetak og regioner er for at RHF og HF "
    "skal se hvor det trengs støtte og hvem som kan lære av hvem; den er ikke en kvalitetsmåling, "
    "ikke en rangering og ikke grunnlag for styring av enkeltenheter."
)
"""Shown on Metode, every regional page and the skjema's Veiledning (issue #28 point 6)."""
SCOPE_LABELS = {"enhet": "hver enhet", "hf": "helseforetaket (én gang)"}
"""Who answers a requirement (scope), for change lists and requirement pages."""
HF_ROW_APPLIES = "Besvares av HF: bare enheten som svarer for helseforetaket fyller ut raden"
"""The skjema's «Gjelder for» cell on an HF row (scope: hf)."""
HF_ROW_GUIDE = (
    "Grå rader gjelder helseforetaket som helhet og besvares én gang for HF-et, av enheten som "
    "er utpekt til å svare for helseforetaket. Andre enheter kan la dem stå tomme; svarene teller "
    "ikke i enhetens skår."
)

# --- skjema local ---
SKJEMA_SECONDARY_SOURCE = "(sekundærkilde)"
SKJEMA_LOCAL_PHASE = "Eget krav"
SKJEMA_LOCAL_NOTE = (
    "Enhetens egne, lokale krav: skriv krav og beskrivelse, og fyll ut resten som for kravene "
    "over. De vises på enhetens side, men teller ikke i skåren."
)
SKJEMA_GUIDE_LINES = (
    (
        "Andel innen forløpstid",
        "For krav med forløpstid kan enheten skrive hvor stor andel av pasientene som fikk "
        "dette innen forløpstiden, for eksempel 80 %. Feltet er valgfritt, er grått for krav "
        "uten forløpstid og teller ikke i skåren.",
    ),
    (
        "Egne krav",
        "Under kravene fra katalogen er det plass til egne, lokale krav (EGEN-1, EGEN-2 …). "
        "Skriv krav og beskrivelse, og fyll ut status, tiltak, ansvarlig og frist som for de "
        "andre. Egne krav vises på enhetens side, men teller ikke i skåren og sammenlignes ikke "
        "med andre enheter.",
    ),
    (
        "Kilde",
        "Kolonnen Kilde viser hvor kravet kommer fra; lenken går til kildesiden. Kravene er "
        "skrevet med egne ord ut fra kilden. Kilde: Helsedirektoratet, nasjonale forløp for "
        "psykisk helse og rus, tilgjengeliggjort under Norsk lisens for offentlige data (NLOD). "
        "Kilder merket «(sekundærkilde)» er ikke Helsedirektoratets egne sider.",
    ),
    (
        "Lange svar",
        "Raden blir høyere av seg selv når du skriver et langt svar. Vises ikke hele teksten, "
        "gjør raden høy nok: i Excel dobbeltklikker du på streken under radnummeret (eller "
        "Hjem › Format › Autotilpass radhøyde); i LibreOffice velger du Format › Rader › "
        "Optimal høyde.",
    ),
)


class InputHelp(NamedTuple):
    """What a validated skjema cell says when selected, and when it refuses a value."""

    title: str
    prompt: str
    error_title: str
    error: str


SKJEMA_INPUT_HELP = {
    "status": InputHelp(
        "Status",
        "Velg fra listen hvor langt enheten har kommet med kravet. Svarskalaen er forklart på "
        "arket «Veiledning».",
        "Ugyldig status",
        "Velg en verdi fra listen: {choices}",
    ),
    "risk": InputHelp(
        "Risiko",
        "Velg fra listen hvor stor risikoen er for at kravet ikke blir gjennomført: {choices}.",
        "Ugyldig risiko",
        "Velg en verdi fra listen: {choices}",
    ),
    "due": InputHelp(
        "Frist",
        "Skriv fristen for tiltaket som dd.mm.åååå, for eksempel 01.02.2026.",
        "Ugyldig frist",
        "Skriv fristen som en dato, for eksempel 01.02.2026.",
    ),
    "share": InputHelp(
        "Andel innen forløpstid",
        "Valgfritt: skriv andelen av pasientene som fikk dette innen forløpstiden, i prosent, "
        "for eksempel 80 %. Grått felt: kravet har ingen forløpstid.",
        "Ugyldig andel",
        "Andelen må være fra 0 % til 100 %. Skriv tallet med prosenttegn, for eksempel 80 %.",
    ),
    "unit_type": InputHelp(
        "Enhetstype",
        "Velg fra listen: {choices}.",
        "Ugyldig enhetstype",
        "Velg en verdi fra listen: {choices}",
    ),
    "date": InputHelp(
        "Dato",
        "Skriv datoen skjemaet fylles ut, som dd.mm.åååå, for eksempel 01.02.2026.",
        "Ugyldig dato",
        "Skriv en dato, for eksempel 01.02.2026.",
    ),
    "target": InputHelp(
        "Mål for skår",
        "Valgfritt: skriv skåren enheten vil nå ved neste runde, et tall fra 0 til 100, for "
        "eksempel 75.",
        "Ugyldig mål",
        "Målet må være et tall fra 0 til 100, for eksempel 75.",
    ),
}
"""Input and error messages of the skjema's validated cells, by column or front-sheet field key.
Excel shows at most 32 characters of a title and 255 of a message (workbook/input_help.py)."""
SKJEMA_LIST_UNFIT = (
    "Valgene {choices} passer ikke i en nedtrekksliste i Excel ({length} tegn, høyst 255, og "
    "ingen komma eller anførselstegn i et valg). Gi trinnene i svarskalaen kortere navn."
)
SKJEMA_CHOICES_TOO_LONG = "Velg en verdi fra listen."
"""The error of a list too long to name in Excel's 255 characters (a catalogue's own scale)."""
FINDINGS["share-invalid"] = FindingText(
    "warning",
    "Andelen innen forløpstid «{detail}» er ikke et tall fra 0 til 100 %; den er ikke tatt med.",
    "Skriv andelen som prosent, for eksempel 80 %, eller la feltet stå tomt.",
)
FINDINGS["share-format-unknown"] = FindingText(
    "warning",
    "Andelen innen forløpstid «{detail}» kan ikke leses sikkert: filen viser ikke om cellen er "
    "formatert som prosent (i en prosentcelle er 80 det samme som 8000 %). Den er ikke tatt med.",
    "Lagre skjemaet som .xlsx eller .ods og send det på nytt.",
)
FINDINGS["share-without-time-limit"] = FindingText(
    "warning",
    "Kravet {detail} har ingen forløpstid, så andelen innen forløpstid er ikke tatt med.",
    "La feltet for andel stå tomt for krav uten forløpstid.",
)

# --- PROCESSES AND LEFTOVERS ---
BAD_START_METHOD = (
    "{env}={value} er ikke en måte denne maskinen kan starte prosesser på. Bruk en av: {known}, "
    "eller fjern variabelen."
)
LEFTOVERS_REMOVED = "Ryddet etter et bygg som ble avbrutt: fjernet {what}."
LEFTOVER_KINDS = {
    "staging": "halvferdig nettsted {path}",
    "backup": "sikkerhetskopi {path}",
    "lock": "gammel låsefil {path}",
    "temp": "midlertidig mappe {path}",
}
LEFTOVER_RESTORED = (
    "Et bygg ble avbrutt mens nettstedet ble byttet ut; det forrige nettstedet er lagt tilbake "
    "fra {path}."
)

# --- CACHE ---
BAD_CACHE_LIMIT = (
    "{env}={value} er ikke et antall megabyte. Skriv et helt tall, for eksempel 500, eller fjern "
    "variabelen (standard 1000)."
)
CACHE_USAGE = (
    "Hurtigbuffer: {folder}\n"
    "Størrelse: {size} MB ({reports} og {sites}).\n"
    "Grense: {limit} MB ({env}); det som ikke er brukt på {days} dager, fjernes etter hvert bygg."
)
CACHE_CLEARED = "Tømte hurtigbufferen {folder}: {size} MB frigjort."
CACHE_HELP = (
    "Vis hvor hurtigbufferen ligger og hvor mye den tar (--clear: tøm den; bare statuskarts "
    "egne mapper i den fjernes)."
)


# The next round's pre-filled skjema (workbook/carry.py, pipeline/next_round.py, cli «neste-runde»).
CARRIED_COLUMN = "Overført fra forrige runde"
CARRIED_NOTE = "Overført fra {period}: bekreft eller endre svaret."
CARRIED_CHANGED = "Kravet er endret – se over svaret. {what}"
CARRIED_DUE_PASSED = (
    "Fristen {due} er passert: sett ny frist, eller sett status hvis tiltaket er gjennomført."
)
CARRIED_GUIDE_TITLE = "Svar overført fra forrige runde"
CARRIED_GUIDE_LINES = (
    (
        "Overført",
        "Svarene fra {period} er fylt inn og merket med blå bakgrunn, og kolonnen «Overført fra "
        "forrige runde» sier hva du må se på.",
    ),
    (
        "Bekreft",
        "Gå gjennom hvert overført svar. Stemmer det fortsatt, lar du det stå. Når alle svarene "
        "er gått gjennom, skriver du dagens dato i Dato på forsiden: det bekrefter svarene du "
        "ikke har endret.",
    ),
    (
        "Endre",
        "Stemmer et svar ikke lenger, skriver du over det, som i et tomt skjema. Slett ikke raden. "
        "En celle du har endret, blir gul igjen.",
    ),
    (
        "Kravet er endret",
        "Er kravet endret siden svaret ble gitt, står det «Kravet er endret – se over svaret» og "
        "hva som er endret. Svaret gjaldt det gamle kravet: se særlig over status og tiltak.",
    ),
    (
        "Frist passert",
        "Er fristen for et tiltak passert, er fristen merket oransje. Sett en ny frist, eller "
        "oppdater status hvis tiltaket er gjennomført.",
    ),
    (
        "Nye krav",
        "Krav som er nye i denne runden, har ikke noe overført svar og må fylles ut.",
    ),
)
CARRIED_REMOVED_TITLE = "Krav som er tatt ut"
CARRIED_REMOVED_NOTE = (
    "Disse kravene er ikke lenger med. Svaret fra forrige runde står her til orientering."
)
CARRIED_REMOVED_ANSWER = "Forrige svar: {answer}"
CARRIED_NO_ANSWER = "ikke besvart"
CARRY_OTHER_UNIT = "enheten «{unit}» i {hf}"
CARRY_OTHER_PERIOD = "runden {period}"
CARRY_OTHER_VERSION = "katalogversjon {version}"
CHANGE_WHAT = {
    "reworded": "Teksten er endret (før: «{before}»).",
    "time": "Forløpstiden er endret (før: {before}; nå: {after}).",
    "scope": "Hvem som svarer, er endret (før: {before}; nå: {after}).",
    "unit_types": "Enhetstypene kravet gjelder, er endret (før: {before}; nå: {after}).",
    "priority": "Prioriteten er endret (før: {before}; nå: {after}).",
    "unknown": "Katalogversjonen svaret ble gitt for ({version}), er ikke kjent.",
}
ROUND_HELP = (
    "Lag neste rundes skjema: ett per forventet enhet, med forsiden fylt ut og svarene fra "
    "enhetens siste skjema overført og merket. Skriver en ny mappe med skjemaene og en "
    "oversikt (runde-oversikt.xlsx) til e-postfletting; skriver aldri over en fil."
)
ROUND_PERIOD_HELP = (
    "Den nye runden, f.eks. 2026-T3 (standard: runden etter den siste i skjemamappen)."
)
ROUND_OUTPUT_HELP = "Ny mappe for skjemaene (standard: runde-<periode>)."
ROUND_NO_PERIOD = (
    "Fant ingen runde i skjemamappen å regne den neste fra. Oppgi den nye runden med --period, "
    "f.eks. --period 2026-T3."
)
ROUND_NO_UNITS = (
    "Fant ingen enheter å lage skjema for: verken et enhetsregister (enheter.yaml/.xlsx) eller "
    "brukbare skjema for {pathway} i {paths}."
)
ROUND_OUTPUT_EXISTS = (
    "{path} finnes fra før. statuskart skriver aldri over filer: velg en ny mappe med -o."
)
ROUND_WRITTEN = "Skrev {files} for {period} til {path} ({carried}, {blank}). Oversikt: {summary}"
ROUND_NOT_CARRIED = "  {hf} – {unit}: {why}"
ROUND_WHY_NEW = "Ingen tidligere skjema: tomt skjema."
ROUND_WHY_SEVERAL = (
    "Flere skjema fra {period} ({files}): ingen svar overført. Velg ett og lag skjemaet på nytt."
)
ROUND_WHY_REJECTED = "Skjemaet fra {period} ({file}) ble avvist: ingen svar overført."
ROUND_WHY_CARRIED = "Svar overført fra {period} ({file})."
ROUND_SUMMARY_SHEET = "Oversikt"
ROUND_SUMMARY_HEADERS = (
    "RHF",
    "HF",
    "Enhet",
    "Enhetstype",
    "Kontaktrolle",
    "Fil",
    "Overførte svar",
    "Krav å se over",
    "Merknad",
)
