//! Dates and numbers in Swedish.

use maud::{Markup, html};

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// `2024-03-05` → `5 mars 2024`; anything else is returned as it is.
pub fn swedish_date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(date) => {
            use chrono::Datelike;
            format!(
                "{} {} {}",
                date.day(),
                MONTHS[date.month0() as usize],
                date.year()
            )
        }
        Err(_) => iso.to_string(),
    }
}

/// A `<time>` element for a date.
pub fn date(date: &chrono::NaiveDate) -> Markup {
    let iso = date.format("%Y-%m-%d").to_string();
    html! { time datetime=(iso) { (swedish_date(&iso)) } }
}

/// "1 träff" / "12 träffar".
pub fn hits_phrase(total: u64) -> String {
    match total {
        1 => "1 träff".to_string(),
        n => format!("{} träffar", thousands(n)),
    }
}

/// 12345 → "12 345" (Swedish digit grouping with a no-break space).
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers_are_swedish() {
        assert_eq!(swedish_date("2024-03-05"), "5 mars 2024");
        assert_eq!(swedish_date("okänt"), "okänt");
        assert_eq!(thousands(12345), "12\u{a0}345");
        assert_eq!(hits_phrase(1), "1 träff");
    }
}
