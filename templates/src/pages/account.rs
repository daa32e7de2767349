//! Joining and logging in: register, verify the address, log in, forgotten password and a
//! new password from a mailed link.

use maud::{Markup, html};

use crate::components::form::{Field, FormState, InputKind, checkbox, error_summary, field};
use crate::layout::Page;

/// The hidden field every form carries its CSRF token in.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// The password rules, said where a new password is chosen.
const PASSWORD_HINT: &str = "Minst 8 tecken. En mening du kommer ihåg är både lätt och säker; \
                             mycket vanliga lösenord går inte att använda.";

/// `/registrera`: name, e-mail, password and the terms.
pub fn register(page: &Page, form: &FormState, csrf: &str) -> Markup {
    page.render(html! {
        h1 { "Skapa konto" }
        p.lead { "Som medlem kan du beskriva din bakgrund och kompetens, hitta kollegor och "
                 "delta i grupper och diskussioner." }
        (error_summary(form))
        form.formular method="post" action="/registrera" novalidate {
            (csrf_field(csrf))
            (field(form, &Field::text("namn", "Namn").required().autocomplete("name").max_chars(200)))
            (field(form, &Field::text("epost", "E-post").kind(InputKind::Email).required()
                .autocomplete("email").max_chars(254)
                .hint("Vi skickar en länk dit som du följer för att bekräfta adressen.")))
            (field(form, &Field::text("losenord", "Lösenord").kind(InputKind::Password)
                .required().autocomplete("new-password").hint(PASSWORD_HINT)))
            (checkbox(form, "villkor", "ja", html! {
                "Jag godkänner " a href="/villkor" { "villkoren" } " och har läst "
                a href="/integritetspolicy" { "integritetspolicyn" }
            }))
            button type="submit" { "Skapa konto" }
        }
        p { "Har du redan ett konto? " a href="/logga-in" { "Logga in" } }
    })
}

/// After registering: the mail is on its way.
pub fn registered(page: &Page, email: &str) -> Markup {
    page.render(html! {
        h1 { "Bekräfta din e-postadress" }
        p.lead { "Vi har skickat ett mejl till " strong { (email) } " med en länk. Följ länken "
                 "för att bekräfta adressen; först då syns din profil för andra." }
        p { "Länken gäller i sju dygn. Hittar du inte mejlet, titta i skräpposten." }
    })
}

/// `/verifiera/{token}`: a button confirms (a GET changes nothing).
pub fn verify(page: &Page, action: &str, csrf: &str) -> Markup {
    page.render(html! {
        h1 { "Bekräfta e-postadressen" }
        p.lead { "Tryck på knappen för att bekräfta din e-postadress och öppna ditt konto." }
        form.formular method="post" action=(action) {
            (csrf_field(csrf))
            button type="submit" { "Bekräfta e-postadressen" }
        }
    })
}

/// A mailed link that is unknown, used or too old.
pub fn link_invalid(page: &Page) -> Markup {
    page.render(html! {
        h1 { "Länken gäller inte längre" }
        p.lead { "Länken är redan använd, för gammal eller felaktig." }
        p { "Du kan " a href="/glomt-losenord" { "beställa en ny länk" } " eller "
            a href="/logga-in" { "logga in" } " om ditt konto redan är klart." }
    })
}

/// A short notice above the login form (after verifying, resetting, logging out).
pub fn login(page: &Page, form: &FormState, csrf: &str, notice: Option<&str>) -> Markup {
    page.render(html! {
        h1 { "Logga in" }
        @if let Some(notice) = notice {
            p.notis role="status" { (notice) }
        }
        (error_summary(form))
        form.formular method="post" action="/logga-in" novalidate {
            (csrf_field(csrf))
            input type="hidden" name="tillbaka" value=(form.value("tillbaka"));
            (field(form, &Field::text("epost", "E-post").kind(InputKind::Email).required()
                .autocomplete("username").max_chars(254)))
            (field(form, &Field::text("losenord", "Lösenord").kind(InputKind::Password)
                .required().autocomplete("current-password")))
            button type="submit" { "Logga in" }
        }
        p { a href="/glomt-losenord" { "Glömt lösenordet?" } }
        p { "Inte medlem än? " a href="/registrera" { "Skapa konto" } }
    })
}

/// `/glomt-losenord`: the address to send a link to.
pub fn forgot(page: &Page, form: &FormState, csrf: &str) -> Markup {
    page.render(html! {
        h1 { "Glömt lösenordet" }
        p.lead { "Skriv e-postadressen du loggar in med, så skickar vi en länk där du väljer "
                 "ett nytt lösenord. Länken gäller i en timme och kan användas en gång." }
        (error_summary(form))
        form.formular method="post" action="/glomt-losenord" novalidate {
            (csrf_field(csrf))
            (field(form, &Field::text("epost", "E-post").kind(InputKind::Email).required()
                .autocomplete("email").max_chars(254)))
            button type="submit" { "Skicka länk" }
        }
    })
}

