//! What a run measures: request latencies by kind, errors by kind, and the
//! CPU and memory of the processes it watches (the servers, the database).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Latencies and errors, shared by every simulated client.
#[derive(Default)]
pub struct Stats {
    latencies: Mutex<BTreeMap<&'static str, Vec<Duration>>>,
    errors: Mutex<BTreeMap<String, u64>>,
    /// Per kind, when a request last succeeded and the longest time between
    /// two successes: how long the service was out.
    gaps: Mutex<BTreeMap<&'static str, (Instant, Duration)>>,
}

impl Stats {
    /// A request of `kind` succeeded after `elapsed`.
    pub fn took(&self, kind: &'static str, elapsed: Duration) {
        self.latencies.lock().expect("stats lock").entry(kind).or_default().push(elapsed);
        let now = Instant::now();
        let mut gaps = self.gaps.lock().expect("stats lock");
        let (last, longest) = gaps.entry(kind).or_insert((now, Duration::ZERO));
        *longest = (*longest).max(now - *last);
        *last = now;
    }

    /// The longest time between two successful requests of `kind`.
    pub fn longest_gap(&self, kind: &str) -> Duration {
        self.gaps.lock().expect("stats lock").get(kind).map_or(Duration::ZERO, |(_, longest)| *longest)
    }

    pub fn error(&self, what: String) {
        *self.errors.lock().expect("stats lock").entry(what).or_default() += 1;
    }

    pub fn errors(&self) -> BTreeMap<String, u64> {
        self.errors.lock().expect("stats lock").clone()
    }

    /// Requests made, p50 and p99 of `kind`.
    pub fn summary(&self, kind: &str) -> Option<(usize, Duration, Duration)> {
        let mut times = self.latencies.lock().expect("stats lock").get(kind)?.clone();
        times.sort_unstable();
        Some((times.len(), percentile(&times, 50.0), percentile(&times, 99.0)))
    }
}

/// The nearest-rank percentile of sorted `times` (none: zero).
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A process watched for CPU and memory, with its children (a PostgreSQL
/// server is a postmaster and a process per connection).
pub struct Watched {
    pub label: String,
    pub pid: u32,
    last_ticks: Option<u64>,
    pub cpu_percent: Vec<f64>,
    pub peak_rss_kib: u64,
}

/// Linux's clock tick for /proc times (USER_HZ), 100 on every mainstream
/// architecture.
const TICKS_PER_SECOND: f64 = 100.0;

impl Watched {
    pub fn new(label: String, pid: u32) -> Watched {
        Watched { label, pid, last_ticks: None, cpu_percent: Vec::new(), peak_rss_kib: 0 }
    }

    /// Reads the process tree's CPU time and resident memory; `interval` is
    /// the time since the last sample.
    pub fn sample(&mut self, interval: Duration) {
        let tree = process_tree(self.pid);
        let ticks: u64 = tree.iter().filter_map(|pid| cpu_ticks(*pid)).sum();
        let rss: u64 = tree.iter().filter_map(|pid| rss_kib(*pid)).sum();
        if let Some(last) = self.last_ticks {
            let seconds = ticks.saturating_sub(last) as f64 / TICKS_PER_SECOND;
            self.cpu_percent.push(100.0 * seconds / interval.as_secs_f64());
        }
        self.last_ticks = Some(ticks);
        self.peak_rss_kib = self.peak_rss_kib.max(rss);
    }

    pub fn mean_cpu(&self) -> f64 {
        if self.cpu_percent.is_empty() {
            return 0.0;
        }
        self.cpu_percent.iter().sum::<f64>() / self.cpu_percent.len() as f64
    }

    pub fn max_cpu(&self) -> f64 {
        self.cpu_percent.iter().copied().fold(0.0, f64::max)
    }
}

/// `pid` and its direct children.
fn process_tree(pid: u32) -> Vec<u32> {
    let mut tree = vec![pid];
    let Ok(entries) = std::fs::read_dir("/proc") else { return tree };
    for entry in entries.flatten() {
        let Some(child) = entry.file_name().to_str().and_then(|name| name.parse::<u32>().ok()) else { continue };
        if stat_fields(child).and_then(|fields| fields.get(1).and_then(|ppid| ppid.parse::<u32>().ok())) == Some(pid) {
            tree.push(child);
        }
    }
    tree
}

/// The fields of /proc/PID/stat after the command name (which may hold
/// spaces): state, ppid, ...
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    Some(after_name.split_whitespace().map(String::from).collect())
}

/// User and system time, in clock ticks (fields 14 and 15 of stat).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let fields = stat_fields(pid)?;
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| line.strip_prefix("VmRSS:")?.trim().strip_suffix("kB")?.trim().parse().ok())
}

/// A multiset of record ids as a count and a sum of 64-bit hashes: two
/// fingerprints are equal when the ids are (a record passed over or pulled
/// twice changes both), without keeping every id a phone pulled.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub count: u64,
    pub sum: u64,
}

impl Fingerprint {
    pub fn add(&mut self, id: &str) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(id_hash(id));
    }

    pub fn remove(&mut self, id: &str) {
        self.count -= 1;
        self.sum = self.sum.wrapping_sub(id_hash(id));
    }
}

/// FNV-1a: stable across runs and processes (std's hasher is not meant to be).
fn id_hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&times, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&times, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&times[..1], 99.0), Duration::from_millis(1));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }

    #[test]
    fn a_fingerprint_tells_a_missing_or_doubled_id() {
        let ids = ["a", "b", "c"];
        let mut all = Fingerprint::default();
        ids.iter().for_each(|id| all.add(id));
        let mut pulled = Fingerprint::default();
        ["c", "a", "b"].iter().for_each(|id| pulled.add(id));
        assert_eq!(all, pulled, "order does not matter");
        pulled.add("b");
        assert_ne!(all, pulled, "a doubled id shows");
        pulled.remove("b");
        pulled.remove("c");
        assert_ne!(all, pulled, "a missing id shows");
    }

    #[test]
    fn this_process_is_watched() {
        let mut me = Watched::new("me".into(), std::process::id());
        me.sample(Duration::from_secs(1));
        let busy = std::time::Instant::now();
        while busy.elapsed() < Duration::from_millis(300) {
            std::hint::black_box(busy.elapsed());
        }
        me.sample(Duration::from_millis(300));
        assert!(me.peak_rss_kib > 0);
        assert!(me.mean_cpu() > 20.0, "{}", me.mean_cpu());
    }
}
