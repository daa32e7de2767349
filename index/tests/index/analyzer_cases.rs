//! Table-driven Swedish cases for the analyzer (lemmas, compound parts, folding, restoring
//! å/ä/ö, stop words, tokenization) and for what a query must and must not find in a tiny in-memory index.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hallbar_index::analysis::restore::restorations;
use hallbar_index::analysis::tokenize::MAX_WORD_CHARS;
use hallbar_index::analysis::tokenizers::{Mode, tokens};
use hallbar_index::search::{self, SearchRequest};
use hallbar_index::{SearchDocument, SearchIndex};

/// The token texts `mode` makes of `text`, in order.
fn texts(mode: Mode, text: &str) -> Vec<String> {
    tokens(mode, text).into_iter().map(|t| t.text).collect()
}

/// Word → its lemmas (`Mode::Stem`), exactly.
const LEMMAS: &[(&str, &[&str])] = &[
    ("städerna", &["stad"]),
    ("männen", &["man"]),
    ("bostäder", &["bostad"]),
    ("kompetenser", &["kompetens"]),
    ("kompetensen", &["kompetens"]),
    ("projektet", &["projekt"]),
    ("projekten", &["projekt"]),
    ("samhället", &["samhälle"]),
    ("samhällen", &["samhälle"]),
    ("hållbart", &["hållbar"]),
    ("hållbara", &["hållbar"]),
    ("mötesplatser", &["mötesplats"]),
    ("mötesplatsen", &["mötesplats"]),
    ("staden", &["stad"]),
    ("barnen", &["barn"]),
    ("barnet", &["barn"]),
    ("barnens", &["barn"]),
    ("rättigheter", &["rättighet"]),
    ("rättigheten", &["rättighet"]),
    ("utvecklingen", &["utveckling"]),
    ("kvinnor", &["kvinna"]),
    ("kvinnorna", &["kvinna"]),
    ("ungdomar", &["ungdom"]),
    ("ungdomarna", &["ungdom"]),
    ("föreningar", &["förening"]),
    ("föreningen", &["förening"]),
    ("skolor", &["skola"]),
    ("skolan", &["skola"]),
    ("gårdar", &["gård"]),
    ("gården", &["gård"]),
    ("dialoger", &["dialog"]),
    ("dialogen", &["dialog"]),
    ("invånarna", &["invånare"]),
    ("medborgarna", &["medborgare"]),
    ("områdena", &["område"]),
    ("området", &["område"]),
    ("bostaden", &["bostad"]),
    ("politiken", &["politik"]),
    ("eleverna", &["elev"]),
    ("frågor", &["fråga"]),
    ("mötet", &["möte"]),
    ("arbetet", &["arbete"]),
    ("insatser", &["insats"]),
    ("verksamheten", &["verksamhet"]),
    ("aktiviteter", &["aktivitet"]),
    ("gruppen", &["grupp"]),
    ("organisationen", &["organisation"]),
    ("programmet", &["program"]),
    ("kommunen", &["kommun"]),
    ("medlemmar", &["medlem"]),
    ("ordföranden", &["ordförande"]),
    ("möjligheter", &["möjlighet"]),
    ("förutsättningar", &["förutsättning"]),
    ("stadsdelar", &["stadsdel"]),
    ("mänskliga", &["mänsklig"]),
    ("vackra", &["vacker"]),
    ("unga", &["ung"]),
    ("gick", &["gå"]),
    ("gått", &["gå"]),
    ("sveriges", &["sverige"]),
    // Compounds the lexicon does not know get the compound's own lemma.
    ("trygghetsvandringar", &["trygghetsvandring"]),
    ("medborgardialogen", &["medborgardialog"]),
    ("skolgården", &["skolgård"]),
    ("kulturhuset", &["kulturhus"]),
    ("barnfamiljer", &["barnfamilj"]),
    ("fritidsgårdarna", &["fritidsgård"]),
    ("bostadsområdena", &["bostadsområde"]),
    ("arbetsmarknadsåtgärder", &["arbetsmarknadsåtgärd"]),
    ("hammarkullekarnevalens", &["hammarkullekarneval"]),
];

