//! Analyzer throughput (criterion): every analysis mode the index applies to a text, over
//! the demo corpus's text; and restoring å/ä/ö in query words typed without them.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hallbar_index::analysis::restore::restorations;
use hallbar_index::analysis::tokenizers::{Mode, tokens};

fn corpus_text() -> String {
    hallbar::synthetic::Model::from_demo()
        .generate(400, 3)
        .into_iter()
        .map(|d| format!("{}\n{}\n{}", d.title, d.summary, d.body))
        .collect::<Vec<_>>()
        .join("\n")
}

fn analyzer(c: &mut Criterion) {
    let text = corpus_text();
    let mut group = c.benchmark_group("analys");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("alla lägen (exakt, lemma, delar, vikt, snowball)", |b| {
        b.iter(|| {
            let mut n = 0;
            for mode in [
                Mode::Exact,
                Mode::Stem,
                Mode::Parts,
                Mode::Folded,
                Mode::Snowball,
            ] {
                n += tokens(mode, std::hint::black_box(&text)).len();
            }
            n
        })
    });
    group.bench_function("lemma", |b| {
        b.iter(|| tokens(Mode::Stem, std::hint::black_box(&text)).len())
    });
    group.finish();
}

/// Query words typed without å/ä/ö: whole words, and a compound the lexicon lacks.
const RESTORED_WORDS: &[&str] = &[
    "foraldrar",
    "hyresgaster",
    "skolgardar",
    "goteborg",
    "motesplats",
    "fritidsgardarna",
];

/// Query words with nothing to restore: misspelt and unknown words (the longest search),
/// and words Swedish as typed (one lexicon look-up).
const OTHER_WORDS: &[&str] = &[
    "trygghetsvandirngar",
    "hammarkullekarnevalen",
    "dialog",
    "far",
];

fn restoring(c: &mut Criterion) {
    let mut group = c.benchmark_group("återställa å/ä/ö");
    for (name, words) in [
        ("ord som återställs", RESTORED_WORDS),
        ("ord utan något att återställa", OTHER_WORDS),
    ] {
        group.throughput(Throughput::Elements(words.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                words
                    .iter()
                    .map(|w| restorations(std::hint::black_box(w)).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, analyzer, restoring);
criterion_main!(benches);
