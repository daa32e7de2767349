//! How many connections the server keeps open, derived from the process's file limit, and
//! how long a connection may take or idle.

use std::time::Duration;

use super::connection::Timeouts;

/// Descriptors kept free for everything but client connections (the database and its
/// journal, the index's files and the indexer's new segments, logs): at least this many…
const MIN_HEADROOM: u64 = 128;
/// …or this share of the limit, whichever is larger.
const HEADROOM_SHARE: u64 = 4;
/// The fewest connections the server will accept at once however low the limit.
const MIN_CONNECTIONS: usize = 16;
/// No more than this many connections by default, however high the limit (memory).
const MAX_DEFAULT_CONNECTIONS: usize = 10_000;

/// The server's limits on connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// The most time a request's headers may take to arrive.
    pub header_timeout: Duration,
    /// The most time a kept-alive connection may be silent.
    pub idle_timeout: Duration,
    /// The most connections open at once.
    pub max_connections: usize,
}

impl ServerLimits {
    pub(super) fn timeouts(&self) -> Timeouts {
        Timeouts {
            header: self.header_timeout,
            idle: self.idle_timeout,
        }
    }
}

/// Raises the soft limit on open files to the hard limit and returns the limit now in
/// force (`None` where it cannot be read).
pub fn raise_file_limit() -> Option<u64> {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => Some(limit),
        Err(e) => {
            tracing::warn!(error = %e, "gränsen för öppna filer kunde inte läsas");
            None
        }
    }
}

/// The default cap on connections for a file limit: the limit less a headroom for the
/// database, the index and the indexer.
pub fn connections_for(file_limit: Option<u64>) -> usize {
    let Some(limit) = file_limit else {
        return 1_000;
    };
    let headroom = MIN_HEADROOM.max(limit / HEADROOM_SHARE);
    let spare = usize::try_from(limit.saturating_sub(headroom)).unwrap_or(usize::MAX);
    spare.clamp(MIN_CONNECTIONS, MAX_DEFAULT_CONNECTIONS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_for_the_database_and_the_index() {
        assert_eq!(connections_for(Some(256)), 128);
        assert_eq!(connections_for(Some(1_024)), 768);
        assert_eq!(connections_for(Some(100)), MIN_CONNECTIONS);
        assert_eq!(connections_for(Some(1 << 20)), MAX_DEFAULT_CONNECTIONS);
        assert_eq!(connections_for(None), 1_000);
    }
}
