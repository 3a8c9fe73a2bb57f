//! Throttling of sign-in attempts (join codes, coordinator login links):
//! token buckets per client address and for the whole server, so that
//! guessing codes is slow and one address cannot use up everyone's share.
//! Over the limit, 429 with `Retry-After`, before any database work.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use crate::error::ApiError;

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Attempts allowed at once.
    pub burst: f64,
    /// Attempts regained per second.
    pub per_second: f64,
}

/// A committee may onboard a room of volunteers behind one address: a
/// burst of 20, then one attempt every 3 seconds.
pub const PER_ADDRESS: Rule = Rule { burst: 20.0, per_second: 1.0 / 3.0 };
/// Every address together.
pub const GLOBAL: Rule = Rule { burst: 300.0, per_second: 30.0 };

/// Addresses remembered at most; past this, full buckets are forgotten.
const MAX_ADDRESSES: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(rule: Rule, now: Instant) -> Bucket {
        Bucket { tokens: rule.burst, at: now }
    }

    fn refill(&mut self, rule: Rule, now: Instant) {
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * rule.per_second).min(rule.burst);
        self.at = now;
    }

    /// Seconds until one attempt is allowed (0: now).
    fn wait(&self, rule: Rule) -> u64 {
        if self.tokens >= 1.0 {
            0
        } else {
            ((1.0 - self.tokens) / rule.per_second).ceil().max(1.0) as u64
        }
    }
}

pub struct Throttle {
    per_address: Rule,
    global: Rule,
    buckets: Mutex<(Bucket, HashMap<IpAddr, Bucket>)>,
}

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle::new(PER_ADDRESS, GLOBAL)
    }
}

impl Throttle {
    pub fn new(per_address: Rule, global: Rule) -> Throttle {
        Throttle { per_address, global, buckets: Mutex::new((Bucket::full(global, Instant::now()), HashMap::new())) }
    }

    /// Takes one attempt for `address`, or answers 429 saying when to retry.
    pub fn admit(&self, address: IpAddr) -> Result<(), ApiError> {
        self.admit_at(address, Instant::now())
    }

    fn admit_at(&self, address: IpAddr, now: Instant) -> Result<(), ApiError> {
        let mut buckets = self.buckets.lock().expect("not poisoned");
        let (global, addresses) = &mut *buckets;
        if addresses.len() >= MAX_ADDRESSES {
            let rule = self.per_address;
            addresses.retain(|_, bucket| {
                bucket.refill(rule, now);
                bucket.tokens < rule.burst
            });
        }
        let own = addresses.entry(address).or_insert_with(|| Bucket::full(self.per_address, now));
        own.refill(self.per_address, now);
        global.refill(self.global, now);
        let wait = own.wait(self.per_address).max(global.wait(self.global));
        if wait > 0 {
            return Err(ApiError::too_many_requests(wait));
        }
        own.tokens -= 1.0;
        global.tokens -= 1.0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn retry_after(result: Result<(), ApiError>) -> Option<u64> {
        match result {
            Ok(()) => None,
            Err(ApiError::Busy { retry_after_s, .. }) => Some(retry_after_s),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_address_gets_its_burst_then_waits_while_others_go_on() {
        let throttle = Throttle::default();
        let start = Instant::now();
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let two: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..20 {
            assert_eq!(retry_after(throttle.admit_at(one, start)), None);
        }
        assert_eq!(retry_after(throttle.admit_at(one, start)), Some(3));
        assert_eq!(retry_after(throttle.admit_at(two, start)), None, "another address is not held up");
        assert_eq!(retry_after(throttle.admit_at(one, start + Duration::from_secs(3))), None, "one attempt regained");
    }

    #[test]
    fn every_address_together_is_bounded_too() {
        let throttle = Throttle::new(PER_ADDRESS, Rule { burst: 5.0, per_second: 1.0 });
        let start = Instant::now();
        for n in 0..5u8 {
            assert_eq!(retry_after(throttle.admit_at(IpAddr::from([192, 0, 2, n]), start)), None);
        }
        assert_eq!(retry_after(throttle.admit_at(IpAddr::from([192, 0, 2, 99]), start)), Some(1));
    }
}
