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
