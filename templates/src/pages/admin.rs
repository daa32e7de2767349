//! The site admin's pages: the overview (`/admin`) with the search index's state, members
//! and roles, the admin log, and import and export.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use crate::components::swedish::{moment, thousands};
use crate::layout::Page;
use crate::pages::account::csrf_field;

/// A reindex in progress on this node.
pub struct RunningView {
    pub by: String,
    pub started: DateTime<Utc>,
    pub done: u64,
    pub total: u64,
}

/// How the last reindex on this node ended.
pub struct LastView {
    pub at: DateTime<Utc>,
    pub by: String,
    /// E.g. "48 000 dokument på 12,3 s", or why it failed.
    pub text: String,
    pub ok: bool,
}

/// What `/admin` shows.
pub struct Overview {
    pub accounts: i64,
    pub open_reports: i64,
    pub waiting_proposals: i64,
    /// `(kind's name, documents)`.
    pub kinds: Vec<(String, u64)>,
    pub documents: u64,
    /// The outbox position the index has reached, and the newest outbox row.
    pub indexed: i64,
    pub newest: i64,
    pub size_bytes: Option<u64>,
    pub node: String,
    pub running: Option<RunningView>,
    pub last: Option<LastView>,
    pub notice: Option<String>,
}

/// A size in bytes as people read it: "12,3 MB".
fn size(bytes: u64) -> String {
    const UNITS: &[&str] = &["byte", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} byte")
    } else {
        format!("{value:.1} {}", UNITS[unit]).replace('.', ",")
    }
}

/// A notice after an action (a status message screen readers announce).
fn notice(text: Option<&str>) -> Markup {
    html! {
        @if let Some(text) = text {
            p.notis role="status" { (text) }
        }
    }
}

pub fn overview(page: &Page, o: &Overview, csrf: &str) -> Markup {
    let lag = (o.newest - o.indexed).max(0) as u64;
    page.render(html! {
        h1 { "Administration" }
        (notice(o.notice.as_deref()))
        section aria-labelledby="admin-arbete" {
            h2 #admin-arbete { "Att göra" }
            ul {
                li { a href="/admin/medlemmar" { "Medlemmar och roller" } " (" (thousands(o.accounts.max(0) as u64)) " konton)" }
                li { a href="/moderering" { "Modereringskön" } " – " (o.open_reports) " öppna anmälningar" }
                li { a href="/admin/forslag" { "Förslag" } " – " (o.waiting_proposals) " väntar på en redaktör" }
                li { a href="/admin/logg" { "Adminloggen" } }
                li { a href="/admin/import" { "Importera" } " eller " a href="/admin/export" { "exportera allt innehåll" } " (JSON Lines)" }
            }
        }
        section aria-labelledby="admin-index" {
            h2 #admin-index { "Sökindexet på den här servern" }
            p { "Servern " code { (o.node) } " har ett eget sökindex; en omindexering här stör inte de andra servrarna." }
            table.admin-tabell {
                caption { "Dokument i sökindexet per typ" }
                thead { tr { th scope="col" { "Typ" } th scope="col" { "Dokument" } } }
                tbody {
                    @for (kind, n) in &o.kinds {
                        tr { th scope="row" { (kind) } td { (thousands(*n)) } }
                    }
                }
                tfoot { tr { th scope="row" { "Totalt" } td { (thousands(o.documents)) } } }
            }
            dl {
                dt { "Indexerat till och med ändring" }
                dd { (thousands(o.indexed.max(0) as u64)) }
                dt { "Senaste ändringen i databasen" }
                dd { (thousands(o.newest.max(0) as u64)) }
                dt { "Eftersläpning" }
                dd { @if lag == 0 { "ingen" } @else { (thousands(lag)) " ändringar" } }
                dt { "Storlek på disk" }
                dd { @if let Some(bytes) = o.size_bytes { (size(bytes)) } @else { "okänd" } }
                dt { "Senaste omindexeringen" }
                dd {
                    @if let Some(last) = &o.last {
                        (moment(last.at)) ", av " (last.by) ": "
                        @if last.ok { (last.text) } @else { "misslyckades – " (last.text) }
                    } @else {
                        "ingen sedan servern startade"
                    }
                }
            }
            @if let Some(running) = &o.running {
                p role="status" {
                    "Omindexering pågår (startad " (moment(running.started)) " av " (running.by) "): "
                    (thousands(running.done)) " av " (thousands(running.total)) " dokument. "
                    a href="/admin" { "Uppdatera" }
                }
            } @else {
                form method="post" action="/admin/indexera" {
                    (csrf_field(csrf))
                    button type="submit" { "Indexera om" }
                }
            }
        }
    })
}

