//! Reading a search from URL parameters (`q`, the facets, `sortera`, `sida`, `per_sida`):
//! shared by the pages, the JSON API and the CLI, with a precise error naming the bad
//! parameter.

use super::facets::{FacetKey, clip};
use super::request::{
    Filters, MAX_PAGE, MAX_PER_PAGE, MAX_REACHABLE, SearchRequest, Sort, Viewer,
    last_reachable_page,
};

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// The most values one facet parameter may repeat.
pub const MAX_VALUES: usize = 30;

/// Parameters every search page understands besides its facets.
pub const SEARCH_PARAMETERS: &[&str] = &["q", "sortera", "sida", "per_sida"];

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

/// A URL query string's `name=value` pairs, decoded, trimmed, empty values dropped,
/// competences in lower case (as the search reads them, so links that remove a filter find
/// them).
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    form_urlencoded::parse(raw.as_bytes())
        .filter_map(|(name, value)| {
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            let value = if name == FacetKey::Competence.name() {
                crate::model::competence_key(value)
            } else {
                value.to_string()
            };
            Some((name.into_owned(), value))
        })
        .collect()
}

/// Only the parameters a search page offers (the query, sort, paging and its own facets):
/// anything else in the URL would filter invisibly, with no chip to remove it.
pub fn offered(pairs: Vec<(String, String)>, facets: &[FacetKey]) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .filter(|(name, _)| {
            SEARCH_PARAMETERS.contains(&name.as_str())
                || facets.iter().any(|facet| facet.name() == name)
        })
        .collect()
}

