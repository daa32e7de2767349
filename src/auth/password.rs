//! Member passwords: the rules for a new one, and argon2id hashing off the async threads.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use argon2::password_hash::{self, PasswordHasher, PasswordVerifier, phc::PasswordHash};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// The fewest characters (Unicode scalar values, not bytes) a new password may have.
pub const MIN_CHARS: usize = 8;
/// The most characters a new password may have: a cap against abuse only, far above any
/// passphrase.
pub const MAX_CHARS: usize = 1024;

/// Why a new password is refused; the `Display` text is shown at the form field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("Lösenordet måste ha minst {} tecken", MIN_CHARS)]
    TooShort,
    #[error("Lösenordet får ha högst {} tecken", MAX_CHARS)]
    TooLong,
    #[error("Lösenordet är för vanligt – välj ett som är svårare att gissa")]
    Common,
}

/// Hashing failed: no PHC string could be made.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("kunde inte hasha lösenordet: {0}")]
    Argon2(#[from] password_hash::Error),
    #[error("lösenordshashningen avbröts oväntat")]
    Aborted,
}

/// Common passwords (see `COMMON-PASSWORDS.md`), lowercase.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .filter(|line| !line.is_empty())
        .collect()
});

/// Checks a new password: its length in characters (as typed: not trimmed, never
/// truncated), then that it is not among the common passwords (compared in lowercase).
pub fn check_new(password: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

/// The most memory (KiB) a stored hash may ask for before verifying it: a malformed or
/// hostile PHC string must not make the process allocate gigabytes.
const MAX_VERIFY_MEMORY_KIB: u32 = 1024 * 1024;

/// A salt and an all-zero output in PHC base64: a well-formed hash no password matches.
const DUMMY_SALT_AND_HASH: &str =
    "c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// Hashes off the async threads (`spawn_blocking`), at most one hash per core at a time.
#[derive(Clone)]
pub struct Hasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// A PHC string with this hasher's parameters, for [`Hasher::verify_dummy`].
    dummy: Arc<str>,
    #[cfg(test)]
    probe: Arc<tests::Probe>,
}

impl Hasher {
    /// The OWASP minimum: argon2id, m = 19456 KiB, t = 2, p = 1.
    pub fn new() -> Hasher {
        Hasher::with_params(Params::DEFAULT_M_COST, Params::DEFAULT_T_COST)
    }

    /// argon2id with other costs (cheap ones for tests, dearer ones later), p = 1. Values
    /// below argon2's minimums (8 KiB, 1 iteration) are raised to them.
    pub fn with_params(memory_kib: u32, iterations: u32) -> Hasher {
        let permits = std::thread::available_parallelism().map_or(1, |n| n.get());
        Hasher::with_permits(memory_kib, iterations, permits)
    }

    fn with_permits(memory_kib: u32, iterations: u32, permits: usize) -> Hasher {
        let memory_kib = memory_kib.max(Params::MIN_M_COST);
        let iterations = iterations.max(Params::MIN_T_COST);
        let params = Params::new(memory_kib, iterations, 1, None).unwrap_or(Params::DEFAULT);
        let dummy = format!(
            "$argon2id$v=19$m={},t={},p=1${DUMMY_SALT_AND_HASH}",
            params.m_cost(),
            params.t_cost()
        );
        Hasher {
            params,
            permits: Arc::new(Semaphore::new(permits.max(1))),
            dummy: dummy.into(),
            #[cfg(test)]
            probe: Arc::default(),
        }
    }

