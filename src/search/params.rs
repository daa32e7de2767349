//! Reading a search from URL parameters (`q`, `typ`, `stadsdel`, … `sida`): shared by the
//! JSON API, the CLI and the search page, with a precise error naming the bad parameter.

use hallbar_index::search::{Filters, MAX_PAGE, MAX_PER_PAGE, SearchRequest, Sort, Viewer};
use hallbar_index::{District, DocKind, Phase, ProjectKind, Sector, TargetGroup};

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// The most values one facet parameter may repeat.
pub const MAX_VALUES: usize = 30;

/// A parameter that cannot be used, and why (in Swedish).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{parameter}: {message}")]
pub struct ParamError {
    pub parameter: String,
    pub message: String,
}

fn error(parameter: &str, message: impl Into<String>) -> ParamError {
    ParamError {
        parameter: parameter.to_string(),
        message: message.into(),
    }
}

fn push_unique<T: PartialEq>(
    list: &mut Vec<T>,
    value: T,
    parameter: &str,
) -> Result<(), ParamError> {
    if !list.contains(&value) {
        if list.len() >= MAX_VALUES {
            return Err(error(parameter, format!("högst {MAX_VALUES} värden")));
        }
        list.push(value);
    }
    Ok(())
}

fn number(
    parameter: &str,
    value: &str,
    range: std::ops::RangeInclusive<usize>,
) -> Result<usize, ParamError> {
    let n: usize = value
        .trim()
        .parse()
        .map_err(|_| error(parameter, format!("\"{}\" är inget heltal", clip(value))))?;
    if !range.contains(&n) {
        return Err(error(
            parameter,
            format!("måste vara mellan {} och {}", range.start(), range.end()),
        ));
    }
    Ok(n)
}

fn clip(value: &str) -> String {
    value.chars().take(40).collect()
}

/// Builds a search from `(name, value)` pairs. Empty values are ignored; unknown names too.
pub fn parse<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    viewer: Viewer,
) -> Result<SearchRequest, ParamError> {
    let mut request = SearchRequest {
        viewer,
        ..SearchRequest::default()
    };
    let mut filters = Filters::default();
    for (name, value) in pairs {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match name {
            "q" => {
                if value.chars().count() > MAX_QUERY_CHARS {
                    return Err(error(
                        "q",
                        format!("sökfrågan får vara högst {MAX_QUERY_CHARS} tecken"),
                    ));
                }
                request.query = value.to_string();
            }
            "typ" => {
                let kind = DocKind::from_slug(value).ok_or_else(|| {
                    let allowed: Vec<&str> = DocKind::ALL.iter().map(|k| k.slug()).collect();
                    error(
                        "typ",
                        format!(
                            "okänt värde \"{}\"; tillåtna: {}",
                            clip(value),
                            allowed.join(", ")
                        ),
                    )
                })?;
                push_unique(&mut filters.kinds, kind, "typ")?;
            }
            "stadsdel" => {
                let d = District::from_slug(value).map_err(|e| error("stadsdel", e.to_string()))?;
                push_unique(&mut filters.districts, d, "stadsdel")?;
            }
            "sektor" => {
                let s = Sector::from_slug(value).map_err(|e| error("sektor", e.to_string()))?;
                push_unique(&mut filters.sectors, s, "sektor")?;
            }
            "fas" => {
                let p = Phase::from_slug(value).map_err(|e| error("fas", e.to_string()))?;
                push_unique(&mut filters.phases, p, "fas")?;
            }
            "kategori" => {
                let k =
                    ProjectKind::from_slug(value).map_err(|e| error("kategori", e.to_string()))?;
                push_unique(&mut filters.pivi_kinds, k, "kategori")?;
            }
            "malgrupp" => {
                let g =
                    TargetGroup::from_slug(value).map_err(|e| error("malgrupp", e.to_string()))?;
                push_unique(&mut filters.target_groups, g, "malgrupp")?;
            }
            "kompetens" => {
                if value.chars().count() > 120 {
                    return Err(error("kompetens", "får vara högst 120 tecken"));
                }
                push_unique(&mut filters.competences, value.to_lowercase(), "kompetens")?;
            }
            "ar" => {
                let year = number("ar", value, 1900..=2100)? as i32;
                push_unique(&mut filters.years, year, "ar")?;
            }
            "sida" => request.page = number("sida", value, 1..=MAX_PAGE)?,
            "per_sida" => request.per_page = number("per_sida", value, 1..=MAX_PER_PAGE)?,
            "sortera" => {
                request.sort = match value {
                    "relevans" => Sort::Relevance,
                    "nyast" => Sort::Newest,
                    other => {
                        return Err(error(
                            "sortera",
                            format!("okänt värde \"{}\"; tillåtna: relevans, nyast", clip(other)),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    request.filters = filters;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_parameter() {
        let r = parse(
            [
                ("q", " dialog "),
                ("typ", "pivi"),
                ("typ", "artikel"),
                ("stadsdel", "angered"),
                ("sida", "2"),
                ("sortera", "nyast"),
                ("ar", "2015"),
                ("kompetens", "Medborgardialog"),
                ("utm", "x"),
            ],
            Viewer::Anonymous,
        )
        .unwrap();
        assert_eq!(r.query, "dialog");
        assert_eq!(r.filters.kinds, [DocKind::Pivi, DocKind::Article]);
        assert_eq!(r.filters.districts, [District::Angered]);
        assert_eq!(r.filters.years, [2015]);
        assert_eq!(r.filters.competences, ["medborgardialog"]);
        assert_eq!((r.page, r.sort), (2, Sort::Newest));
    }

    #[test]
    fn bad_values_name_the_parameter() {
        for (name, value) in [
            ("stadsdel", "mölndal"),
            ("sida", "-1"),
            ("sida", "0"),
            ("sida", "abc"),
            ("typ", "x"),
            ("sortera", "bäst"),
            ("ar", "20155"),
        ] {
            let e = parse([(name, value)], Viewer::Anonymous).unwrap_err();
            assert_eq!(e.parameter, name, "{e}");
        }
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(
            parse([("q", long.as_str())], Viewer::Anonymous)
                .unwrap_err()
                .parameter,
            "q"
        );
    }
}
