//! Links that keep a search's state in the URL.

/// `action?params`, with `remove` taken out, `page` set (or dropped for page 1) and, when
/// given, `q` replaced.
pub fn link(
    action: &str,
    params: &[(String, String)],
    remove: Option<(&str, &str)>,
    page: Option<usize>,
    query: Option<&str>,
) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    for (name, value) in params {
        if name == "sida" || (query.is_some() && name == "q") {
            continue;
        }
        if remove.is_some_and(|(n, v)| n == name && v == value) {
            continue;
        }
        url.append_pair(name, value);
    }
    if let Some(q) = query {
        url.append_pair("q", q);
    }
    if let Some(page) = page.filter(|p| *p > 1) {
        url.append_pair("sida", &page.to_string());
    }
    let encoded = url.finish();
    if encoded.is_empty() {
        action.to_string()
    } else {
        format!("{action}?{encoded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_state_and_drop_what_they_should() {
        let params = vec![
            ("q".to_string(), "trygghet & dialog".to_string()),
            ("stadsdel".to_string(), "angered".to_string()),
            ("stadsdel".to_string(), "centrum".to_string()),
            ("sida".to_string(), "3".to_string()),
        ];
        assert_eq!(
            link("/sok", &params, Some(("stadsdel", "angered")), None, None),
            "/sok?q=trygghet+%26+dialog&stadsdel=centrum"
        );
        assert_eq!(
            link("/sok", &params, None, Some(2), None),
            "/sok?q=trygghet+%26+dialog&stadsdel=angered&stadsdel=centrum&sida=2"
        );
        assert_eq!(
            link("/sok", &params, None, None, Some("trygghet")),
            "/sok?stadsdel=angered&stadsdel=centrum&q=trygghet"
        );
        assert_eq!(link("/pivi", &[], None, Some(1), None), "/pivi");
    }
}