/// Compound → the lemmas of its parts (`Mode::Parts`), exactly.
const PARTS: &[(&str, &[&str])] = &[
    ("barnrättsperspektivet", &["barn", "rätt", "perspektiv"]),
    ("folkhälsoarbete", &["folkhälsa", "arbete"]),
    ("ungdomsråd", &["ungdom", "råd"]),
    ("förskolegården", &["förskola", "gård"]),
    ("stadsutveckling", &["stad", "utveckling"]),
    ("medborgardialogen", &["medborgare", "dialog"]),
    ("trygghetsvandringar", &["trygghet", "vandring"]),
    ("skolgården", &["skola", "gård"]),
    ("föreningslivet", &["förening", "liv"]),
    ("kunskapsmatrisen", &["kunskap", "matris"]),
    ("bostadsområdena", &["bostad", "område"]),
    ("fritidsgårdarna", &["fritid", "gård"]),
    ("jämställdhetsintegrering", &["jämställdhet", "integrering"]),
    ("mötesplatser", &["möte", "plats"]),
    ("stadsdelsförvaltningen", &["stadsdel", "förvaltning"]),
    ("ungdomsmottagning", &["ungdom", "mottagning"]),
    ("ungdomsgård", &["ungdom", "gård"]),
    ("kulturhuset", &["kultur", "hus"]),
    ("biblioteksverksamhet", &["bibliotek", "verksamhet"]),
    ("socialtjänsten", &["social", "tjänst"]),
    ("näringslivet", &["näring", "liv"]),
    ("cykelbanor", &["cykel", "bana"]),
    ("cykelväg", &["cykel", "väg"]),
    ("kollektivtrafiken", &["kollektiv", "trafik"]),
    ("bostadsbolaget", &["bostad", "bolag"]),
    ("hyresgästföreningen", &["hyresgäst", "förening"]),
    ("barnkonventionen", &["barn", "konvention"]),
    ("barnomsorg", &["barn", "omsorg"]),
    ("barnfamiljer", &["barn", "familj"]),
    ("barnperspektiv", &["barn", "perspektiv"]),
    ("integrationsprojekt", &["integration", "projekt"]),
    ("projektledare", &["projekt", "ledare"]),
    ("fotbollsplan", &["fotboll", "plan"]),
    ("busshållplats", &["buss", "hållplats"]),
    ("kvällstid", &["kväll", "tid"]),
    ("sommarjobb", &["sommar", "jobb"]),
    ("boendemiljö", &["boende", "miljö"]),
    ("stadsmiljö", &["stad", "miljö"]),
    ("klimatanpassning", &["klimat", "anpassning"]),
    ("medborgarbudget", &["medborgare", "budget"]),
    ("brottsförebyggande", &["brott", "förebygga"]),
    // A known word's parts come from its lemma, not its inflected ending.
    ("hyresgästerna", &["hyr", "gäst"]),
    ("stadsdelarna", &["stad", "del"]),
    // A three-letter head before a part of five letters or more.
    ("lekplatserna", &["lek", "plats"]),
    ("bokcirkeln", &["bok", "cirkel"]),
];

/// Words that are not compounds (or are lexicalised ones) and must not be split.
const WHOLE: &[&str] = &[
    "undersökning",
    "underlag",
    "tillgänglighet",
    "samhället",
    "kompetens",
    "dialog",
    "trygghet",
    "delaktighet",
    "inflytande",
    "utveckling",
    "medborgare",
    "verksamhet",
    "föreningen",
    "kunskap",
    "jämställdhet",
    "medarbetare",
    "verkstad",
    "förvaltning",
    "tillgänglighet",
    "information",
    "organisationen",
    "sammanhang",
    "ansvar",
    "förslag",
    "uppdrag",
    "byggnad",
    "diskussion",
    "perspektiv",
    "matematik",
    "programmet",
    "bibliotek",
    "kommunikation",
    "befolkning",
    "kultur",
    "fritid",
    "sjukdom",
    "ungdomen",
];

