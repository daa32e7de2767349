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

/// Renders a member's post as sanitized HTML, stricter than [`to_html`]: raw HTML is shown
/// as the text it is, images become their alt text (nothing loads from other hosts),
/// headings are all `h3` (under the page's `h2`), links get `rel="nofollow noopener ugc"`,
/// and each `@medlems-id` for which `linkable` says yes links to that member's profile.
pub fn post_to_html(markdown: &str, linkable: &dyn Fn(&str) -> bool) -> Markup {
    use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
    let mut in_link = 0usize;
    let mut in_code = false;
    let mut events = Vec::new();
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    ) {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) => events.push(Event::Start(Tag::Heading {
                level: HeadingLevel::H3,
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(_)) => {
                events.push(Event::End(TagEnd::Heading(HeadingLevel::H3)));
            }
            Event::Start(Tag::Link { .. }) => {
                in_link += 1;
                events.push(event);
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                events.push(event);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                events.push(event);
            }
            Event::Text(text) if in_link == 0 && !in_code => {
                let mut rest = 0;
                for (start, end, id) in hallbar_index::mentions::mention_spans(&text) {
                    if !linkable(id.as_str()) {
                        continue;
                    }
                    if start > rest {
                        events.push(Event::Text(text[rest..start].to_string().into()));
                    }
                    // An id is only a–z, 0–9 and dashes: nothing in it needs escaping.
                    events.push(Event::InlineHtml(
                        format!(
                            "<a href=\"{}\">@{id}</a>",
                            hallbar_index::paths::member(&id)
                        )
                        .into(),
                    ));
                    rest = end;
                }
                if rest < text.len() {
                    events.push(Event::Text(text[rest..].to_string().into()));
                }
            }
            other => events.push(other),
        }
    }
    let mut raw = String::new();
    html::push_html(&mut raw, events.into_iter());
    let clean = ammonia::Builder::default()
        .link_rel(Some("nofollow noopener ugc"))
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

    #[test]
    fn posts_are_stricter_and_link_mentions() {
        let known = |id: &str| id == "anna-lind";
        let html = post_to_html(
            "# Rubrik\n\nHej @anna-lind och @okand, se [här](https://goteborg.se) \
             <b>fet</b> <script>alert(1)</script> ![bild](https://spion.example/x.png) \
             [farlig](javascript:alert(1))\n\n    @anna-lind i kod",
            &known,
        )
        .into_string();
        assert!(html.contains("<h3>Rubrik</h3>"), "{html}");
        assert!(
            html.contains(
                r#"<a href="/medlemmar/anna-lind" rel="nofollow noopener ugc">@anna-lind</a>"#
            ),
            "{html}"
        );
        assert!(html.contains("@okand"), "{html}");
        assert!(!html.contains("/medlemmar/okand"), "{html}");
        assert!(
            html.contains(r#"href="https://goteborg.se" rel="nofollow noopener ugc""#),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;fet&lt;/b&gt;"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("spion.example"), "{html}");
        assert!(html.contains("bild"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<code>@anna-lind i kod"), "{html}");
    }
}
