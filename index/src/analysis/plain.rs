//! Markdown to plain text, so the index and its snippets hold words, not markup.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The text of a Markdown document: paragraphs, headings and list items separated by blank
/// lines or new lines; emphasis, links and code marks dropped (their text kept); raw HTML
/// dropped entirely.
pub fn markdown_to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Start(Tag::Item) if !out.is_empty() && !out.ends_with('\n') => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => {
                out.push('\n');
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_words_drops_markup() {
        let text = markdown_to_text(
            "## Rubrik\n\nEn **fet** och [länkad](https://goteborg.se/) text.\n\n- ett\n- två\n\n<script>alert(1)</script>",
        );
        assert_eq!(text, "Rubrik\nEn fet och länkad text.\nett\ntvå");
    }
}