/// After asking for a link: the same answer whether or not the address has an account.
pub fn forgot_sent(page: &Page) -> Markup {
    page.render(html! {
        h1 { "Kolla din e-post" }
        p.lead { "Om det finns ett konto med den adressen har vi skickat en länk dit. Den gäller "
                 "i en timme." }
        p { a href="/logga-in" { "Till inloggningen" } }
    })
}

/// `/aterstall/{token}`: a new password (or the first one, for an invited member).
pub fn new_password(
    page: &Page,
    form: &FormState,
    action: &str,
    csrf: &str,
    first: bool,
) -> Markup {
    let title = if first {
        "Välj ett lösenord"
    } else {
        "Välj ett nytt lösenord"
    };
    page.render(html! {
        h1 { (title) }
        @if first {
            p.lead { "Du har bjudits in till hallbar. Välj ett lösenord för att öppna ditt konto." }
        }
        (error_summary(form))
        form.formular method="post" action=(action) novalidate {
            (csrf_field(csrf))
            (field(form, &Field::text("losenord", "Nytt lösenord").kind(InputKind::Password)
                .required().autocomplete("new-password").hint(PASSWORD_HINT)))
            button type="submit" { "Spara lösenordet" }
        }
    })
}

/// `/villkor`: what members agree to.
pub fn terms(page: &Page) -> Markup {
    page.render(html! {
        h1 { "Villkor för medlemmar" }
        p.lead { "hallbar är en mötesplats för alla som arbetar med socialt hållbar utveckling "
                 "i Göteborg. Som medlem godkänner du de här villkoren." }
        h2 { "Ditt konto" }
        ul.list {
            li { "Kontot är personligt. Använd ditt riktiga namn och en e-postadress som är din." }
            li { "Håll lösenordet för dig själv. Misstänker du att någon annan kan det, byt det "
                 "under Min profil." }
        }
        h2 { "Det du skriver" }
        ul.list {
            li { "Du ansvarar för det du skriver i din profil, i grupper och i diskussioner." }
            li { "Skriv sakligt och respektfullt. Kränkningar, hets, reklam och personuppgifter "
                 "om andra utan deras samtycke är inte tillåtna och tas bort." }
            li { "Det du publicerar får visas på hallbar enligt de synlighetsval du gör." }
        }
        h2 { "Avsluta" }
        p { "Du kan när som helst radera ditt konto under Min profil. Då tas profilen, dina "
            "kompetenser och dina inloggningar bort direkt." }
        p { "Läs också " a href="/integritetspolicy" { "integritetspolicyn" } "." }
    })
}

/// `/integritetspolicy`: which personal data is kept, why, and the member's rights.
pub fn privacy(page: &Page) -> Markup {
    page.render(html! {
        h1 { "Integritetspolicy" }
        p.lead { "Så här hanterar hallbar dina personuppgifter enligt dataskyddsförordningen (GDPR)." }
        h2 { "Vilka uppgifter vi sparar" }
        ul.list {
            li { "Konto: namn, e-postadress, lösenordet som ett saltat argon2id-kondensat (aldrig "
                 "lösenordet självt), roll och när kontot skapades och bekräftades." }
            li { "Profil: det du själv fyller i – titel, organisation, sektor, stadsdel, bakgrund, "
                 "kompetenser, intressen, länkar och vem som får se profilen." }
            li { "Inloggningar: när de började och senast användes. Kakan i din webbläsare "
                 "innehåller bara ett slumpat id; vi sparar ett kondensat av det." }
        }
        h2 { "Varför" }
        p { "Uppgifterna behövs för att du ska kunna logga in och för att andra ska kunna hitta "
            "dig som kollega (berättigat intresse och ditt samtycke när du skapar kontot)." }
        h2 { "Kakor" }
        p { "hallbar använder bara nödvändiga kakor: en för inloggningen och en som skyddar "
            "formulär mot förfalskade anrop. Inga kakor för spårning eller statistik." }
        h2 { "Dina rättigheter" }
        ul.list {
            li { "Ladda ner allt vi har om dig som JSON under " a href="/profil/data" { "Min profil › Mina uppgifter" } "." }
            li { "Ändra dina uppgifter under " a href="/profil/redigera" { "Redigera profilen" } "." }
            li { "Radera ditt konto under " a href="/profil/radera" { "Radera kontot" } ". Då försvinner "
                 "profilen direkt ur sökningen, medlemslistan och förslagen." }
        }
    })
}
