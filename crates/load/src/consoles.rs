//! Coordinators' consoles refreshing coverage and alerts as the console does,
//! a health probe as a load balancer's, and the sampling of the watched
//! processes, all until the phones stop saving.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::setup::{client, failure};
use crate::stats::{Stats, Watched};

/// One console per server in `servers` (repeat a server for several),
/// refreshing every `every`, each starting at a random point of the period;
/// and a health probe of each server every second.
pub async fn poll(servers: Vec<String>, cookie: String, campaign_id: String, every: Duration, until: Instant, stats: Arc<Stats>) {
    let mut tasks = Vec::new();
    for server in &servers {
        let (server, cookie, stats) = (server.clone(), cookie.clone(), stats.clone());
        let campaign = format!("{server}/api/v1/coordinator/campaigns/{campaign_id}");
        tasks.push(tokio::spawn(async move {
            let http = client(None);
            let mut next = Instant::now() + every.mul_f64(fastrand::f64());
            while next < until {
                tokio::time::sleep_until(next.into()).await;
                for kind in ["coverage", "alerts"] {
                    timed_get(&http, kind, &format!("{campaign}/{kind}"), &cookie, &stats).await;
                }
                next += every;
            }
        }));
    }
    let mut probed: Vec<String> = servers.clone();
    probed.sort();
    probed.dedup();
    for server in probed {
        let stats = stats.clone();
        tasks.push(tokio::spawn(async move {
            let http = client(None);
            while Instant::now() < until {
                timed_get(&http, "health", &format!("{server}/api/v1/health"), "", &stats).await;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
}

/// A GET of `url` as `kind`, timed until the whole answer is read.
pub async fn timed_get(http: &reqwest::Client, kind: &'static str, url: &str, cookie: &str, stats: &Stats) {
    let started = Instant::now();
    let answer = http.get(url).header("cookie", cookie).send().await;
    match failure(kind, &answer) {
        Some(error) => stats.error(error),
        None if answer.expect("a success").bytes().await.is_ok() => stats.took(kind, started.elapsed()),
        None => stats.error(format!("{kind}: connection lost")),
    }
}

/// Samples the processes every second until `until`.
pub async fn sample_processes(mut watched: Vec<Watched>, until: Instant) -> Vec<Watched> {
    const EVERY: Duration = Duration::from_secs(1);
    let mut last = Instant::now();
    watched.iter_mut().for_each(|process| process.sample(EVERY));
    while Instant::now() < until {
        tokio::time::sleep(EVERY).await;
        let interval = last.elapsed();
        last = Instant::now();
        watched.iter_mut().for_each(|process| process.sample(interval));
    }
    watched
}
