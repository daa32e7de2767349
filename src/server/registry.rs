//! The open connections: a slot each, up to the cap. When every slot is taken, the
//! connection that has been idle the longest without a request in flight is closed to make
//! room, so kept-alive and half-sent connections cannot crowd out new visitors; only when
//! every connection is busy with a request is a new one refused.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use super::activity::Activity;

/// How long a new connection waits for an evicted one to let go of its slot.
const EVICTION_WAIT: Duration = Duration::from_millis(200);

/// What the registry knows of one open connection.
#[derive(Clone)]
struct Entry {
    activity: Activity,
    in_flight: Arc<AtomicUsize>,
    evict: Arc<Notify>,
}

/// Every open connection, and the slots that cap them.
pub struct Registry {
    slots: Arc<Semaphore>,
    max: usize,
    open: Mutex<HashMap<u64, Entry>>,
    next_id: AtomicU64,
}

/// A connection's place in the registry; dropping it frees the slot.
pub struct Slot {
    id: u64,
    registry: Arc<Registry>,
    _permit: OwnedSemaphorePermit,
    pub activity: Activity,
    /// Requests of this connection being answered now.
    pub in_flight: Arc<AtomicUsize>,
    /// Notified when the connection should close to make room.
    pub evict: Arc<Notify>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.registry.entries().remove(&self.id);
    }
}

impl Registry {
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(Registry {
            slots: Arc::new(Semaphore::new(max)),
            max,
            open: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(0),
        })
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Entry>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A slot for a new connection: a free one, or one made free by closing the idlest
    /// connection; `None` when every connection is busy.
    pub async fn admit(self: &Arc<Self>) -> Option<Slot> {
        if let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() {
            return Some(self.slot(permit));
        }
        if !self.evict_idlest() {
            return None;
        }
        match tokio::time::timeout(EVICTION_WAIT, Arc::clone(&self.slots).acquire_owned()).await {
            Ok(Ok(permit)) => Some(self.slot(permit)),
            _ => None,
        }
    }

    fn slot(self: &Arc<Self>, permit: OwnedSemaphorePermit) -> Slot {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let entry = Entry {
            activity: Activity::new(),
            in_flight: Arc::new(AtomicUsize::new(0)),
            evict: Arc::new(Notify::new()),
        };
        self.entries().insert(id, entry.clone());
        Slot {
            id,
            registry: Arc::clone(self),
            _permit: permit,
            activity: entry.activity,
            in_flight: entry.in_flight,
            evict: entry.evict,
        }
    }

    /// Asks the connection idle the longest, with no request in flight, to close.
    fn evict_idlest(&self) -> bool {
        let mut entries = self.entries();
        let idlest = entries
            .iter()
            .filter(|(_, e)| e.in_flight.load(Ordering::Acquire) == 0)
            .max_by_key(|(_, e)| e.activity.idle_for())
            .map(|(id, _)| *id);
        match idlest.and_then(|id| entries.remove(&id)) {
            Some(entry) => {
                entry.evict.notify_one();
                true
            }
            None => false,
        }
    }

    /// How many connections are open.
    pub fn open_connections(&self) -> usize {
        self.max - self.slots.available_permits()
    }

    /// Resolves once every connection has closed.
    pub async fn all_closed(&self) {
        let all = u32::try_from(self.max).unwrap_or(u32::MAX);
        let _ = self.slots.acquire_many(all).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_registry_closes_the_idlest_idle_connection_and_refuses_when_all_are_busy() {
        let registry = Registry::new(2);
        let first = registry.admit().await.expect("a free slot");
        tokio::time::sleep(Duration::from_millis(20)).await;
        let second = registry.admit().await.expect("a free slot");
        assert_eq!(registry.open_connections(), 2);

        // The first has been idle longest: it is asked to close, and its slot goes to the
        // newcomer once it does.
        let evicted = Arc::clone(&first.evict);
        let waiter = tokio::spawn(async move { evicted.notified().await });
        let registry_for_third = Arc::clone(&registry);
        let third = tokio::spawn(async move { registry_for_third.admit().await });
        waiter
            .await
            .expect("the first connection is asked to close");
        drop(first);
        let third = third.await.expect("admitted").expect("a slot");

        // Both open connections are answering requests: a newcomer is refused.
        second.in_flight.fetch_add(1, Ordering::AcqRel);
        third.in_flight.fetch_add(1, Ordering::AcqRel);
        assert!(registry.admit().await.is_none());
        drop((second, third));
        assert_eq!(registry.open_connections(), 0);
        registry.all_closed().await;
    }
}