/// The value of one parameter (the first, when repeated).
pub fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The URL parameters of what `request` asks for, in one canonical order (`q`, the given
/// `facets` in list order with each value once, `sortera` and `per_sida` when not the
/// default). Links are built from these, never from the query string as sent, so a URL
/// that repeats a value thousands of times does not make every link on the page repeat it.
/// The page number is not included.
pub fn canonical_pairs(request: &SearchRequest, facets: &[FacetKey]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    if !request.query.is_empty() {
        pairs.push(("q".to_string(), request.query.clone()));
    }
    for facet in super::facets::FACETS {
        if facets.contains(&facet) {
            for value in facet.selected(&request.filters) {
                pairs.push((facet.name().to_string(), value));
            }
        }
    }
    if request.sort == Sort::Newest {
        pairs.push(("sortera".to_string(), "nyast".to_string()));
    }
    if request.per_page != SearchRequest::default().per_page {
        pairs.push(("per_sida".to_string(), request.per_page.to_string()));
    }
    pairs
}

/// Checks a free-text query's length.
pub fn check_query(parameter: &str, query: &str) -> Result<(), ParamError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(error(
            parameter,
            format!("sökfrågan får vara högst {MAX_QUERY_CHARS} tecken"),
        ));
    }
    Ok(())
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
    let mut given: Vec<&str> = Vec::new();
    for (name, value) in pairs {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if SEARCH_PARAMETERS.contains(&name) {
            if given.contains(&name) {
                return Err(error(name, "får bara anges en gång"));
            }
            given.push(name);
        }
        if let Some(facet) = FacetKey::from_name(name) {
            if facet.count(&filters) >= MAX_VALUES {
                // A repeated value is no new value; only a new one is over the limit.
                let mut probe = filters.clone();
                if facet.add(&mut probe, value).map_err(|e| error(name, e.0))? {
                    return Err(error(name, format!("högst {MAX_VALUES} värden")));
                }
                continue;
            }
            facet
                .add(&mut filters, value)
                .map_err(|e| error(name, e.0))?;
            continue;
        }
        match name {
            "q" => {
                check_query("q", value)?;
                request.query = value.to_string();
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
    let last = last_reachable_page(request.per_page);
    if request.page > last {
        return Err(error(
            "sida",
            format!(
                "sidorna når bara de {MAX_REACHABLE} första träffarna; med {} per sida är sida {last} \
                 den sista – förfina sökningen i stället",
                request.per_page
            ),
        ));
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::DocKind;
    use crate::model::{District, TargetGroup};

    #[test]
    fn reads_every_parameter() {
        let r = parse(
            [
                ("q", " dialog "),
                ("typ", "pivi"),
                ("typ", "artikel"),
                ("stadsdel", "angered"),
                ("malgrupp", "unga"),
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
        assert_eq!(r.filters.target_groups, [TargetGroup::Youth]);
        assert_eq!(r.filters.years, [2015]);
        assert_eq!(r.filters.competences, ["medborgardialog"]);
        assert_eq!((r.page, r.sort), (2, Sort::Newest));
    }

    #[test]
    fn pages_reach_only_the_first_thousand_hits() {
        let page = |sida: &str, per_sida: &str| {
            parse([("sida", sida), ("per_sida", per_sida)], Viewer::Anonymous)
        };
        assert_eq!(page("50", "20").unwrap().page, 50);
        assert_eq!(page("10", "100").unwrap().page, 10);
        for (sida, per_sida) in [("51", "20"), ("11", "100"), ("500", "100")] {
            let e = page(sida, per_sida).unwrap_err();
            assert_eq!(e.parameter, "sida", "{e}");
            assert!(e.to_string().contains("1000 första träffarna"), "{e}");
        }
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
            ("malgrupp", "katter"),
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

    #[test]
    fn a_facet_takes_at_most_thirty_different_values() {
        let years: Vec<String> = (1990..1990 + MAX_VALUES as i32)
            .map(|y| y.to_string())
            .collect();
        let mut given: Vec<(&str, &str)> = years.iter().map(|y| ("ar", y.as_str())).collect();
        // Repeating a value already given is not a new one.
        given.push(("ar", "1990"));
        assert_eq!(
            parse(given.clone(), Viewer::Anonymous)
                .unwrap()
                .filters
                .years
                .len(),
            MAX_VALUES
        );
        given.push(("ar", "2050"));
        assert_eq!(parse(given, Viewer::Anonymous).unwrap_err().parameter, "ar");
    }

    #[test]
    fn single_valued_parameters_may_not_repeat() {
        for name in SEARCH_PARAMETERS {
            let value = if *name == "sortera" { "nyast" } else { "2" };
            let e = parse([(*name, value), (*name, value)], Viewer::Anonymous).unwrap_err();
            assert_eq!(e.parameter, *name);
            assert_eq!(e.message, "får bara anges en gång");
        }
        // An empty repeat is no value at all.
        assert!(parse([("q", "dialog"), ("q", " ")], Viewer::Anonymous).is_ok());
    }

    #[test]
    fn canonical_pairs_hold_each_value_once_in_list_order() {
        let mut given = vec![("stadsdel", "angered"); 500];
        given.extend([
            ("q", "dialog"),
            ("typ", "pivi"),
            ("stadsdel", "lundby"),
            ("per_sida", "20"),
            ("sortera", "nyast"),
        ]);
        let request = parse(given, Viewer::Anonymous).unwrap();
        let pairs = canonical_pairs(&request, &[FacetKey::District, FacetKey::Kind]);
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("q", "dialog"),
                ("typ", "pivi"),
                ("stadsdel", "angered"),
                ("stadsdel", "lundby"),
                ("sortera", "nyast"),
            ]
        );
        // Facets the page does not offer are left out.
        let pairs = canonical_pairs(&request, &[]);
        assert_eq!(pairs.len(), 2);
    }

    #[test]
    fn pairs_are_decoded_trimmed_and_only_offered_ones_kept() {
        let all = pairs(Some(
            "q=+trygg%20het+&kompetens=Dialog&stadsdel=&utm=x&sida=2",
        ));
        assert_eq!(
            all,
            [
                ("q".to_string(), "trygg het".to_string()),
                ("kompetens".to_string(), "dialog".to_string()),
                ("utm".to_string(), "x".to_string()),
                ("sida".to_string(), "2".to_string()),
            ]
        );
        let kept = offered(all, &[FacetKey::District]);
        let names: Vec<&str> = kept.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["q", "sida"]);
        assert!(pairs(None).is_empty());
    }
}
