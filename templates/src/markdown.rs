//! User-written Markdown to safe HTML: pulldown-cmark renders, ammonia keeps only plain
//! formatting (no scripts, event handlers, `javascript:` links or images; other raw HTML is
//! reduced to its allowed tags).

use maud::{Markup, PreEscaped};
use pulldown_cmark::{Options, Parser, html};

/// Renders Markdown as sanitized HTML. Headings are shifted down so a text's own `#`
/// never competes with the page's `h1`.
pub fn to_html(markdown: &str) -> Markup {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    )
    .map(|event| match event {
        pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Heading(level)) => {
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Heading(shift(level)))
        }
        other => other,
    });
    let mut raw = String::new();
    html::push_html(&mut raw, parser);
    let clean = ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        // No images: they would load from anywhere (tracking) and carry no alt text.
        .rm_tags(["img"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&raw)
        .to_string();
    PreEscaped(clean)
}

fn shift(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    match level {
        H1 | H2 => H2,
        H3 => H3,
        H4 => H4,
        H5 => H5,
        H6 => H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_stays_and_hostile_markup_goes() {
        let html = to_html(
            "# Rubrik\n\nEn **fet** [länk](https://goteborg.se) och \
             <script>alert(1)</script> <img src=x onerror=alert(1)> [farlig](javascript:alert(1))",
        )
        .into_string();
        assert!(html.contains("<h2>Rubrik</h2>"), "{html}");
        assert!(html.contains("<strong>fet</strong>"));
        assert!(html.contains("href=\"https://goteborg.se\""));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }
}
