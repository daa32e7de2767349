//! The page frame every view is rendered into: head with title, description and canonical
//! link, skip link, header with search and main navigation, main, footer.

use maud::{DOCTYPE, Markup, html};

use crate::assets::{self, Asset};

/// The site's name, as shown in titles and the header.
pub const SITE_NAME: &str = "hallbar";

/// Which part of the site a page belongs to (marked in the navigation).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    None,
    /// A support model's pages, by the model's id.
    Model(String),
    Medlemmar,
    Grupper,
    LoggaIn,
    Profil,
}

/// The navigation after the support models.
const NAVIGATION: &[(Section, &str, &str)] = &[
    (Section::Medlemmar, "/medlemmar", "Medlemmar"),
    (Section::Grupper, "/grupper", "Grupper"),
    (Section::LoggaIn, "/logga-in", "Logga in"),
];

/// What the frame needs to know about a page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub title: String,
    pub description: String,
    /// The page's absolute canonical URL.
    pub canonical: String,
    pub section: Section,
    /// Put in the header's search field (the search page fills it from the URL).
    pub query: String,
    pub checklist_script: bool,
    /// Whether the page has competence fields with suggestions (the profile editor).
    pub competence_script: bool,
    /// The logged-in member the header greets (with a "Logga ut" button), if any.
    pub account: Option<HeaderAccount>,
    /// What the viewer may do with the page ("Redigera", "Föreslå en ändring"), as
    /// `(label, href)`, shown above its content.
    pub actions: Vec<(String, String)>,
    /// Members whose accepted proposals shaped the page: `(name, profile link)`.
    pub credits: Vec<(String, Option<String>)>,
    /// The support models the navigation lists first, in order.
    pub models: Vec<NavModel>,
}

/// A support model as the navigation lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavModel {
    /// The model's id (its address is `/{id}`).
    pub id: String,
    /// The area of work it is named by.
    pub label: String,
}

impl NavModel {
    /// The navigation entries of `models`.
    pub fn of(models: &[hallbar_index::SupportModel]) -> Vec<NavModel> {
        models
            .iter()
            .map(|m| NavModel {
                id: m.id.to_string(),
                label: m.nav_label(),
            })
            .collect()
    }
}

/// What the header shows of a logged-in member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderAccount {
    pub name: String,
    /// The session's CSRF token, for the logout form.
    pub csrf: String,
    /// Unread notifications (shown beside "Notiser").
    pub unread: i64,
    /// Whether the member is a site admin (the header links to "Administration").
    pub admin: bool,
    /// Whether the member edits a support model (the header links to "Innehåll").
    pub editor: bool,
}

impl Page {
    pub fn new(
        title: impl Into<String>,
        description: impl Into<String>,
        canonical: impl Into<String>,
    ) -> Self {
        Page {
            title: title.into(),
            description: description.into(),
            canonical: canonical.into(),
            ..Page::default()
        }
    }

    pub fn section(mut self, section: Section) -> Self {
        self.section = section;
        self
    }

    pub fn query(mut self, query: impl Into<String>) -> Self {
        self.query = query.into();
        self
    }

    /// The support models the navigation lists.
    pub fn models(mut self, models: Vec<NavModel>) -> Self {
        self.models = models;
        self
    }

    pub fn account(mut self, account: Option<HeaderAccount>) -> Self {
        self.account = account;
        self
    }

    pub fn with_competence_script(mut self) -> Self {
        self.competence_script = true;
        self
    }

    pub fn with_checklist_script(mut self) -> Self {
        self.checklist_script = true;
        self
    }

    /// Credits members whose proposals shaped the page (shown under its content).
    pub fn credits(mut self, credits: Vec<(String, Option<String>)>) -> Self {
        self.credits = credits;
        self
    }

    /// Adds a link to something the viewer may do with the page.
    pub fn action(mut self, label: impl Into<String>, href: impl Into<String>) -> Self {
        self.actions.push((label.into(), href.into()));
        self
    }

    /// Whether this page is the one at `path` itself (not a page below it).
    fn is_at(&self, path: &str) -> bool {
        let without_query = self.canonical.split(['?', '#']).next().unwrap_or_default();
        without_query.ends_with(path)
    }

