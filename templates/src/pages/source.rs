//! The page about hallbar's licence and where to get the source of the version that runs.

use maud::{Markup, html};

use crate::Page;

/// What the source page offers.
#[derive(Debug, Clone, Copy)]
pub struct SourceOffer<'a> {
    /// The program's version, e.g. `0.1.0`.
    pub version: &'a str,
    /// The site path of the archive of the sources this binary was built from.
    pub archive_path: &'a str,
    /// The archive's size in bytes.
    pub archive_bytes: usize,
    /// Where the operator publishes the source, if they said so (`--source-url`).
    pub published_at: Option<&'a str>,
}

pub fn source(page: &Page, offer: &SourceOffer) -> Markup {
    let file_name = offer
        .archive_path
        .rsplit('/')
        .next()
        .unwrap_or(offer.archive_path);
    page.render(html! {
        h1 { "Källkod" }
        p.lead {
            "hallbar är fri programvara. Du får använda, studera, ändra och dela den enligt "
            "villkoren i GNU Affero General Public License, version 3 eller (om du vill) "
            "någon senare version (AGPL-3.0-or-later)."
        }
        h2 { "Hämta källkoden" }
        p {
            "Källkoden till exakt den version som körs här, hallbar " (offer.version)
            ", följer med programmet: "
            a href=(offer.archive_path) download=(file_name) { (file_name) }
            " (" (megabytes(offer.archive_bytes)) ", ett tar-arkiv packat med gzip)."
        }
        @if let Some(url) = offer.published_at {
            p {
                "De som driver webbplatsen publicerar också källkoden på "
                a href=(url) { (url) } "."
            }
        }
        p {
            "Arkivet innehåller allt som behövs för att bygga, köra och ändra programmet, "
            "och README.md beskriver hur. Den som kör en ändrad version som en tjänst på "
            "nätet ska på samma sätt erbjuda sina användare källkoden till sin version."
        }
        h2 { "Licensen och garantin" }
        p {
            "Licensens fullständiga text finns i filen LICENSE i arkivet och hos "
            a href="https://www.gnu.org/licenses/agpl-3.0.html" lang="en" {
                "GNU Affero General Public License"
            } "."
        }
        p {
            "Programmet ges ut i hopp om att det ska vara användbart, men utan någon som helst "
            "garanti, inte ens underförstådd garanti om säljbarhet eller lämplighet för ett "
            "visst ändamål. Se licensen för detaljer."
        }
    })
}

/// A size in megabytes with a decimal comma: `2,9 MB`.
fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u64 * 10 + 524_288) / 1_048_576;
    format!("{},{} MB", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_in_megabytes_with_a_decimal_comma() {
        assert_eq!(megabytes(0), "0,0 MB");
        assert_eq!(megabytes(3_040_000), "2,9 MB");
        assert_eq!(megabytes(1_048_576), "1,0 MB");
        assert_eq!(megabytes(52_428), "0,0 MB");
        assert_eq!(megabytes(52_429), "0,1 MB");
    }

    fn render(published_at: Option<&str>) -> String {
        let page = Page::new("Källkod", "Beskrivning", "https://exempel.se/kallkod");
        source(
            &page,
            &SourceOffer {
                version: "1.2.3",
                archive_path: "/kallkod/hallbar-1.2.3.tar.gz",
                archive_bytes: 2_000_000,
                published_at,
            },
        )
        .into_string()
    }

    #[test]
    fn the_page_offers_the_archive_and_the_published_source() {
        let html = render(None);
        assert!(html.contains(
            r#"<a href="/kallkod/hallbar-1.2.3.tar.gz" download="hallbar-1.2.3.tar.gz">"#
        ));
        assert!(html.contains("hallbar 1.2.3"));
        assert!(html.contains("1,9 MB"));
        assert!(html.contains("AGPL-3.0-or-later"));
        assert!(!html.contains("publicerar också"));
        let html = render(Some("https://git.exempel.se/hallbar?ref=<main>"));
        assert!(html.contains(r#"<a href="https://git.exempel.se/hallbar?ref=&lt;main&gt;">"#));
    }
}
