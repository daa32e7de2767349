//! The page frame every view is rendered into: head, skip link, header, main, footer.

use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The site's name, as shown in titles and the header.
pub const SITE_NAME: &str = "hallbar";

/// A small hand-written stylesheet (AA contrast, visible focus, readable on a phone).
const CSS: &str = "\
:root{--ink:#1b1b1b;--muted:#4a4a4a;--accent:#00528a;--bg:#fff;--soft:#f2f5f8}\
*{box-sizing:border-box}\
body{margin:0;font:1.05rem/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:var(--bg)}\
a{color:var(--accent)}\
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #b35c00;outline-offset:2px}\
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}\
.skip:focus{left:1rem}\
header.site,main,footer.site{max-width:62rem;margin:0 auto;padding:1rem}\
header.site{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline;border-bottom:1px solid #d0d7de}\
.brand{font-weight:700;font-size:1.4rem;text-decoration:none}\
.tagline{color:var(--muted)}\
.cards{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));padding:0;list-style:none}\
.cards>li{background:var(--soft);border-radius:.5rem;padding:1rem}\
.cards h3{margin-top:0}\
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem}\
.stats div{background:var(--soft);border-radius:.5rem;padding:.75rem}\
.stats dt{color:var(--muted)}.stats dd{margin:0;font-size:1.5rem;font-weight:700}\
footer.site{border-top:1px solid #d0d7de;color:var(--muted);margin-top:2rem}\
";

/// Renders `body` inside the site's frame. `title` is the page's own title.
pub fn page(title: &str, description: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (SITE_NAME) }
                meta name="description" content=(description);
                style { (PreEscaped(CSS)) }
            }
            body {
                a.skip href="#innehall" { "Hoppa till innehållet" }
                header.site {
                    a.brand href="/" { (SITE_NAME) }
                    span.tagline { "Socialt hållbar utveckling i Göteborg" }
                }
                main id="innehall" tabindex="-1" { (body) }
                footer.site {
                    p {
                        "hallbar är en mötesplats och kunskapsbank för alla som arbetar med "
                        "socialt hållbar utveckling i Göteborg."
                    }
                }
            }
        }
    }
}
