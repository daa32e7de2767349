//! The service's own pages: about, accessibility statement, contact, and the login page.

use maud::{Markup, PreEscaped, html};

use crate::Page;

pub fn about(page: &Page) -> Markup {
    page.render(html! {
        h1 { "Om hallbar" }
        p.lead {
            "hallbar är en digital mötesplats och kunskapsbank för alla som arbetar med socialt "
            "hållbar utveckling i Göteborg: tjänstepersoner, yrkesverksamma, forskare, studenter, "
            "näringsliv och föreningar."
        }
        h2 { "Varför" }
        p {
            "Arbetet för ett socialt hållbart Göteborg görs på många ställen samtidigt. Genom att "
            "synliggöra arbetssätt, metoder och de människor som kan dem behöver ingen uppfinna "
            "hjulet på nytt – vi kan mötas och lära av varandra, över gränserna mellan "
            "förvaltningar, stadsdelar, universitet, näringsliv och föreningsliv."
        }
        h2 { "Vad som finns här" }
        ul.list {
            li { a href="/stadsutveckling" { "Kunskapsmatrisen" } " – systematiserad kunskap om "
                 "stadens mellanrum och stadsrum, med artiklar för fördjupning." }
            li { a href="/pivi" { "pivi" } " – projekt, idéer, verksamheter och inspiration från "
                 "socialt utvecklingsarbete." }
            li { a href="/medinflytande" { "Dialogverktyget" } " – texter, checklistor och "
                 "erfarenheter för dialogens fyra faser." }
            li { a href="/medlemmar" { "Medlemmar" } " – människor och deras kompetens, så att "
                 "du hittar rätt kollega." }
        }
        p {
            "Stödmodellerna och sökningen är öppna för alla, utan konto. Grupper, diskussioner "
            "och profiler som bara visas för medlemmar kräver inloggning."
        }
    })
}

pub fn accessibility(page: &Page) -> Markup {
    page.render(html! {
        // A soft hyphen lets the long word break at its joint on a phone.
        h1 { "Tillgänglighets" (PreEscaped("&shy;")) "redogörelse" }
        p.lead {
            "Vi vill att alla ska kunna använda hallbar, oavsett funktionsförmåga och "
            "hjälpmedel. Webbplatsen ska uppfylla WCAG 2.1 på nivå AA."
        }
        h2 { "Så är webbplatsen byggd" }
        ul.list {
            li { "Alla sidor fungerar utan JavaScript; skript används bara som förbättring "
                 "(sökförslag och att checklistor minns dina kryss)." }
            li { "Allt går att använda med tangentbord, fokus syns tydligt och varje sida har "
                 "en länk för att hoppa direkt till innehållet." }
            li { "Rubriker, landmärken, etiketter på formulärfält och tabellrubriker gör "
                 "sidorna begripliga med skärmläsare." }
            li { "Text och bakgrund har minst kontrasten 4,5:1, och sidorna fungerar i mobil "
                 "och med förstorad text." }
            li { "Checklistor går att skriva ut." }
        }
        h2 { "Så testar vi" }
        p {
            "Varje sidtyp kontrolleras automatiskt med verktyget axe i en riktig webbläsare "
            "vid varje ändring av koden, i både mobil- och datorbredd."
        }
        h2 { "Kända brister" }
        p {
            "Texter som medlemmar och redaktörer skriver kan ha brister, till exempel länkar "
            "som inte beskriver vart de leder. Hör gärna av dig om du hittar något."
        }
        h2 { "Kontakta oss om tillgängligheten" }
        p { "Om något inte fungerar för dig: " a href="/kontakt" { "kontakta oss" } "." }
    })
}

pub fn contact(page: &Page, email: Option<&str>) -> Markup {
    page.render(html! {
        h1 { "Kontakt" }
        @if let Some(email) = email {
            p.lead {
                "Frågor och synpunkter om hallbar skickar du till "
                a href=(format!("mailto:{email}")) { (email) } "."
            }
        } @else {
            p.lead {
                "Frågor och synpunkter om hallbar tas emot av den organisation som driver "
                "webbplatsen."
            }
        }
        h2 { "Frågor om innehållet" }
        ul.list {
            li { "Varje projekt i " a href="/pivi" { "pivi" } " har en kontaktperson – kontakta "
                 "henne eller honom direkt för frågor om projektet." }
            li { "Artiklarna i " a href="/stadsutveckling" { "kunskapsmatrisen" } " och texterna i "
                 a href="/medinflytande" { "dialogverktyget" } " anger vem som skrivit dem." }
            li { "Vill du hitta någon som kan ett visst ämne? Sök bland "
                 a href="/medlemmar" { "medlemmarna" } " på kompetens." }
        }
    })
}