    /// Hashes `password` with a fresh random salt into a PHC string
    /// (`$argon2id$v=19$m=19456,t=2,p=1$…`).
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = password.to_owned();
        self.blocking(move |argon2| {
            argon2
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
        })
        .await?
        .map_err(HashError::from)
    }

    /// Whether `password` matches the PHC string `phc`; false for a malformed hash, and
    /// false when the work could not be done.
    pub async fn verify(&self, password: &str, phc: &str) -> bool {
        let Ok(hash) = PasswordHash::new(phc) else {
            return false;
        };
        match Params::try_from(&hash) {
            Ok(params) if params.m_cost() <= MAX_VERIFY_MEMORY_KIB => {}
            _ => return false,
        }
        let password = password.to_owned();
        self.blocking(move |argon2| argon2.verify_password(password.as_bytes(), &hash).is_ok())
            .await
            .unwrap_or(false)
    }

    /// Spends the same time as a verify against a real hash, for an unknown e-mail (so
    /// answers take about the same time whether the account exists).
    pub async fn verify_dummy(&self, password: &str) {
        let dummy = Arc::clone(&self.dummy);
        self.verify(password, &dummy).await;
    }

    /// Whether `phc` was made with weaker parameters than this hasher's (or another
    /// algorithm, or is malformed): then rehash the password at login.
    pub fn needs_rehash(&self, phc: &str) -> bool {
        let Ok(hash) = PasswordHash::new(phc) else {
            return true;
        };
        if hash.algorithm != ARGON2ID_IDENT || hash.version != Some(Version::V0x13.into()) {
            return true;
        }
        let Ok(params) = Params::try_from(&hash) else {
            return true;
        };
        let short_output = hash
            .hash
            .is_none_or(|output| output.len() < Params::DEFAULT_OUTPUT_LEN);
        params.m_cost() < self.params.m_cost()
            || params.t_cost() < self.params.t_cost()
            || short_output
    }

    /// Runs `work` on the blocking pool once a permit is free, holding the permit until
    /// the work ends (even when the caller stops waiting).
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Argon2<'static>) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| HashError::Aborted)?;
        let params = self.params.clone();
        #[cfg(test)]
        let probe = Arc::clone(&self.probe);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            #[cfg(test)]
            let _inside = probe.enter();
            work(&Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
        })
        .await
        .map_err(|_| HashError::Aborted)
    }
}

impl Default for Hasher {
    fn default() -> Hasher {
        Hasher::new()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    /// Watches the blocking work: how many run at once, at most; can slow it down (so that
    /// overlaps cannot be missed) or make it panic.
    #[derive(Default)]
    pub(super) struct Probe {
        active: AtomicUsize,
        peak: AtomicUsize,
        slow: AtomicBool,
        panic: AtomicBool,
    }

    pub(super) struct Inside<'a>(&'a Probe);

