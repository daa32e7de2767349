//! The logged-in member's own pages: the profile, the editor, changing the password and
//! deleting the account.

use hallbar_index::{District, Member, ProfileVisibility, Sector};
use maud::{Markup, html};

use super::account::csrf_field;
use crate::components::form::{Field, FormState, InputKind, choice, error_summary, field};
use crate::layout::Page;
use crate::markdown;

/// `/profil`: your own profile and what you can do with your account. `digest` is the
/// e-mail digest chosen (`av`, `dag` or `vecka`).
pub fn own(
    page: &Page,
    member: &Member,
    email: &str,
    notice: Option<&str>,
    digest: &str,
    csrf: &str,
) -> Markup {
    let visibility = match member.visibility {
        ProfileVisibility::Public => "Alla kan se din profil, även besökare som inte är inloggade.",
        ProfileVisibility::Members => "Bara inloggade medlemmar kan se din profil.",
    };
    let mut chosen = FormState::new();
    chosen.set("sammanfattning", digest);
    page.render(html! {
        h1 { "Min profil" }
        @if let Some(notice) = notice {
            p.notis role="status" { (notice) }
        }
        p.lead { strong { (member.name) } @if !member.title.is_empty() { ", " (member.title) }
                 @if !member.organisation.is_empty() { ", " (member.organisation) } }
        dl.facts {
            dt { "E-post" } dd { (email) }
            dt { "Sektor" } dd { (member.sector.label()) }
            dt { "Stadsdel" } dd { (member.district.label()) }
            dt { "Synlighet" } dd { (visibility) }
            dt { "Kompetenser" }
            dd {
                @if member.competences.is_empty() { "Inga ännu" }
                @else { (member.competences.join(", ")) }
            }
        }
        @if member.competences.len() < 3 {
            p.notis { "Lägg till minst tre kompetenser så att kollegor hittar dig och du får "
                      "bättre förslag på kollegor. " a href="/profil/redigera" { "Komplettera profilen" } }
        }
        @if !member.background.trim().is_empty() {
            h2 { "Bakgrund" }
            (markdown::to_html(&member.background))
        }
        h2 { "Sammanfattning via e-post" }
        p { "Få dina olästa notiser samlade i ett mejl. Varje mejl har en länk som avslutar "
            "sammanfattningen utan inloggning." }
        form.formular method="post" action="/profil/sammanfattning" {
            (csrf_field(csrf))
            (choice(&chosen, "sammanfattning", "Hur ofta vill du ha en sammanfattning?", &[
                ("av", "Ingen sammanfattning"),
                ("dag", "Varje dag"),
                ("vecka", "Varje vecka"),
            ]))
            button type="submit" { "Spara valet" }
        }
        h2 { "Ditt konto" }
        ul.list {
            li { a href="/profil/redigera" { "Redigera profilen" } }
            li { a href=(format!("/medlemmar/{}", member.id)) { "Visa profilen som andra ser den" } }
            li { a href="/medlemmar/matcha" { "Hitta kollegor" } }
            li { a href="/forslag" { "Mina förslag" } }
            li { a href="/profil/losenord" { "Byt lösenord" } }
            li { a href="/profil/data" download { "Ladda ner mina uppgifter (JSON)" } }
            li { a href="/profil/radera" { "Radera kontot" } }
        }
    })
}

/// A `<select>` of a closed list, with its label and message.
pub(crate) fn select(
    form: &FormState,
    name: &str,
    label: &str,
    options: &[(&str, &str)],
) -> Markup {
    let error = form.error(name);
    let error_id = format!("{name}-fel");
    html! {
        div.falt.fel[error.is_some()] {
            label for=(name) { (label) }
            @if let Some(message) = error {
                p.felmeddelande id=(error_id) { span.visually-hidden { "Fel: " } (message) }
            }
            select id=(name) name=(name) aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| error_id.as_str())] {
                @for (value, text) in options {
                    option value=(value) selected[form.value(name) == *value] { (text) }
                }
            }
        }
    }
}

/// A comma-separated list field with suggestions from the vocabulary while typing.
fn tag_field(form: &FormState, name: &str, label: &str, hint: &str) -> Markup {
    let error = form.error(name);
    let hint_id = format!("{name}-hjalp");
    let error_id = format!("{name}-fel");
    let described = if error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    let list_id = format!("{name}-forslag");
    html! {
        div.falt.fel[error.is_some()] {
            label for=(name) { (label) span.valfritt { " (valfritt)" } }
            p.hjalp id=(hint_id) { (hint) }
            @if let Some(message) = error {
                p.felmeddelande id=(error_id) { span.visually-hidden { "Fel: " } (message) }
            }
            input id=(name) name=(name) type="text" value=(form.value(name)) list=(list_id)
                data-kompetensforslag autocomplete="off" aria-invalid=[error.map(|_| "true")]
                aria-describedby=(described);
            datalist id=(list_id) {}
        }
    }
}