/// One verified account on the members page.
pub struct MemberRow {
    pub account_id: i64,
    pub name: String,
    pub email: String,
    pub profile_url: Option<String>,
    pub admin: bool,
    /// The slugs of the models they edit.
    pub models: Vec<String>,
}

/// Where a paged list is, and its pages' address (`?sida=` is added).
pub struct Pager {
    pub path: String,
    pub page: i64,
    pub pages: i64,
}

fn pager(p: &Pager) -> Markup {
    html! {
        @if p.pages > 1 {
            nav aria-label="Sidor" {
                p {
                    "Sida " (p.page) " av " (p.pages) ". "
                    @if p.page > 1 { a href=(format!("{}?sida={}", p.path, p.page - 1)) rel="prev" { "Föregående sida" } " " }
                    @if p.page < p.pages { a href=(format!("{}?sida={}", p.path, p.page + 1)) rel="next" { "Nästa sida" } }
                }
            }
        }
    }
}

/// Members and roles: admin, and editor per support model (`models`: slug and name).
pub fn members(
    page: &Page,
    rows: &[MemberRow],
    models: &[(String, String)],
    paging: &Pager,
    notice_text: Option<&str>,
    csrf: &str,
) -> Markup {
    page.render(html! {
        p.brodsmula { a href="/admin" { "Administration" } }
        h1 { "Medlemmar och roller" }
        (notice(notice_text))
        p { "Administratörer får göra allt. En redaktör redigerar innehållet i sina stödmodeller." }
        div.tabell role="region" aria-label="Konton och roller" tabindex="0" {
        table.admin-tabell {
            caption { "Bekräftade konton, efter namn" }
            thead {
                tr {
                    th scope="col" { "Namn" }
                    th scope="col" { "E-post" }
                    th scope="col" { "Administratör" }
                    th scope="col" { "Redaktör för" }
                }
            }
            tbody {
                @for r in rows {
                    tr {
                        th scope="row" {
                            @if let Some(url) = &r.profile_url { a href=(url) { (r.name) } } @else { (r.name) }
                        }
                        td { (r.email) }
                        td {
                            form method="post" action=(format!("/admin/medlemmar/{}/roll", r.account_id)) {
                                (csrf_field(csrf))
                                @if r.admin {
                                    "Ja "
                                    input type="hidden" name="roll" value="medlem";
                                    button type="submit" { "Ta bort administratörsrollen" span.visually-hidden { " från " (r.name) } }
                                } @else {
                                    "Nej "
                                    input type="hidden" name="roll" value="admin";
                                    button type="submit" { "Gör till administratör" span.visually-hidden { ": " (r.name) } }
                                }
                            }
                        }
                        td {
                            @for slug in &r.models {
                                form method="post" action=(format!("/admin/medlemmar/{}/redaktor", r.account_id)) {
                                    (csrf_field(csrf))
                                    input type="hidden" name="modell" value=(slug);
                                    input type="hidden" name="atgard" value="ta-bort";
                                    (slug) " "
                                    button type="submit" { "Ta bort" span.visually-hidden { " " (r.name) " som redaktör för " (slug) } }
                                }
                            }
                            @let select_id = format!("modell-{}", r.account_id);
                            form method="post" action=(format!("/admin/medlemmar/{}/redaktor", r.account_id)) {
                                (csrf_field(csrf))
                                input type="hidden" name="atgard" value="ge";
                                label for=(select_id) { "Stödmodell" span.visually-hidden { " för " (r.name) } }
                                " "
                                select #(select_id) name="modell" {
                                    @for (slug, name) in models {
                                        option value=(slug) { (name) }
                                    }
                                }
                                " "
                                button type="submit" { "Gör till redaktör" span.visually-hidden { ": " (r.name) } }
                            }
                        }
                    }
                }
            }
        }
        }
        (pager(paging))
    })
}

