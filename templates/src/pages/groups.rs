//! The network's groups: the group list with "Mina grupper" first, and the form that
//! creates a group.

use hallbar_index::District;
use maud::{Markup, html};

use super::account::csrf_field;
use super::profile::select;
use crate::Page;
use crate::components::form::{Field, FormState, InputKind, choice, error_summary, field};
use crate::components::{SearchView, search_area, swedish_date};

/// A group as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupLine {
    pub id: String,
    pub name: String,
    pub description: String,
    pub closed: bool,
    pub members: i64,
    /// `YYYY-MM-DD` of the latest post, if any.
    pub latest: Option<String>,
}

impl GroupLine {
    /// "Öppen grupp · 3 medlemmar · senaste aktivitet 5 mars 2024".
    pub fn note(&self) -> String {
        let access = if self.closed {
            "Stängd grupp"
        } else {
            "Öppen grupp"
        };
        let members = match self.members {
            1 => "1 medlem".to_string(),
            n => format!("{n} medlemmar"),
        };
        let latest = match &self.latest {
            Some(date) => format!("senaste aktivitet {}", swedish_date(date)),
            None => "ingen aktivitet ännu".to_string(),
        };
        format!("{access} · {members} · {latest}")
    }
}

/// `/grupper`: the viewer's own groups first, then every group, searchable.
pub fn groups(page: &Page, view: &SearchView, mine: &[GroupLine], logged_in: bool) -> Markup {
    page.render(html! {
        h1 { "Grupper" }
        p.lead {
            "I grupperna samlas medlemmar kring en fråga, ett område eller ett projekt och "
            "diskuterar, delar material och planerar tillsammans."
        }
        @if logged_in {
            p { a href="/grupper/ny" { "Skapa en ny grupp" } }
        } @else {
            p {
                "Alla kan se vilka grupper som finns. Diskussionerna i en öppen grupp är för "
                "inloggade medlemmar, i en stängd grupp bara för gruppens egna medlemmar. "
                a href="/logga-in?tillbaka=%2Fgrupper" { "Logga in" } " eller "
                a href="/registrera" { "skapa ett konto" } " för att gå med i grupper."
            }
        }
        @if logged_in {
            section aria-labelledby="mina-grupper" {
                h2 #mina-grupper { "Mina grupper" }
                @if mine.is_empty() {
                    p.tom { "Du är inte med i någon grupp ännu." }
                } @else {
                    ul.traffar {
                        @for group in mine {
                            li.traff {
                                h3 { a href=(format!("/grupper/{}", group.id)) { (group.name) } }
                                p.utdrag { (group.description) }
                                p.meta { (group.note()) }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Alla grupper" }
        (search_area(view))
    })
}

/// `/grupper/ny`: name, description, open or closed, district and topics.
pub fn new_group(page: &Page, form: &FormState, csrf: &str) -> Markup {
    let mut districts: Vec<(&str, &str)> = vec![("", "Ingen särskild stadsdel")];
    districts.extend(District::ALL.iter().map(|d| (d.slug(), d.label())));
    page.render(html! {
        h1 { "Skapa en grupp" }
        p.lead { "Du blir gruppens ägare och kan sedan utse moderatorer och ta emot medlemmar." }
        (error_summary(form))
        form.formular method="post" action="/grupper/ny" novalidate {
            (csrf_field(csrf))
            (field(form, &Field::text("namn", "Namn").required().max_chars(NAME_CHARS)))
            (field(form, &Field::text("beskrivning", "Beskrivning")
                .kind(InputKind::Textarea { rows: 6 }).required().max_chars(DESCRIPTION_CHARS)
                .hint("Vad gruppen handlar om och vem den är till för. Alla kan läsa beskrivningen.")))
            (choice(form, "tillgang", "Vem får gå med?", &[
                ("oppen", "Öppen"),
                ("stangd", "Stängd"),
            ]))
            p.hjalp { "I en öppen grupp kan alla medlemmar gå med och läsa diskussionerna. "
                      "I en stängd grupp ansöker man om medlemskap, och bara gruppens "
                      "medlemmar ser diskussionerna och medlemslistan." }
            (select(form, "stadsdel", "Stadsdel", &districts))
            (field(form, &Field::text("amnen", "Ämnen").max_chars(1_000)
                .hint("Skilj ämnena åt med kommatecken, till exempel: Trygghet, Läxhjälp.")))
            button type="submit" { "Skapa grupp" }
        }
        p { a href="/grupper" { "Tillbaka till grupperna" } }
    })
}

/// The longest group name, in characters.
pub const NAME_CHARS: usize = 200;
/// The longest group description typed in the form, in characters.
pub const DESCRIPTION_CHARS: usize = 5_000;
