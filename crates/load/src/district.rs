//! A district on one server: a campaign of 100,000 doors filled with a
//! million records by a few phones pushing full batches, then the console's
//! reads under pressure: three consoles refreshing coverage back to back
//! while a probe asks `/api/v1/health` ten times a second, each of the other
//! console reads, and the doors.csv export (first byte and last).

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;

use crate::consoles::timed_get;
use crate::phone::{loopback_address, Phone};
use crate::setup::{self, client, failure};
use crate::stats::Stats;
use crate::Target;

#[derive(Args)]
pub struct DistrictArgs {
    #[command(flatten)]
    target: Target,
    #[arg(long, default_value_t = 100)]
    buildings: u32,
    #[arg(long, default_value_t = 25)]
    floors: u32,
    #[arg(long, default_value_t = 40)]
    doors_per_floor: u32,
    /// Records at each door (1,000,000 in all by default).
    #[arg(long, default_value_t = 10)]
    records_per_door: u32,
    /// Phones pushing at once.
    #[arg(long, default_value_t = 4)]
    pushers: usize,
    /// Consoles refreshing coverage at once.
    #[arg(long, default_value_t = 3)]
    consoles: usize,
    /// How long the consoles refresh.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
}

pub async fn run(args: &DistrictArgs) -> Result<bool, String> {
    let target = &args.target;
    let campaign_id = format!("district-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);
    let doors = args.buildings * args.floors * args.doors_per_floor;
    eprintln!("setting up campaign {campaign_id}: {doors} doors");
    let plan = setup::Plan {
        server: target.server(0),
        coordinator_code: &target.coordinator_code,
        campaign_id: &campaign_id,
        buildings: args.buildings,
        floors: args.floors,
        doors_per_floor: args.doors_per_floor,
        phones: args.pushers,
        whole_campaign_phones: args.pushers,
    };
    let campaign = setup::make_campaign(&plan).await?;

    // Fill: each phone takes a share of the doors and visits each of them
    // `records_per_door` times, pushing full batches as a phone back from a
    // long outage does.
    let stats = Arc::new(Stats::default());
    let mut pushers = Vec::new();
    for (n, (code, _)) in campaign.invitations.iter().enumerate() {
        let local = target.on_this_machine().then(|| loopback_address(n));
        let mut phone = Phone::join(target.server(n), code, None, local, &format!("district-{n}")).await?;
        phone.share_doors(n, args.pushers);
        pushers.push(phone);
    }
    let per_phone = (doors * args.records_per_door) as usize / args.pushers;
    let filling = Instant::now();
    let tasks: Vec<_> = pushers
        .into_iter()
        .map(|mut phone| {
            let stats = stats.clone();
            tokio::spawn(async move {
                let mut saved = 0;
                while saved < per_phone {
                    let batch = walkbook_core::sync::MAX_PUSH_RECORDS.min(per_phone - saved);
                    (0..batch).for_each(|_| phone.save());
                    saved += batch;
                    while !phone.push(&stats).await {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                }
                phone.acknowledged.len()
            })
        })
        .collect();
    let mut stored = 0;
    for task in tasks {
        stored += task.await.map_err(|e| e.to_string())?;
    }
    let fill_seconds = filling.elapsed().as_secs_f64();
    eprintln!("{stored} records stored in {fill_seconds:.0} s");

    let campaign_url = format!("{}/api/v1/coordinator/campaigns/{campaign_id}", target.server(0));
    let cookie = campaign.coordinator_cookie.clone();
    // Three consoles at once, back to back, and the probe.
    let until = Instant::now() + Duration::from_secs(args.seconds);
    let mut readers = Vec::new();
    for n in 0..args.consoles {
        let (url, cookie, stats) =
            (format!("{}/api/v1/coordinator/campaigns/{campaign_id}/coverage", target.server(n)), cookie.clone(), stats.clone());
        readers.push(tokio::spawn(async move {
            let http = client(None);
            while Instant::now() < until {
                timed_get(&http, "coverage", &url, &cookie, &stats).await;
            }
        }));
    }
    let probe = {
        let (url, stats) = (format!("{}/api/v1/health", target.server(0)), stats.clone());
        tokio::spawn(async move {
            let http = client(None);
            while Instant::now() < until {
                timed_get(&http, "health", &url, "", &stats).await;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    for reader in readers {
        reader.await.map_err(|e| e.to_string())?;
    }
    probe.await.map_err(|e| e.to_string())?;

    // The other reads, one console alone, five times each.
    let http = client(None);
    for (kind, path) in [("volunteers", "volunteers"), ("alerts", "alerts"), ("coverage, one console", "coverage")] {
        for _ in 0..5 {
            timed_get(&http, kind, &format!("{campaign_url}/{path}"), &cookie, &stats).await;
        }
    }
    let mut export = Vec::new();
    for file in ["doors.csv", "people.csv"] {
        let started = Instant::now();
        let response = http.get(format!("{campaign_url}/exports/{file}")).header("cookie", &cookie).send().await;
        let first_byte = started.elapsed();
        if let Some(error) = failure(file, &response) {
            return Err(error);
        }
        let bytes = response.expect("a success").bytes().await.map_err(|e| format!("{file}: {e}"))?;
        export.push((file, first_byte, started.elapsed(), bytes.len()));
    }

    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    println!("\n{}", if target.label.is_empty() { "District" } else { &target.label });
    println!("| measure | figure | target |");
    println!("|---|---|---|");
    println!(
        "| campaign | {doors} doors, {stored} records ({} phones pushing batches of 500: {:.0} records/s) | |",
        args.pushers,
        stored as f64 / fill_seconds
    );
    let p50_target = format!("p50 ≤ 200 ms with {} consoles", args.consoles);
    for (kind, target) in [
        ("coverage", p50_target.as_str()),
        ("health", "p99 ≤ 50 ms meanwhile"),
        ("coverage, one console", ""),
        ("volunteers", ""),
        ("alerts", ""),
    ] {
        if let Some((count, p50, p99)) = stats.summary(kind) {
            let who = if kind == "coverage" { format!("{kind}, {} consoles at once", args.consoles) } else { kind.to_string() };
            println!("| {who}: requests, p50 / p99 | {count}, {} / {} | {target} |", ms(p50), ms(p99));
        }
    }
    for (file, first_byte, all, bytes) in &export {
        let target = if *file == "doors.csv" { "≤ 3 s" } else { "" };
        println!(
            "| {file}: first byte, whole file | {} , {:.2} s ({:.1} MB) | {target} |",
            ms(*first_byte),
            all.as_secs_f64(),
            *bytes as f64 / 1e6
        );
    }
    let errors = stats.errors();
    println!("| errors | {} | 0 |", errors.values().sum::<u64>());
    Ok(errors.is_empty())
}