/// Word → its folded tokens (the word, then its folded lemmas), only those folding changes.
const FOLDED: &[(&str, &[&str])] = &[
    ("göteborg", &["goteborg"]),
    ("mötesplats", &["motesplats"]),
    ("mötesplatser", &["motesplatser", "motesplats"]),
    ("malmö", &["malmo"]),
    ("café", &["cafe"]),
    ("åka", &["aka"]),
    ("får", &["far"]),
    ("fär", &["far"]),
    ("far", &[]),
    ("dialog", &[]),
    ("dialogen", &[]),
    ("jämställdhet", &["jamstalldhet"]),
];

/// A word typed without å/ä/ö (or é) → the spellings it is restored to, exactly. Words that
/// are Swedish as typed ("far", "for": a form of "fara") are not restored: the spellings
/// that fold to them are found through the folded field, as before, and rank below.
const RESTORED: &[(&str, &[&str])] = &[
    ("foraldrar", &["föräldrar"]),
    ("hyresgaster", &["hyresgäster"]),
    ("skolgardar", &["skolgårdar"]),
    ("goteborg", &["göteborg"]),
    ("motesplats", &["mötesplats"]),
    ("motesplatser", &["mötesplatser"]),
    ("atgarder", &["åtgärder"]),
    ("stadsdelsnamnden", &["stadsdelsnämnden"]),
    ("oppettider", &["öppettider"]),
    ("idrottsforening", &["idrottsförening"]),
    ("tva", &["två"]),
    ("ideer", &["idéer"]),
    // Only the letters typed without their marks are restored.
    ("forälder", &["förälder"]),
    // Compounds the lexicon does not list, part by part.
    ("fritidsgardarna", &["fritidsgårdarna"]),
    // Ambiguous: every word of the lexicon that folds to it, in byte order.
    ("ifragasatta", &["ifrågasatta", "ifrågasätta"]),
    ("forsvara", &["försvara", "försvära", "försvåra"]),
    // Swedish as typed.
    ("far", &[]),
    ("for", &[]),
    ("hall", &[]),
    ("mal", &[]),
    ("dialog", &[]),
    ("medborgardialogen", &[]),
    // Nothing in the lexicon folds to it.
    ("kvinor", &[]),
    ("xqzzy", &[]),
];

/// Text → its exact tokens: lower-cased, not folded, stop words dropped, split at hyphens.
const EXACT: &[(&str, &[&str])] = &[
    ("får", &["får"]),
    ("far", &["far"]),
    ("FÅR och far", &["får", "far"]),
    ("Göteborg", &["göteborg"]),
    ("Västra Göteborg", &["västra", "göteborg"]),
    ("Örgryte-Härlanda", &["örgryte", "härlanda"]),
    ("barnrätts-perspektivet", &["barnrätts", "perspektivet"]),
    ("e-post", &["e", "post"]),
    ("COVID-19", &["covid", "19"]),
    (
        "S2020: socialt hållbar 2020",
        &["s2020", "socialt", "hållbar", "2020"],
    ),
    ("år 2030", &["år", "2030"]),
    ("kl. 18:30", &["kl", "18", "30"]),
    ("Hej!!! ... dialog?", &["hej", "dialog"]),
    ("barn och unga i Göteborg", &["barn", "unga", "göteborg"]),
    ("att vara på plats", &["plats"]),
    ("Det är bra att vi får vara här", &["bra", "får"]),
];

/// Swedish stop words: they make no token in any mode.
const STOP_WORDS: &[&str] = &[
    "och", "att", "i", "på", "som", "det", "en", "ett", "med", "för", "av", "till", "är", "inte",
    "om", "Och", "PÅ",
];

