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

/// Swedish local time of a moment: UTC+1, UTC+2 in summer (from 01:00 UTC on the last
/// Sunday of March to 01:00 UTC on the last Sunday of October, as in the whole EU).
pub fn local_time(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    use chrono::{Datelike, NaiveDate, Weekday};
    let last_sunday = |month: u32| {
        let mut day = NaiveDate::from_ymd_opt(at.year(), month, 31).unwrap_or_default();
        while day.weekday() != Weekday::Sun {
            day = day.pred_opt().unwrap_or(day);
        }
        day.and_hms_opt(1, 0, 0).unwrap_or_default()
    };
    let naive = at.naive_utc();
    let summer = naive >= last_sunday(3) && naive < last_sunday(10);
    naive + chrono::Duration::hours(if summer { 2 } else { 1 })
}

/// A `<time>` element for a moment, in Swedish local time: `5 mars 2024 kl. 14.05`.
pub fn moment(at: chrono::DateTime<chrono::Utc>) -> Markup {
    let local = local_time(at);
    let day = swedish_date(&local.format("%Y-%m-%d").to_string());
    html! {
        time datetime=(at.format("%Y-%m-%dT%H:%M:%SZ").to_string()) {
            (day) " kl. " (local.format("%H.%M").to_string())
        }
    }
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
mod moment_tests {
    use chrono::TimeZone;

    #[test]
    fn moments_are_shown_in_swedish_local_time() {
        let winter = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 9, 5, 0).unwrap();
        assert!(
            super::moment(winter)
                .into_string()
                .contains("1 december 2026 kl. 10.05")
        );
        let summer = chrono::Utc.with_ymd_and_hms(2026, 6, 1, 9, 5, 0).unwrap();
        assert!(
            super::moment(summer)
                .into_string()
                .contains("1 juni 2026 kl. 11.05")
        );
    }
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
