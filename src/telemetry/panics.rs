//! Panics reported through the log, once per place and then at most once a minute with a
//! count, instead of a message and backtrace on standard error every time: a panic that
//! repeats on every request (a damaged index, say) must not flood the log.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// How often a panic at the same place is reported again.
const REPEAT_EVERY: Duration = Duration::from_secs(60);

/// For each place a panic happened: when it was last reported, and how many since.
#[derive(Default)]
pub struct PanicLog {
    places: Mutex<HashMap<String, (Instant, u64)>>,
}

impl PanicLog {
    /// Whether a panic at `place` should be reported now; with the number of panics there
    /// that were not reported since the last report.
    pub fn should_report(&self, place: &str, now: Instant) -> Option<u64> {
        let mut places = self.places.lock().unwrap_or_else(PoisonError::into_inner);
        match places.get_mut(place) {
            None => {
                places.insert(place.to_string(), (now, 0));
                Some(0)
            }
            Some((last, silenced)) if now.duration_since(*last) >= REPEAT_EVERY => {
                let skipped = *silenced;
                *last = now;
                *silenced = 0;
                Some(skipped)
            }
            Some((_, silenced)) => {
                *silenced += 1;
                None
            }
        }
    }
}

/// Replaces the default panic message with a rate-limited log entry.
pub fn install_hook() {
    static LOG: OnceLock<PanicLog> = OnceLock::new();
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map_or_else(
            || "okänd plats".to_string(),
            |l| format!("{}:{}", l.file(), l.line()),
        );
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let log = LOG.get_or_init(PanicLog::default);
        if let Some(skipped) = log.should_report(&place, Instant::now()) {
            tracing::error!(%place, %message, upprepningar = skipped, "ett internt fel (panik) fångades");
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_panic_is_reported_once_then_once_a_minute() {
        let log = PanicLog::default();
        let start = Instant::now();
        assert_eq!(log.should_report("a.rs:1", start), Some(0));
        for i in 1..100 {
            assert_eq!(
                log.should_report("a.rs:1", start + Duration::from_millis(i)),
                None
            );
        }
        assert_eq!(log.should_report("b.rs:2", start), Some(0));
        assert_eq!(log.should_report("a.rs:1", start + REPEAT_EVERY), Some(99));
        assert_eq!(log.should_report("a.rs:1", start + REPEAT_EVERY), None);
    }
}
