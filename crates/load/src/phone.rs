//! A simulated phone: joins with its code, saves a visit every few seconds
//! at the next door of its building, pushes its outbox after each save as
//! the app does (a failed push stays in the outbox for the next try), pulls
//! the others' records every 30 s, and at the end pushes what is left and
//! pulls to the end, keeping a fingerprint of everything it pulled.

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Client;
use walkbook_core::record::{Outcome, Record, RecordKind};
use walkbook_core::sync::{JoinRequest, JoinResponse, OutboxReport, PullResponse, PushRequest, PushResponse, PushStatus};

use crate::setup::{answered, client, json_of, session_cookie};
use crate::stats::{Fingerprint, Stats};

/// The app's push batch (MAX_PUSH_RECORDS) is far above what a phone holds
/// between two saves here; a long outage would fill several.
const PUSH_BATCH: usize = walkbook_core::sync::MAX_PUSH_RECORDS;

pub struct Timing {
    /// A record is saved every `save_every` ± half of it.
    pub save_every: Duration,
    pub pull_every: Duration,
    /// Saving stops at this instant; then the outbox is emptied.
    pub until: Instant,
}

/// A joined phone.
pub struct Phone {
    http: Client,
    server: String,
    cookie: String,
    device_id: String,
    volunteer_id: String,
    campaign_id: String,
    form: (String, u32),
    /// The doors it walks (with their buildings), in order, round and round.
    doors: Vec<(String, String)>,
    pub building: Option<String>,
    next_door: usize,
    device_seq: u64,
    /// Saved records not yet acknowledged, with their doors' buildings.
    outbox: VecDeque<(Record, String)>,
    cursor: i64,
    campaign_revision: u64,
    /// Every record the server acknowledged (stored, or a duplicate of a
    /// push whose answer was lost): its id and its door's building.
    pub acknowledged: Vec<(String, String)>,
    /// What its pulls brought, as a fingerprint.
    pub pulled: Fingerprint,
}

impl Phone {
    pub async fn join(server: &str, code: &str, building: Option<String>, local: Option<IpAddr>, name: &str) -> Result<Phone, String> {
        let http = client(local);
        let device_id = format!("load-{name}-{}", uuid::Uuid::now_v7().simple());
        let request = JoinRequest { code: code.to_string(), device_id: Some(device_id.clone()), local_volunteer_id: None, public_key: None };
        let response = http.post(format!("{server}/api/v1/join")).json(&request).send().await.map_err(|e| format!("join: {e}"))?;
        let cookie = session_cookie(&response)?;
        let joined: JoinResponse = json_of("join", response).await?;
        let bundle = joined.bundle;
        let doors: Vec<(String, String)> = bundle
            .doors
            .iter()
            .filter(|door| building.as_ref().is_none_or(|b| *b == door.building_id))
            .map(|door| (door.id.clone(), door.building_id.clone()))
            .collect();
        let form_id = bundle.campaign.buildings.first().map(|b| b.form_id.clone()).ok_or("the campaign has no building")?;
        let version = bundle.campaign.forms.iter().filter(|f| f.id == form_id).map(|f| f.version).max().ok_or("no form")?;
        Ok(Phone {
            http,
            server: server.to_string(),
            cookie,
            device_id,
            volunteer_id: joined.volunteer_id,
            campaign_id: bundle.campaign.id.clone(),
            form: (form_id, version),
            next_door: fastrand::usize(..doors.len().max(1)),
            doors,
            building,
            device_seq: 0,
            outbox: VecDeque::new(),
            cursor: 0,
            campaign_revision: bundle.campaign.revision,
            acknowledged: Vec::new(),
            pulled: Fingerprint::default(),
        })
    }

