//! A day in the field: phones saving, pushing and pulling, consoles
//! refreshing; then the checks that nothing was lost, doubled or passed over.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::consoles;
use crate::phone::{loopback_address, run_fleet, Phone, Timing};
use crate::setup;
use crate::stats::{Fingerprint, Stats, Watched};
use crate::FieldArgs as Args;

pub async fn run(args: &Args) -> Result<bool, String> {
    let campaign_id = format!("load-{}", &uuid::Uuid::now_v7().simple().to_string()[20..]);
    let server_of = |n: usize| args.target.server(n);
    let on_this_machine = args.target.on_this_machine();
    eprintln!("setting up campaign {campaign_id}: {} buildings, {} phones", args.buildings, args.phones);
    let plan = setup::Plan {
        server: server_of(0),
        coordinator_code: &args.target.coordinator_code,
        campaign_id: &campaign_id,
        buildings: args.buildings,
        floors: args.floors,
        doors_per_floor: args.doors_per_floor,
        phones: args.phones,
        whole_campaign_phones: args.whole_campaign_phones,
    };
    let campaign = setup::make_campaign(&plan).await?;
    let mut phones = Vec::with_capacity(args.phones);
    for (n, (code, building)) in campaign.invitations.iter().enumerate() {
        let local = on_this_machine.then(|| loopback_address(n));
        phones.push(Phone::join(server_of(n), code, building.clone(), local, &n.to_string()).await?);
    }
    eprintln!("{} phones joined; running for {} s", phones.len(), args.seconds);

    let stats = Arc::new(Stats::default());
    let started = Instant::now();
    let timing = Arc::new(Timing {
        save_every: Duration::from_secs_f64(args.save_every),
        pull_every: Duration::from_secs(args.pull_every),
        until: started + Duration::from_secs(args.seconds),
    });
    let mut watched: Vec<Watched> = args
        .watched
        .iter()
        .map(|spec| {
            let (label, pid) = spec.split_once('=').ok_or_else(|| format!("--watch {spec}: LABEL=PID"))?;
            Ok(Watched::new(label.to_string(), pid.parse().map_err(|_| format!("--watch {spec}: not a process id"))?))
        })
        .collect::<Result<_, String>>()?;
    watched.push(Watched::new("this load generator".into(), std::process::id()));
    let sampling = tokio::spawn(consoles::sample_processes(watched, timing.until));
    let console_servers: Vec<String> = (0..args.consoles).map(|n| server_of(n).to_string()).collect();
    let polling = tokio::spawn(consoles::poll(
        console_servers,
        campaign.coordinator_cookie.clone(),
        campaign_id.clone(),
        Duration::from_secs(args.console_every),
        timing.until,
        stats.clone(),
    ));
    let fleet = run_fleet(phones, timing.clone(), Duration::from_secs(120), stats.clone()).await;
    let saving_seconds = args.seconds as f64;
    let watched = sampling.await.map_err(|e| e.to_string())?;
    polling.await.map_err(|e| e.to_string())?;

    // Every phone pulls to the end, now that nothing more is pushed.
    let mut fleet = fleet;
    for (phone, _) in fleet.iter_mut() {
        let mut tries = 0;
        while !phone.pull_to_end(&stats).await && tries < 10 {
            tries += 1;
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    let made: u64 = fleet.iter().map(|(_, made)| made).sum();
    let acknowledged: u64 = fleet.iter().map(|(phone, _)| phone.acknowledged.len() as u64).sum();
    let unsent: usize = fleet.iter().map(|(phone, _)| phone.unsent()).sum();

    // Stored once: a volunteer who sees everything pulls the whole campaign.
    let auditor =
        Phone::join(server_of(0), &campaign.auditor_code, None, on_this_machine.then(|| loopback_address(args.phones)), "auditor");
    let mut auditor = auditor.await?;
    let mut seen: HashMap<String, u32> = HashMap::new();
    let pulled_all = auditor_pull(&mut auditor, &mut seen).await?;
    let missing = fleet.iter().flat_map(|(phone, _)| &phone.acknowledged).filter(|(id, _)| !seen.contains_key(id)).count();
    let doubled = seen.values().filter(|count| **count > 1).count();
    let acknowledged_ids: std::collections::HashSet<&String> =
        fleet.iter().flat_map(|(phone, _)| &phone.acknowledged).map(|(id, _)| id).collect();
    let unexpected = seen.keys().filter(|id| !acknowledged_ids.contains(id)).count();

    // Never passed over: each phone pulled exactly the records of its
    // building (or of the whole campaign) that other phones made.
    let mut everything = Fingerprint::default();
    let mut by_building: HashMap<&str, Fingerprint> = HashMap::new();
    for (id, building) in fleet.iter().flat_map(|(phone, _)| &phone.acknowledged) {
        everything.add(id);
        by_building.entry(building).or_default().add(id);
    }
    let mut phones_short = 0;
    for (phone, _) in &fleet {
        let mut expected = match &phone.building {
            Some(building) => by_building.get(building.as_str()).copied().unwrap_or_default(),
            None => everything,
        };
        phone.acknowledged.iter().for_each(|(id, _)| expected.remove(id));
        if phone.pulled != expected {
            phones_short += 1;
            eprintln!(
                "phone of {}: pulled {} records, expected {}",
                phone.building.as_deref().unwrap_or("the whole campaign"),
                phone.pulled.count,
                expected.count
            );
        }
    }

    let errors = stats.errors();
    let error_count: u64 = errors.values().sum();
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    println!("\n{}", if args.target.label.is_empty() { "Load" } else { &args.target.label });
    println!("| measure | figure | target |");
    println!("|---|---|---|");
    println!(
        "| phones, consoles, servers | {} phones ({} see the whole campaign), {} consoles, {} server process(es) | |",
        args.phones,
        args.whole_campaign_phones,
        args.consoles,
        args.target.servers.len()
    );
    println!(
        "| records saved, acknowledged | {made}, {acknowledged} in {saving_seconds:.0} s ({:.0} records/s) | |",
        acknowledged as f64 / saving_seconds
    );
    for (kind, target) in [("push", "p99 < 500 ms"), ("pull", "p99 < 500 ms"), ("coverage", ""), ("alerts", ""), ("health", "")] {
        if let Some((count, p50, p99)) = stats.summary(kind) {
            println!("| {kind}: requests, p50 / p99 | {count}, {} / {} | {target} |", ms(p50), ms(p99));
        }
    }
    println!("| longest time without an acknowledged push | {:.1} s | |", stats.longest_gap("push").as_secs_f64());
    let error_list: Vec<String> = errors.iter().map(|(what, count)| format!("{what} ×{count}")).collect();
    println!(
        "| errors | {error_count}{} | 0 |",
        if error_list.is_empty() { String::new() } else { format!(": {}", error_list.join("; ")) }
    );
    for process in &watched {
        println!(
            "| {}: CPU mean / max, peak memory | {:.0}% / {:.0}% (of one core), {:.0} MiB | |",
            process.label,
            process.mean_cpu(),
            process.max_cpu(),
            process.peak_rss_kib as f64 / 1024.0
        );
    }
    println!(
        "| stored once | {acknowledged} acknowledged, {} found by a full pull ({pulled_all} pages): {missing} missing, {doubled} doubled, {unexpected} not acknowledged; {unsent} never sent | 0 missing, 0 doubled |",
        seen.len()
    );
    println!(
        "| pulls never passed over a record | {} of {} phones pulled exactly the others' records of their buildings | all |",
        fleet.len() - phones_short,
        fleet.len()
    );
    let passed = missing == 0 && doubled == 0 && unexpected == 0 && unsent == 0 && phones_short == 0;
    if !passed {
        eprintln!("walkbook-load: a check failed (see the table)");
    }
    Ok(passed)
}

/// The auditor's full pull: each record id and how many times it came.
async fn auditor_pull(auditor: &mut Phone, seen: &mut HashMap<String, u32>) -> Result<u32, String> {
    let stats = Stats::default();
    let pages = auditor
        .pull_pages(&stats, |records| {
            for record in records {
                *seen.entry(record.id.clone()).or_default() += 1;
            }
        })
        .await;
    pages.ok_or_else(|| format!("the full pull at the end failed: {:?}", stats.errors()))
}