/// `/profil/redigera`: every part of the profile.
pub fn edit(page: &Page, form: &FormState, csrf: &str) -> Markup {
    let sectors: Vec<(&str, &str)> = Sector::ALL.iter().map(|s| (s.slug(), s.label())).collect();
    let districts: Vec<(&str, &str)> = District::ALL
        .iter()
        .map(|d| (d.slug(), d.label()))
        .collect();
    page.render(html! {
        h1 { "Redigera profilen" }
        (error_summary(form))
        form.formular method="post" action="/profil/redigera" novalidate {
            (csrf_field(csrf))
            (field(form, &Field::text("namn", "Namn").required().autocomplete("name").max_chars(200)))
            (field(form, &Field::text("titel", "Titel").autocomplete("organization-title")
                .max_chars(200).hint("Till exempel Områdesutvecklare eller Doktorand i kulturgeografi.")))
            (field(form, &Field::text("organisation", "Organisation").autocomplete("organization")
                .max_chars(120)))
            (select(form, "sektor", "Sektor", &sectors))
            (select(form, "stadsdel", "Stadsdel", &districts))
            (field(form, &Field::text("bakgrund", "Bakgrund").kind(InputKind::Textarea { rows: 8 })
                .max_chars(50_000)
                .hint("Vad du har arbetat med och vad du kan. Du kan använda Markdown: *kursiv*, **fet**, listor och länkar.")))
            (tag_field(form, "kompetenser", "Kompetenser",
                "Skilj kompetenserna åt med kommatecken, till exempel: Medborgardialog, Trygghetsvandringar."))
            (tag_field(form, "intressen", "Intressen", "Skilj intressena åt med kommatecken."))
            (field(form, &Field::text("lankar", "Länkar").kind(InputKind::Textarea { rows: 3 })
                .hint("En länk per rad, gärna med en rubrik före adressen: Min blogg https://exempel.se")))
            (choice(form, "synlighet", "Vem får se profilen?", &[
                (ProfileVisibility::Public.slug(), "Alla, även besökare som inte är inloggade"),
                (ProfileVisibility::Members.slug(), "Bara inloggade medlemmar"),
            ]))
            button type="submit" { "Spara profilen" }
        }
        p { a href="/profil" { "Tillbaka till min profil" } }
    })
}

/// `/profil/losenord`: the current password and a new one.
pub fn change_password(page: &Page, form: &FormState, csrf: &str) -> Markup {
    page.render(html! {
        h1 { "Byt lösenord" }
        p.lead { "När du byter lösenord loggas du ut på alla andra enheter." }
        (error_summary(form))
        form.formular method="post" action="/profil/losenord" novalidate {
            (csrf_field(csrf))
            (field(form, &Field::text("nuvarande", "Nuvarande lösenord").kind(InputKind::Password)
                .required().autocomplete("current-password")))
            (field(form, &Field::text("losenord", "Nytt lösenord").kind(InputKind::Password)
                .required().autocomplete("new-password")
                .hint("Minst 8 tecken; mycket vanliga lösenord går inte att använda.")))
            button type="submit" { "Byt lösenord" }
        }
    })
}

/// `/profil/radera`: confirm with the password.
pub fn delete(page: &Page, form: &FormState, csrf: &str) -> Markup {
    page.render(html! {
        h1 { "Radera kontot" }
        p.lead { "Ditt konto, din profil, dina kompetenser och dina inloggningar tas bort direkt "
                 "och försvinner ur sökningen, medlemslistan och förslagen. Det går inte att ångra." }
        p { "Vill du spara dina uppgifter först kan du " a href="/profil/data" download { "ladda ner dem" } "." }
        (error_summary(form))
        form.formular method="post" action="/profil/radera" novalidate {
            (csrf_field(csrf))
            (field(form, &Field::text("losenord", "Lösenord").kind(InputKind::Password)
                .required().autocomplete("current-password")
                .hint("Skriv ditt lösenord för att bekräfta att du vill radera kontot.")))
            button.fara type="submit" { "Radera kontot" }
        }
        p { a href="/profil" { "Avbryt och gå tillbaka" } }
    })
}

/// After deleting: the account is gone.
pub fn deleted(page: &Page) -> Markup {
    page.render(html! {
        h1 { "Ditt konto är raderat" }
        p.lead { "Ditt konto och din profil är borttagna. Tack för att du var med!" }
        p { a href="/" { "Till startsidan" } }
    })
}

/// `/sammanfattning/avsluta/{token}`: a button ends the digest (a GET changes nothing).
pub fn unsubscribe(page: &Page, action: &str, csrf: &str) -> Markup {
    page.render(html! {
        h1 { "Avsluta sammanfattningen" }
        p.lead { "Tryck på knappen så slutar vi skicka sammanfattningar via e-post. Dina notiser "
                 "finns kvar på hallbar." }
        form.formular method="post" action=(action) {
            (csrf_field(csrf))
            button type="submit" { "Avsluta sammanfattningen" }
        }
    })
}

/// After unsubscribing.
pub fn unsubscribed(page: &Page) -> Markup {
    page.render(html! {
        h1 { "Sammanfattningen är avslutad" }
        p.lead { "Du får inga fler sammanfattningar via e-post. Du kan slå på den igen under "
                 a href="/profil" { "Min profil" } "." }
    })
}
