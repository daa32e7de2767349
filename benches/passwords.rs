//! Password hashing cost (criterion): one argon2id hash and one verify with the default
//! (OWASP minimum) parameters, as a sign-up and a login pay them.

use criterion::{Criterion, criterion_group, criterion_main};
use hallbar::auth::password::Hasher;

fn passwords(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let hasher = Hasher::new();
    let phc = runtime
        .block_on(hasher.hash("korrekt häst batteri häftklammer"))
        .expect("a hash");
    let mut group = c.benchmark_group("lösenord (argon2id m=19456 t=2 p=1)");
    group.sample_size(20);
    group.bench_function("hash", |b| {
        b.iter(|| runtime.block_on(hasher.hash("korrekt häst batteri häftklammer")))
    });
    group.bench_function("verify", |b| {
        b.iter(|| runtime.block_on(hasher.verify("korrekt häst batteri häftklammer", &phc)))
    });
    group.bench_function("verify_dummy", |b| {
        b.iter(|| runtime.block_on(hasher.verify_dummy("korrekt häst batteri häftklammer")))
    });
    group.finish();
}

criterion_group!(benches, passwords);
criterion_main!(benches);