/// One entry of the admin log.
pub struct LogLine {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

pub fn log(page: &Page, lines: &[LogLine], paging: &Pager) -> Markup {
    page.render(html! {
        p.brodsmula { a href="/admin" { "Administration" } }
        h1 { "Adminlogg" }
        @if lines.is_empty() {
            p.lead { "Inga administratörsåtgärder är loggade ännu." }
        } @else {
            div.tabell role="region" aria-label="Adminloggen" tabindex="0" {
            table.admin-tabell {
                caption { "Administratörernas åtgärder, de senaste först" }
                thead {
                    tr {
                        th scope="col" { "När" }
                        th scope="col" { "Vem" }
                        th scope="col" { "Åtgärd" }
                        th scope="col" { "Gäller" }
                        th scope="col" { "Detaljer" }
                    }
                }
                tbody {
                    @for l in lines {
                        tr {
                            td { (moment(l.at)) }
                            td { (l.actor) }
                            td { (l.action) }
                            td { (l.target) }
                            td { (l.detail) }
                        }
                    }
                }
            }
            }
        }
        (pager(paging))
    })
}

/// The upload form (`max` is the size limit as people read it).
pub fn import_form(page: &Page, max_bytes: u64, csrf: &str) -> Markup {
    page.render(html! {
        p.brodsmula { a href="/admin" { "Administration" } }
        h1 { "Importera" }
        p {
            "Ladda upp en fil i importformatet (JSON Lines, som " code { "hallbar export" } " skriver). "
            "Hela filen kontrolleras först; ingenting importeras förrän du har sett resultatet och bekräftat. "
            "Filen får vara högst " (size(max_bytes)) "."
        }
        form.formular method="post" action="/admin/import" enctype="multipart/form-data" {
            (csrf_field(csrf))
            div.falt {
                label for="fil" { "Fil att importera" }
                input #fil type="file" name="fil" required accept=".jsonl,.json,.ndjson,application/x-ndjson,text/plain";
            }
            button type="submit" { "Kontrollera filen" }
        }
    })
}

/// A checked upload with bad lines: every one (up to `errors.len()`) with its reason.
pub fn import_errors(page: &Page, errors: &[(usize, String)], total: usize) -> Markup {
    page.render(html! {
        p.brodsmula { a href="/admin/import" { "Importera" } }
        h1 { "Filen har fel" }
        p role="alert" {
            (thousands(total as u64)) " rad(er) i filen har fel, så ingenting importerades. "
            "Rätta raderna och ladda upp filen igen."
        }
        @if errors.len() < total {
            p { "De första " (errors.len()) " felen visas." }
        }
        table.admin-tabell {
            caption { "Rader med fel" }
            thead { tr { th scope="col" { "Rad" } th scope="col" { "Fel" } } }
            tbody {
                @for (line, message) in errors {
                    tr { th scope="row" { (line) } td { (message) } }
                }
            }
        }
        p { a href="/admin/import" { "Ladda upp en annan fil" } }
    })
}

/// `(type, lines)` in a table.
fn counts_table(caption: &str, counts: &[(String, usize)]) -> Markup {
    html! {
        table.admin-tabell {
            caption { (caption) }
            thead { tr { th scope="col" { "Typ" } th scope="col" { "Rader" } } }
            tbody {
                @for (kind, n) in counts {
                    tr { th scope="row" { (kind) } td { (thousands(*n as u64)) } }
                }
            }
        }
    }
}

/// A checked upload without errors: what it holds, and the button that imports it.
pub fn import_ready(page: &Page, counts: &[(String, usize)], token: &str, csrf: &str) -> Markup {
    page.render(html! {
        p.brodsmula { a href="/admin/import" { "Importera" } }
        h1 { "Filen är kontrollerad" }
        p { "Alla rader är felfria. Poster med ett id som redan finns uppdateras." }
        (counts_table("Filens innehåll", counts))
        form method="post" action="/admin/import/bekrafta" {
            (csrf_field(csrf))
            input type="hidden" name="uppladdning" value=(token);
            button type="submit" { "Importera" }
        }
        p { a href="/admin/import" { "Avbryt" } }
    })
}

/// What an import wrote.
pub fn import_done(page: &Page, counts: &[(String, usize)]) -> Markup {
    page.render(html! {
        p.brodsmula { a href="/admin" { "Administration" } }
        h1 { "Importen är klar" }
        p role="status" { "Innehållet är importerat och sökbart." }
        (counts_table("Importerat", counts))
        p { a href="/admin/import" { "Importera en fil till" } }
    })
}

/// An upload or confirmation that was refused (too large, expired …), with what to do.
pub fn import_refused(page: &Page, heading: &str, message: &str) -> Markup {
    page.render(html! {
        p.brodsmula { a href="/admin/import" { "Importera" } }
        h1 { (heading) }
        p role="alert" { (message) }
        p { a href="/admin/import" { "Ladda upp filen igen" } }
    })
}
