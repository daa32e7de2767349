//! Error pages, in Swedish, inside the normal layout.

use maud::{Markup, html};

use crate::page;

fn error_page(title: &str, explanation: Markup) -> Markup {
    page(
        title,
        title,
        html! {
            h1 { (title) }
            (explanation)
            p { a href="/" { "Till startsidan" } }
        },
    )
}

/// 404: the address leads nowhere.
pub fn not_found() -> Markup {
    error_page(
        "Sidan finns inte",
        html! {
            p { "Vi hittar ingen sida på den här adressen. Den kan ha flyttats, eller så "
                "innehåller länken ett skrivfel." }
        },
    )
}

/// 400: the request had a value that cannot be used; names the field.
pub fn bad_request(field: &str, message: &str) -> Markup {
    error_page(
        "Felaktig förfrågan",
        html! {
            p { "Förfrågan kunde inte hanteras eftersom ett värde är felaktigt." }
            p { strong { (field) } ": " (message) }
        },
    )
}

/// 401: the page is for logged-in members; links to the login page, which brings the
/// person back to `return_to` (a site path) afterwards.
pub fn unauthorized(return_to: &str) -> Markup {
    let login = format!(
        "/logga-in?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("tillbaka", return_to)
            .finish()
    );
    error_page(
        "Logga in för att fortsätta",
        html! {
            p { "Den här sidan är till för medlemmar i nätverket. Logga in för att se den." }
            p { a href=(login) { "Logga in" } }
        },
    )
}

/// 403: logged in, but this person may not do or see this.
pub fn forbidden() -> Markup {
    error_page(
        "Du har inte behörighet",
        html! {
            p { "Du är inloggad men har inte behörighet till den här sidan eller åtgärden. "
                "Tror du att det är fel kan du kontakta den som administrerar innehållet." }
        },
    )
}

/// 429: one client has too many searches running at once.
pub fn too_many_requests() -> Markup {
    error_page(
        "För många sökningar på en gång",
        html! {
            p { "Från din adress pågår redan flera sökningar. Vänta en sekund och försök igen." }
        },
    )
}

/// 429: too many logins, registrations or mails from one address or for one account.
pub fn too_many_attempts(minutes: i64) -> Markup {
    error_page(
        "För många försök",
        html! {
            p { "Det har gjorts för många försök på kort tid. Av säkerhetsskäl får du vänta "
                "en stund: försök igen om " (minutes) " minuter." }
            p { "Har du glömt ditt lösenord kan du " a href="/glomt-losenord" { "få en länk för att välja ett nytt" } " när väntetiden är över." }
        },
    )
}

/// 403: a form without its check code, or with an old one.
pub fn stale_form() -> Markup {
    error_page(
        "Formuläret kunde inte skickas",
        html! {
            p { "Formuläret var för gammalt eller kom från en annan webbplats, så ingenting "
                "ändrades. Gå tillbaka, ladda om sidan och skicka formuläret igen." }
        },
    )
}

/// 403: a browser said the request came from another site.
pub fn cross_site() -> Markup {
    error_page(
        "Förfrågan kom från en annan webbplats",
        html! {
            p { "Av säkerhetsskäl tar hallbar bara emot formulär som skickas från hallbar själv. "
                "Ingenting ändrades. Gå till sidan på hallbar och försök igen där." }
        },
    )
}

/// 503: a change could not be stored right now; nothing changed.
pub fn busy(message: &str) -> Markup {
    error_page(
        "Försök igen om en stund",
        html! {
            p { "Ändringen kunde inte sparas just nu: " (message) "." }
        },
    )
}

/// 405: the address exists but not for this kind of request.
pub fn method_not_allowed() -> Markup {
    error_page(
        "Åtgärden stöds inte",
        html! {
            p { "Den här sidan kan inte ta emot den här sortens förfrågan. Gå tillbaka och "
                "försök igen via länkarna och formulären på webbplatsen." }
        },
    )
}

/// 500: something went wrong on our side; the cause is logged, never shown.
pub fn server_error() -> Markup {
    error_page(
        "Något gick fel",
        html! {
            p { "Ett fel uppstod hos oss. Försök igen om en stund. Felet har loggats." }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_link_brings_the_person_back() {
        let html = unauthorized("/grupper/a?b=1&c").into_string();
        assert!(html.contains("Logga in för att fortsätta"), "{html}");
        assert!(
            html.contains(r#"href="/logga-in?tillbaka=%2Fgrupper%2Fa%3Fb%3D1%26c""#),
            "{html}"
        );
        assert!(forbidden().into_string().contains("Du har inte behörighet"));
    }
}