    impl Probe {
        pub(super) fn enter(&self) -> Inside<'_> {
            let now = self.active.fetch_add(1, Ordering::SeqCst) + 1;
            self.peak.fetch_max(now, Ordering::SeqCst);
            let inside = Inside(self);
            if self.slow.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(30));
            }
            assert!(
                !self.panic.load(Ordering::SeqCst),
                "probe: panic on purpose"
            );
            inside
        }
    }

    impl Drop for Inside<'_> {
        fn drop(&mut self) {
            self.0.active.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Cheap parameters so that unit tests stay fast.
    fn cheap() -> Hasher {
        Hasher::with_params(64, 1)
    }

    #[test]
    fn the_list_is_large_lowercase_and_loaded() {
        assert!(
            COMMON.len() >= 10_000,
            "only {} common passwords",
            COMMON.len()
        );
        let lines = include_str!("common-passwords.txt").lines().count();
        assert_eq!(
            lines,
            COMMON.len(),
            "the list has duplicates or empty lines"
        );
        assert!(COMMON.iter().all(|p| *p == p.to_lowercase()));
        assert!(COMMON.contains("lösenord") && COMMON.contains("password1"));
    }

    #[test]
    fn new_passwords_are_checked() {
        assert_eq!(check_new("password1"), Err(PasswordProblem::Common));
        assert_eq!(check_new("Lösenord"), Err(PasswordProblem::Common));
        assert_eq!(check_new("QWERTYUIOP"), Err(PasswordProblem::Common));
        assert_eq!(check_new("Sommar2024"), Err(PasswordProblem::Common));
        assert_eq!(check_new("korrekt häst batteri häftklammer"), Ok(()));
        assert_eq!(check_new("abcdefg"), Err(PasswordProblem::TooShort));
        assert_eq!(check_new(""), Err(PasswordProblem::TooShort));
        // Characters, not bytes: seven å are 14 bytes and still too short.
        assert_eq!(check_new("ååååååå"), Err(PasswordProblem::TooShort));
        assert_eq!(check_new("åäöåäöåä"), Ok(()));
        // Not trimmed: two spaces make it 9 characters.
        assert_eq!(check_new("  abcdefg"), Ok(()));
        assert_eq!(check_new(&"x1".repeat(32)), Ok(()));
        assert_eq!(check_new(&"y".repeat(MAX_CHARS)), Ok(()));
        assert_eq!(
            check_new(&"y".repeat(MAX_CHARS + 1)),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn problems_read_in_swedish() {
        assert_eq!(
            PasswordProblem::TooShort.to_string(),
            "Lösenordet måste ha minst 8 tecken"
        );
        assert_eq!(
            PasswordProblem::TooLong.to_string(),
            "Lösenordet får ha högst 1024 tecken"
        );
        assert!(PasswordProblem::Common.to_string().contains("för vanligt"));
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hasher = cheap();
        let phc = hasher.hash("rätt lösenord").await.expect("a hash");
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert!(hasher.verify("rätt lösenord", &phc).await);
        assert!(!hasher.verify("fel lösenord", &phc).await);
        assert!(!hasher.verify("rätt lösenord ", &phc).await);
        let again = hasher.hash("rätt lösenord").await.expect("a hash");
        assert_ne!(phc, again, "every hash has its own salt");
    }

    #[tokio::test]
    async fn the_default_is_owasp_argon2id() {
        let hasher = Hasher::default();
        let phc = hasher.hash("ett riktigt lösenord").await.expect("a hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(hasher.verify("ett riktigt lösenord", &phc).await);
        assert!(!hasher.needs_rehash(&phc));
    }

    #[tokio::test]
    async fn malformed_hashes_do_not_verify() {
        let hasher = cheap();
        let phc = hasher.hash("lösenordet").await.expect("a hash");
        let truncated = &phc[..phc.len() - 5];
        let huge = "$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$\
                    AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        for bad in ["", "lösenordet", "$argon2id$", "$bcrypt$x", truncated] {
            assert!(!hasher.verify("lösenordet", bad).await, "{bad:?}");
            assert!(hasher.needs_rehash(bad), "{bad:?}");
        }
        // Well-formed, but asking for 4 TiB: refused before any memory is taken.
        assert!(!hasher.verify("lösenordet", huge).await);
    }

    #[tokio::test]
    async fn weaker_hashes_need_a_rehash() {
        let strong = Hasher::with_params(128, 2);
        let phc = strong.hash("lösenordet").await.expect("a hash");
        assert!(!strong.needs_rehash(&phc));
        assert!(!Hasher::with_params(64, 2).needs_rehash(&phc));
        assert!(!Hasher::with_params(128, 1).needs_rehash(&phc));
        assert!(Hasher::with_params(256, 2).needs_rehash(&phc));
        assert!(Hasher::with_params(128, 3).needs_rehash(&phc));
        let argon2i = phc.replacen("$argon2id$", "$argon2i$", 1);
        assert!(strong.needs_rehash(&argon2i));
    }

    #[tokio::test]
    async fn the_dummy_does_the_full_work() {
        let hasher = cheap();
        hasher.verify_dummy("vad som helst").await;
        // The dummy is a well-formed hash with this hasher's parameters: checking a
        // password against it computes a whole hash and only then says no.
        let hash = PasswordHash::new(&hasher.dummy).expect("a well-formed dummy");
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, hasher.params.clone());
        assert_eq!(
            argon2.verify_password(b"vad som helst", &hash),
            Err(password_hash::Error::PasswordInvalid)
        );
        assert!(!hasher.needs_rehash(&hasher.dummy));
        assert_eq!(
            hasher.probe.peak.load(Ordering::SeqCst),
            1,
            "it ran one hash"
        );
        let default = Hasher::new();
        assert!(default.dummy.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_at_once_than_permits() {
        for permits in [1, 2] {
            let hasher = Hasher::with_permits(64, 1, permits);
            hasher.probe.slow.store(true, Ordering::SeqCst);
            let tasks: Vec<_> = (0..6)
                .map(|i| {
                    let hasher = hasher.clone();
                    tokio::spawn(async move { hasher.hash(&format!("lösenord {i}")).await })
                })
                .collect();
            for task in tasks {
                task.await.expect("no panic").expect("a hash");
            }
            // Without the semaphore all six would overlap (each sleeps 30 ms inside).
            assert_eq!(hasher.probe.peak.load(Ordering::SeqCst), permits);
            assert_eq!(hasher.permits.available_permits(), permits);
        }
    }

    #[tokio::test]
    async fn a_panic_in_the_work_is_an_answer_not_a_panic() {
        let hasher = cheap();
        let phc = hasher.hash("lösenordet").await.expect("a hash");
        hasher.probe.panic.store(true, Ordering::SeqCst);
        assert!(!hasher.verify("lösenordet", &phc).await);
        assert!(matches!(
            hasher.hash("lösenordet").await,
            Err(HashError::Aborted)
        ));
        hasher.verify_dummy("lösenordet").await;
        assert_eq!(hasher.permits.available_permits(), hasher_permits());
        hasher.probe.panic.store(false, Ordering::SeqCst);
        assert!(hasher.verify("lösenordet", &phc).await);
    }

    fn hasher_permits() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}
