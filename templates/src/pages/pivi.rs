//! A catalogue (the first is Social utveckling – pivi): a search with its own facets, and one
//! entry.

use hallbar_index::matching::MemberMatch;
use hallbar_index::model::{Link, web_address};
use hallbar_index::search::{FacetKey, Hit};
use hallbar_index::{PiviEntry, SupportModel};
use maud::{Markup, html};

use crate::Page;
use crate::components::{SearchView, date, hit, search_area, who_knows};
use crate::markdown;

/// The facets the catalogue offers.
pub const FACETS: &[FacetKey] = &[
    FacetKey::PiviKind,
    FacetKey::District,
    FacetKey::TargetGroup,
    FacetKey::Year,
];

pub fn catalogue(page: &Page, model: &SupportModel, view: &SearchView) -> Markup {
    page.render(html! {
        h1 { (model.title()) }
        p.lead {
            (model.intro) " Sök i katalogen och avgränsa efter kategori, stadsdel, målgrupp och år."
        }
        (search_area(view))
        p {
            a href=(model.feed_path()) {
                "Prenumerera på nya poster i " (model.id) " (Atom-flöde)"
            }
        }
    })
}

/// Whom to contact, and whether the contact's profile may be linked for this viewer.
pub struct ContactView<'a> {
    pub profile_url: Option<&'a str>,
}

/// The links that are safe to render, as (title, address): an address is parsed again here
/// (content may come from an old import or straight from the database) and rendered in
/// its normalised form, so what is checked is what the browser gets.
fn safe_links(links: &[Link]) -> Vec<(&str, String)> {
    links
        .iter()
        .filter_map(|link| {
            let url = web_address(&link.url).ok()?;
            Some((link.title.as_str(), url.as_str().to_string()))
        })
        .collect()
}

pub fn entry(
    page: &Page,
    model: &SupportModel,
    e: &PiviEntry,
    contact: &ContactView,
    similar: &[Hit],
    people: &[MemberMatch],
) -> Markup {
    let category = model.category_name(e.kind.as_str());
    let home = model.path();
    page.render(html! {
        nav aria-label="Brödsmulor" {
            p.meta { a href=(home) { (model.id) } " › " (category) }
        }
        article {
            p.typ { (category) }
            h1 { (e.title) }
            p.lead { (e.summary) }
            dl.facts {
                dt { "Kategori" } dd { a href=(format!("{home}?kategori={}", e.kind)) { (category) } }
                dt { "Stadsdel" } dd { a href=(format!("{home}?stadsdel={}", e.district.slug())) { (e.district.label()) } }
                dt { "Organisation" } dd { (e.organisation) }
                @if !e.target_groups.is_empty() {
                    dt { "Målgrupp" }
                    dd {
                        @for (i, g) in e.target_groups.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(format!("{home}?malgrupp={}", g.slug())) { (g.label()) }
                        }
                    }
                }
                dt { "Period" } dd { (e.period.label()) }
                dt { "Publicerad" } dd { (date(&e.published)) }
            }
            (markdown::to_html(&e.body))
            @if !e.tags.is_empty() {
                h2 { "Ämnen" }
                ul.tags { @for t in &e.tags { li { a href=(crate::components::link("/pivi", &[("q".into(), t.clone())], None, None, None)) { (t) } } } }
            }
            @let links = safe_links(&e.links);
            @if !links.is_empty() {
                h2 { "Läs mer" }
                ul.list {
                    @for (title, url) in &links {
                        li { a href=(url) rel="noopener noreferrer" { (title) } }
                    }
                }
            }
            h2 { "Kontakt" }
            p {
                @if let Some(url) = contact.profile_url {
                    a href=(url) { (e.contact.name) }
                } @else {
                    (e.contact.name)
                }
                @if let Some(email) = &e.contact.email {
                    ", " a href=(format!("mailto:{email}")) { (email) }
                }
            }
        }
        @if !similar.is_empty() {
            section #liknande aria-labelledby="liknande-rubrik" {
                h2 #liknande-rubrik { "Liknande i pivi" }
                ol.traffar { @for h in similar { (hit(h)) } }
            }
        }
        (who_knows(people))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(url: &str) -> Link {
        Link {
            title: "Läs".into(),
            url: url.into(),
        }
    }

    #[test]
    fn only_http_links_with_a_host_and_no_credentials_are_rendered() {
        let links: Vec<Link> = [
            "javascript:alert(1)",
            "https://",
            "http://exa mple",
            "//evil.example",
            "https://anna:hemligt@goteborg.se/",
            "https://goteborg.se@evil.example/",
            "data:text/html,hej",
            " https://goteborg.se/",
            "https://goteborg.se/sida",
            "https://göteborg.se",
        ]
        .into_iter()
        .map(link)
        .collect();
        let hrefs: Vec<String> = safe_links(&links).into_iter().map(|(_, url)| url).collect();
        assert_eq!(
            hrefs,
            ["https://goteborg.se/sida", "https://xn--gteborg-90a.se/"]
        );
    }
}