    /// Saves, pushes and pulls until `timing.until`, then empties its outbox
    /// (retrying for up to `drain_for`). Returns how many records it made.
    pub async fn work(&mut self, timing: &Timing, drain_for: Duration, stats: &Stats) -> u64 {
        let mut next_pull = Instant::now() + timing.pull_every.mul_f64(fastrand::f64());
        let mut next_save = Instant::now() + self.save_gap(timing);
        while next_save < timing.until {
            if next_pull <= next_save {
                tokio::time::sleep_until(next_pull.into()).await;
                self.pull_to_end(stats).await;
                next_pull += timing.pull_every;
                continue;
            }
            tokio::time::sleep_until(next_save.into()).await;
            self.save();
            self.push(stats).await;
            next_save += self.save_gap(timing);
        }
        let drained_by = Instant::now() + drain_for;
        while !self.outbox.is_empty() && Instant::now() < drained_by {
            if !self.push(stats).await {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        self.device_seq
    }

    /// Keeps share `share` of `of` of its doors (every `of`-th, from `share`).
    pub fn share_doors(&mut self, share: usize, of: usize) {
        let doors = std::mem::take(&mut self.doors);
        self.doors = doors.into_iter().skip(share).step_by(of).collect();
        self.next_door = 0;
    }

    pub fn unsent(&self) -> usize {
        self.outbox.len()
    }

    fn save_gap(&self, timing: &Timing) -> Duration {
        timing.save_every.mul_f64(0.5 + fastrand::f64())
    }

    /// A visit at the next door: mostly nobody home, as in the field.
    pub fn save(&mut self) {
        let (door_id, building) = self.doors[self.next_door % self.doors.len()].clone();
        self.next_door += 1;
        self.device_seq += 1;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_millis() as i64;
        let outcome = match fastrand::u8(..100) {
            0..50 => Outcome::NotHome,
            50..70 => Outcome::Refused,
            70..85 => Outcome::Vacant,
            _ => Outcome::ComeBack { at: now + 86_400_000 },
        };
        let record = Record {
            id: uuid::Uuid::now_v7().hyphenated().to_string(),
            campaign_id: self.campaign_id.clone(),
            door_id,
            form_id: self.form.0.clone(),
            form_version: self.form.1,
            outcome,
            answers: Default::default(),
            volunteer_id: self.volunteer_id.clone(),
            device_id: self.device_id.clone(),
            device_seq: self.device_seq,
            device_time: now,
            supersedes: None,
            reason: None,
            kind: RecordKind::Visit {},
        };
        self.outbox.push_back((record, building));
    }

    fn outbox_report(&self) -> OutboxReport {
        OutboxReport {
            pending: self.outbox.len() as u32,
            oldest_pending: self.outbox.front().map(|(record, _)| record.device_time),
            installed: Some(true),
            persisted: Some(true),
        }
    }

    /// Pushes the outbox, a batch at a time; whether it is now empty.
    pub async fn push(&mut self, stats: &Stats) -> bool {
        while !self.outbox.is_empty() {
            let batch: Vec<Record> = self.outbox.iter().take(PUSH_BATCH).map(|(record, _)| record.clone()).collect();
            let request = PushRequest {
                device_id: self.device_id.clone(),
                records: batch,
                relayed: Vec::new(),
                public_key: None,
                outbox: Some(self.outbox_report()),
            };
            let started = Instant::now();
            let answer =
                self.http.post(format!("{}/api/v1/sync/push", self.server)).header("cookie", &self.cookie).json(&request).send().await;
            let Some(results): Option<PushResponse> = answered("push", answer, stats).await else { return false };
            stats.took("push", started.elapsed());
            for (result, (_, building)) in results.results.into_iter().zip(&self.outbox) {
                match result.status {
                    PushStatus::Stored | PushStatus::Duplicate => self.acknowledged.push((result.id, building.clone())),
                    other => stats.error(format!("push: a record {other:?}: {}", result.reason.unwrap_or_default())),
                }
            }
            self.outbox.drain(..request.records.len());
        }
        true
    }

    /// Pulls page after page until the server has no more; whether it got
    /// to the end.
    pub async fn pull_to_end(&mut self, stats: &Stats) -> bool {
        self.pull_pages(stats, |_| {}).await.is_some()
    }

    /// Pulls to the end, handing each page's records to `on_records` too;
    /// how many pages, or none if a pull failed.
    pub async fn pull_pages(&mut self, stats: &Stats, mut on_records: impl FnMut(&[Record])) -> Option<u32> {
        let mut pages = 0;
        loop {
            let report = self.outbox_report();
            let url = format!(
                "{}/api/v1/sync/pull?cursor={}&device_id={}&campaign_revision={}&pending={}{}",
                self.server,
                self.cursor,
                self.device_id,
                self.campaign_revision,
                report.pending,
                report.oldest_pending.map(|at| format!("&oldest_pending={at}")).unwrap_or_default()
            );
            let started = Instant::now();
            let answer = self.http.get(url).header("cookie", &self.cookie).send().await;
            let page: PullResponse = answered("pull", answer, stats).await?;
            stats.took("pull", started.elapsed());
            pages += 1;
            for record in &page.records {
                self.pulled.add(&record.id);
            }
            on_records(&page.records);
            if let Some(bundle) = page.campaign {
                self.campaign_revision = bundle.campaign.revision;
            }
            self.cursor = page.cursor;
            if !page.more {
                return Some(pages);
            }
        }
    }
}

/// The address phone `n` speaks from, when the servers are on this machine:
/// 127.1.0.1, 127.1.0.2, ... (all of 127.0.0.0/8 is this machine's).
pub fn loopback_address(n: usize) -> IpAddr {
    IpAddr::from([127, 1 + (n / 62_500) as u8, ((n / 250) % 250) as u8, (n % 250) as u8 + 1])
}

/// Several phones' work, shared out: the phones and what each made.
pub type Fleet = Vec<(Phone, u64)>;

/// Runs every phone to the end of `timing` and waits for them all.
pub async fn run_fleet(phones: Vec<Phone>, timing: Arc<Timing>, drain_for: Duration, stats: Arc<Stats>) -> Fleet {
    let tasks: Vec<_> = phones
        .into_iter()
        .map(|mut phone| {
            let (timing, stats) = (timing.clone(), stats.clone());
            tokio::spawn(async move {
                let made = phone.work(&timing, drain_for, &stats).await;
                (phone, made)
            })
        })
        .collect();
    let mut fleet = Vec::with_capacity(tasks.len());
    for task in tasks {
        fleet.push(task.await.expect("a phone's task does not panic"));
    }
    fleet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_phone_has_an_address_of_its_own() {
        let addresses: std::collections::HashSet<IpAddr> = (0..70_000).map(loopback_address).collect();
        assert_eq!(addresses.len(), 70_000);
        assert!(addresses.iter().all(|a| matches!(a, IpAddr::V4(v4) if v4.is_loopback() && v4.octets()[3] != 0)));
    }
}
