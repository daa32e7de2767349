//! Builds the Swedish lexicon (derived from hunspell-sv, see `lexicon/README.md`) into a
//! compact FST map plus two small tables in OUT_DIR, embedded by `analysis::lexicon`.
//!
//! Layout:
//! - `lexicon.fst`: form → (first entry index << 4) | entry count
//! - `lexicon-entries.bin`: little-endian u32 per entry: (lemma id << 4) | flags
//! - `lexicon-lemmas.txt`: lemmas, one per line, in lemma-id order

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

const SOURCE: &str = "lexicon/sv-lexicon.tsv.gz";

/// Flag bits, shared with `analysis::lexicon`.
const WORD: u32 = 1;
const BEGIN: u32 = 2;
const MIDDLE: u32 = 4;
const END: u32 = 8;

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let file = std::fs::File::open(SOURCE).expect("the vendored lexicon file exists");
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));

    let mut forms: BTreeMap<String, Vec<(String, u32)>> = BTreeMap::new();
    for line in reader.lines() {
        let line = line.expect("the lexicon is valid gzip and UTF-8");
        let mut fields = line.split('\t');
        let (Some(form), Some(lemma), Some(flags)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let bits = flags.chars().fold(0, |bits, c| {
            bits | match c {
                'W' => WORD,
                'B' => BEGIN,
                'M' => MIDDLE,
                'E' => END,
                _ => 0,
            }
        });
        let entries = forms.entry(form.to_string()).or_default();
        match entries.iter_mut().find(|(l, _)| l == lemma) {
            Some((_, existing)) => *existing |= bits,
            None => entries.push((lemma.to_string(), bits)),
        }
    }

    resolve_compound_stems(&mut forms);

    let mut lemma_ids: BTreeMap<String, u32> = BTreeMap::new();
    for entries in forms.values() {
        for (lemma, _) in entries {
            lemma_ids.entry(lemma.clone()).or_insert(0);
        }
    }
    for (id, value) in lemma_ids.values_mut().enumerate() {
        *value = id as u32;
    }

    let mut entries_bin: Vec<u8> = Vec::new();
    let mut map = fst::MapBuilder::memory();
    let mut next = 0u64;
    for (form, entries) in &forms {
        let count = entries.len().min(15) as u64;
        map.insert(form, (next << 4) | count)
            .expect("forms are inserted in sorted order");
        for (lemma, bits) in entries.iter().take(15) {
            let packed = (lemma_ids[lemma] << 4) | bits;
            entries_bin.extend_from_slice(&packed.to_le_bytes());
        }
        next += count;
    }
    let fst_bytes = map.into_inner().expect("the FST builds in memory");
    std::fs::write(out.join("lexicon.fst"), fst_bytes).expect("OUT_DIR is writable");
    std::fs::write(out.join("lexicon-entries.bin"), entries_bin).expect("OUT_DIR is writable");
    let mut lemmas =
        std::fs::File::create(out.join("lexicon-lemmas.txt")).expect("OUT_DIR is writable");
    for lemma in lemma_ids.keys() {
        writeln!(lemmas, "{lemma}").expect("OUT_DIR is writable");
    }
}

/// hunspell-sv lists some compound-only stems as their own entries ("skol", "medborgar");
/// their lemma should be the word they come from ("skola", "medborgare"), so that a search
/// for the word also finds the compounds.
fn resolve_compound_stems(forms: &mut BTreeMap<String, Vec<(String, u32)>>) {
    let is_word_lemma = |forms: &BTreeMap<String, Vec<(String, u32)>>, word: &str| {
        forms
            .get(word)
            .is_some_and(|entries| entries.iter().any(|(l, b)| l == word && b & WORD != 0))
    };
    let mut changes = Vec::new();
    for (form, entries) in forms.iter() {
        for (index, (lemma, bits)) in entries.iter().enumerate() {
            // Only a compound-only stem listed as its own lemma ("skol", "folkhälso").
            if lemma != form || bits & WORD != 0 {
                continue;
            }
            // skol → skola, medborgar → medborgare, arbets → arbete,
            // folkhälso → folkhälsa, gatu → gata.
            let stem = form.strip_suffix(['o', 'e', 'u', 's']).unwrap_or(form);
            let candidates = ["a", "e", "o", "u"]
                .iter()
                .map(|ending| format!("{form}{ending}"))
                .chain([stem.to_string(), format!("{stem}e"), format!("{stem}a")]);
            for word in candidates {
                if word != *form && is_word_lemma(forms, &word) {
                    changes.push((form.clone(), index, word));
                    break;
                }
            }
        }
    }
    for (form, index, word) in changes {
        if let Some(entries) = forms.get_mut(&form) {
            entries[index].0 = word;
        }
    }
}