/// Words that look like function words but carry meaning: they are kept.
const NOT_STOP_WORDS: &[&str] = &["får", "far", "dialog", "barn", "stad", "plats", "bra"];

/// (letter, how many times, tokens expected): long words are counted in characters.
const LONG_WORDS: &[(char, usize, usize)] = &[
    ('a', MAX_WORD_CHARS, 1),
    ('a', MAX_WORD_CHARS + 1, 0),
    ('ö', MAX_WORD_CHARS, 1),
    ('ö', MAX_WORD_CHARS + 1, 0),
    ('å', MAX_WORD_CHARS / 2 + 1, 1),
];

/// Every mode gives each word the same position; positions skip stop words.
const POSITIONS: &[(&str, &[usize])] = &[
    ("Örgryte-Härlanda", &[0, 1]),
    ("barn och unga", &[0, 2]),
    ("dialog i stadsdelen", &[0, 2]),
    ("möten i Göteborg", &[0, 2]),
];

/// Fails with every failing case listed, one per line.
fn check(table: &str, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failing case(s) in {table}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn lemmas() {
    let mut failures = Vec::new();
    for (word, expected) in LEMMAS {
        let got = texts(Mode::Stem, word);
        if got != *expected {
            failures.push(format!(
                "lemmas of {word:?}: got {got:?}, expected {expected:?}"
            ));
        }
    }
    check("LEMMAS", failures);
}

#[test]
fn compound_parts() {
    let mut failures = Vec::new();
    for (word, expected) in PARTS {
        let got = texts(Mode::Parts, word);
        if got != *expected {
            failures.push(format!(
                "parts of {word:?}: got {got:?}, expected {expected:?}"
            ));
        }
    }
    check("PARTS", failures);
}

#[test]
fn plain_words_stay_whole() {
    let mut failures = Vec::new();
    for word in WHOLE {
        let got = texts(Mode::Parts, word);
        if !got.is_empty() {
            failures.push(format!("{word:?} must not be split, got {got:?}"));
        }
    }
    check("WHOLE", failures);
}

#[test]
fn folding() {
    let mut failures = Vec::new();
    for (word, expected) in FOLDED {
        let got = texts(Mode::Folded, word);
        if got != *expected {
            failures.push(format!(
                "folded {word:?}: got {got:?}, expected {expected:?}"
            ));
        }
    }
    check("FOLDED", failures);
}

#[test]
fn restoring_swedish_letters() {
    let mut failures = Vec::new();
    for (word, expected) in RESTORED {
        let got = restorations(word);
        if got != *expected {
            failures.push(format!(
                "restored {word:?}: got {got:?}, expected {expected:?}"
            ));
        }
    }
    check("RESTORED", failures);
}

#[test]
fn exact_tokens() {
    let mut failures = Vec::new();
    for (text, expected) in EXACT {
        let got = texts(Mode::Exact, text);
        if got != *expected {
            failures.push(format!(
                "exact tokens of {text:?}: got {got:?}, expected {expected:?}"
            ));
        }
    }
    check("EXACT", failures);
}

const ALL_MODES: [Mode; 5] = [
    Mode::Exact,
    Mode::Stem,
    Mode::Parts,
    Mode::Folded,
    Mode::Snowball,
];

#[test]
fn stop_words_make_no_tokens() {
    let mut failures = Vec::new();
    for word in STOP_WORDS {
        for mode in ALL_MODES {
            let got = texts(mode, word);
            if !got.is_empty() {
                failures.push(format!("stop word {word:?} in {mode:?}: got {got:?}"));
            }
        }
    }
    check("STOP_WORDS", failures);
    let mut failures = Vec::new();
    for word in NOT_STOP_WORDS {
        let got = texts(Mode::Exact, word);
        if got != [word.to_string()] {
            failures.push(format!("{word:?} is not a stop word: got {got:?}"));
        }
    }
    check("NOT_STOP_WORDS", failures);
}

#[test]
fn long_words_are_counted_in_characters() {
    let mut failures = Vec::new();
    for &(letter, count, expected) in LONG_WORDS {
        let word = letter.to_string().repeat(count);
        let got = texts(Mode::Exact, &format!("{word} dialog"));
        if got.len() != expected + 1 {
            failures.push(format!(
                "{count} × {letter:?} ({} bytes): got {} tokens, expected {}",
                word.len(),
                got.len(),
                expected + 1
            ));
        }
    }
    check("LONG_WORDS", failures);
}

#[test]
fn positions_are_shared_by_all_modes() {
    let mut failures = Vec::new();
    for (text, expected) in POSITIONS {
        for mode in [Mode::Exact, Mode::Stem, Mode::Folded, Mode::Snowball] {
            if mode == Mode::Folded && text.is_ascii() {
                continue; // nothing to fold: the folded field gets no tokens
            }
            let mut got: Vec<usize> = tokens(mode, text).iter().map(|t| t.position).collect();
            got.dedup();
            if got != *expected {
                failures.push(format!(
                    "positions of {text:?} in {mode:?}: got {got:?}, expected {expected:?}"
                ));
            }
        }
    }
    check("POSITIONS", failures);
}

// ---------------------------------------------------------------------------------------
// Queries against a tiny index.

/// A text that none of the queries below is about.
const UNRELATED: &str = "Vädret var soligt hela veckan.";

fn index(texts: &[(&str, &str)]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut writer = index.writer().unwrap();
    for (id, body) in texts {
        writer
            .add(&SearchDocument::plain_text(id, "", body))
            .unwrap();
    }
    writer.commit(1).unwrap();
    index.reload().unwrap();
    index
}

/// The ids of the hits for `query`, best first.
fn found(index: &SearchIndex, query: &str) -> Vec<String> {
    search::search(
        index,
        &SearchRequest {
            query: query.into(),
            per_page: 50,
            ..Default::default()
        },
    )
    .unwrap()
    .hits
    .into_iter()
    .map(|h| h.id)
    .collect()
}

/// (query, text it must find).
const MUST_MATCH: &[(&str, &str)] = &[
    ("utveckling", "Stadsutveckling i nordost."),
    ("dialog", "Medborgardialogen i Bergsjön."),
    ("medborgare", "Medborgardialogen i Bergsjön."),
    ("trygghet", "Trygghetsvandringar i Gårdsten."),
    ("skola", "Skolgården fick nya träd."),
    ("kompetens", "Kompetenser inom kulturen."),
    ("kompetenser", "All kompetens samlades."),
    ("projekt", "Projektet pågick i tre år."),
    ("samhälle", "Hela samhället deltog."),
    ("stad", "Städerna växer snabbt."),
    ("barn", "Barnen lekte ute."),
    ("rättighet", "Barnens rättigheter."),
    ("hållbar", "Ett hållbart Göteborg."),
    ("förening", "Föreningslivet i stadsdelen."),
    ("kunskap", "Kunskapsmatrisen uppdaterades."),
    ("område", "Bostadsområdena i nordost."),
    ("gård", "Fritidsgårdarna har öppet."),
    ("arbete", "Folkhälsoarbete i Angered."),
    ("jämställdhet", "Jämställdhetsintegrering i förvaltningen."),
    ("goteborg", "Mötesplats i Göteborg."),
    ("GÖTEBORG", "Mötesplats i Göteborg."),
    ("motesplats", "En ny mötesplats vid torget."),
    ("cafe", "Ett café vid torget."),
    ("härlanda", "Örgryte-Härlanda."),
    ("trygghetsvandirngar", "Trygghetsvandringar i Gårdsten."),
    ("kvinor", "Kvinnor i Gårdsten."),
    ("kvinnir", "Kvinnor i Gårdsten."),
    ("barn skola", "Barnen på skolan."),
    ("gäst", "Hyresgästerna bjöd in."),
    ("lek", "Lekplatserna rustas."),
    ("åtgärd", "Fler åtgärder behövs."),
    // Typed without å/ä/ö: what the restored spelling finds (inflections, compounds).
    ("foraldrar", "Föräldrar möts i parken."),
    ("foraldrar", "En förälder kom till mötet."),
    ("foraldrar", "Föräldrarna bjöds in."),
    ("hyresgaster", "Hyresgästen klagade."),
    ("hyresgaster", "Hyresgästerna bjöd in."),
    ("skolgardar", "Skolgården fick nya träd."),
    ("motesplats", "Nya mötesplatser i Angered."),
    ("goteborg", "Göteborgs hamn."),
    ("atgarder", "En åtgärd räcker inte."),
    ("fritidsgardarna", "Fritidsgården har öppet."),
];

/// (query, text it must not find).
const MUST_NOT_MATCH: &[(&str, &str)] = &[
    ("bil", "En bal på slottet."),
    ("fialog", "Dialog med boende."),
    ("medborgardialog", "Medborgare i Angered."),
    ("kvonnar", "Kvinnor i Gårdsten."),
    ("stad", "Verkstaden på Hisingen."),
    ("häll", "Hela samhället deltog."),
    ("dialog", "Medborgare i Angered."),
    ("tur", "Kulturen i Angered."),
    ("erna", "Hyresgästerna bjöd in."),
    // Swedish as typed, so not restored: "mal" finds "mål" (folded) but not its compounds.
    ("mal", "Nya målgrupper nåddes."),
];

/// (query, text that must rank first, other text).
const RANKED: &[(&str, &str, &str)] = &[
    ("får", "Mitt får betar.", "Min far betar."),
    ("far", "Min far betar.", "Mitt får betar."),
    ("göteborg", "Hamnen i Göteborg.", "Hamnen i Goteborg."),
    (
        "utveckling",
        "Utveckling av gården.",
        "Stadsutveckling av gården.",
    ),
    (
        "trygghetsvandringar",
        "Trygghetsvandringar i Gårdsten.",
        "Trygghetsvandrigar i Gårdsten.",
    ),
    // The spelling as typed first, then what only its restored spelling matches.
    (
        "foraldrar",
        "Foraldrar möts i parken.",
        "Föräldrar möts i parken.",
    ),
    (
        "foraldrar",
        "Föräldrar möts i parken.",
        "Förälder möts i parken.",
    ),
    ("motesplats", "Motesplats Angered.", "Mötesplats Angered."),
    ("far", "Min far betar.", "Min får betar."),
    ("mal", "Ett mal i garderoben.", "Ett mål i garderoben."),
];

#[test]
fn queries_find() {
    let mut failures = Vec::new();
    for (query, text) in MUST_MATCH {
        let index = index(&[("mal", text), ("annan", UNRELATED)]);
        let hits = found(&index, query);
        if !hits.contains(&"mal".to_string()) {
            failures.push(format!("{query:?} must find {text:?}: got {hits:?}"));
        }
        if hits.contains(&"annan".to_string()) {
            failures.push(format!(
                "{query:?} must not find {UNRELATED:?}: got {hits:?}"
            ));
        }
    }
    check("MUST_MATCH", failures);
}

#[test]
fn queries_do_not_find() {
    let mut failures = Vec::new();
    for (query, text) in MUST_NOT_MATCH {
        let index = index(&[("mal", text)]);
        let hits = found(&index, query);
        if !hits.is_empty() {
            failures.push(format!("{query:?} must not find {text:?}: got {hits:?}"));
        }
    }
    check("MUST_NOT_MATCH", failures);
}

#[test]
fn queries_rank() {
    let mut failures = Vec::new();
    for (query, first, second) in RANKED {
        let index = index(&[("andra", second), ("forsta", first)]);
        let hits = found(&index, query);
        if hits.first().map(String::as_str) != Some("forsta") {
            failures.push(format!(
                "{query:?}: {first:?} must rank above {second:?}: got {hits:?}"
            ));
        }
    }
    check("RANKED", failures);
}