    /// Renders `body` inside the site's frame.
    pub fn render(&self, body: Markup) -> Markup {
        let script = |asset: &Asset| html! { script src=(asset.path()) defer {} };
        let fallback;
        let models = if self.models.is_empty() {
            fallback = NavModel::of(&hallbar_index::seed_models());
            &fallback
        } else {
            &self.models
        };
        let sections: Vec<(Section, String, &str)> = models
            .iter()
            .map(|m| {
                (
                    Section::Model(m.id.clone()),
                    hallbar_index::paths::model(&m.id),
                    m.label.as_str(),
                )
            })
            .chain(
                NAVIGATION
                    .iter()
                    .map(|(section, href, label)| (section.clone(), href.to_string(), *label)),
            )
            .collect();
        html! {
            (DOCTYPE)
            html lang="sv" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (self.title) " – " (SITE_NAME) }
                    meta name="description" content=(self.description);
                    @if !self.canonical.is_empty() {
                        link rel="canonical" href=(self.canonical);
                    }
                    link rel="stylesheet" href=(assets::STYLESHEET.path());
                    link rel="search" type="application/opensearchdescription+xml"
                        href="/opensearch.xml" title=(SITE_NAME);
                    link rel="alternate" type="application/atom+xml" href="/flode/pivi.atom"
                        title="Nytt i pivi";
                    link rel="alternate" type="application/atom+xml" href="/flode/artiklar.atom"
                        title="Nya artiklar i kunskapsmatrisen";
                    (script(&assets::SEARCH_SCRIPT))
                    @if self.checklist_script {
                        (script(&assets::CHECKLIST_SCRIPT))
                    }
                    @if self.competence_script {
                        (script(&assets::COMPETENCE_SCRIPT))
                    }
                    @if self.account.is_some() {
                        // Live thread pages and the unread count (only where a page asks).
                        (script(&assets::LIVE_SCRIPT))
                        (script(&assets::MENTION_SCRIPT))
                    }
                }
                body {
                    a.skip href="#innehall" { "Hoppa till innehållet" }
                    header.site {
                        div.wrap {
                            a.brand href="/" {
                                (SITE_NAME)
                                span { "Socialt hållbar utveckling i Göteborg" }
                            }
                            form.sitesok role="search" aria-label="Sök på webbplatsen" method="get" action="/sok" {
                                label.visually-hidden for="sok-huvud" { "Sök på hallbar" }
                                input #sok-huvud type="search" name="q" value=(self.query)
                                    data-forslag autocomplete="off" maxlength="500";
                                button type="submit" { "Sök" }
                            }
                            nav.main aria-label="Huvudmeny" {
                                ul {
                                    @for (section, href, label) in &sections {
                                        @if *section == Section::LoggaIn && self.account.is_some() {
                                            // Logged in: the profile and the logout button instead.
                                        } @else {
                                        li {
                                            @if *section == self.section && self.is_at(href) {
                                                a href=(href) aria-current="page" { (label) }
                                            } @else if *section == self.section {
                                                a href=(href) aria-current="true" { (label) }
                                            } @else {
                                                a href=(href) { (label) }
                                            }
                                        }
                                        }
                                    }
                                    @if let Some(account) = &self.account {
                                        li {
                                            a href="/notiser" aria-current=[self.is_at("/notiser").then_some("page")] {
                                                "Notiser"
                                                @if account.unread > 0 {
                                                    " " span.olasta { (account.unread) }
                                                    span.visually-hidden { " olästa" }
                                                }
                                            }
                                        }
                                        li {
                                            @if self.section == Section::Profil {
                                                a href="/profil" aria-current=(if self.is_at("/profil") { "page" } else { "true" }) { "Min profil" }
                                            } @else {
                                                a href="/profil" { "Min profil" }
                                            }
                                        }
                                        @if account.admin || account.editor {
                                            li {
                                                a href="/admin/innehall" aria-current=[self.is_at("/admin/innehall").then_some("page")] {
                                                    "Innehåll"
                                                }
                                            }
                                        }
                                        @if account.admin {
                                            li {
                                                a href="/admin" aria-current=[self.is_at("/admin").then_some("page")] {
                                                    "Administration"
                                                }
                                            }
                                        }
                                        li {
                                            form.logga-ut method="post" action="/logga-ut" {
                                                input type="hidden" name="csrf" value=(account.csrf);
                                                button type="submit" { "Logga ut" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    main #innehall tabindex="-1" {
                        div.wrap {
                            @if !self.actions.is_empty() {
                                nav.sidverktyg aria-label="Sidans verktyg" {
                                    ul {
                                        @for (label, href) in &self.actions {
                                            li { a href=(href) { (label) } }
                                        }
                                    }
                                }
                            }
                            (body)
                            @if !self.credits.is_empty() {
                                p.bidrag {
                                    "Med förslag från "
                                    @for (i, (name, link)) in self.credits.iter().enumerate() {
                                        @if i > 0 { ", " }
                                        @if let Some(link) = link { a href=(link) { (name) } }
                                        @else { (name) }
                                    }
                                    "."
                                }
                            }
                        }
                    }
                    footer.site {
                        div.wrap {
                            p {
                                "hallbar är en mötesplats och kunskapsbank för alla som arbetar "
                                "med socialt hållbar utveckling i Göteborg."
                            }
                            nav aria-label="Om webbplatsen" {
                                ul {
                                    li { a href="/om" { "Om tjänsten" } }
                                    li { a href="/tillganglighet" { "Tillgänglighetsredogörelse" } }
                                    li { a href="/kontakt" { "Kontakt" } }
                                    li { a href="/flode/pivi.atom" { "Flöde: nytt i pivi" } }
                                    li { a href="/flode/artiklar.atom" { "Flöde: nya artiklar" } }
                                    li { a href="/kallkod" { "Källkod" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Renders a page with no section and no canonical link (error pages).
pub fn page(title: &str, description: &str, body: Markup) -> Markup {
    Page::new(title, description, "").render(body)
}
