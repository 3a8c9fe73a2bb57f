//! `walkbook-load`: simulated phones and coordinator consoles against one
//! or more running Walkbook servers (a deployment behind a reverse proxy:
//! clients are shared out among the servers given). Not in CI:
//! `scripts/load.sh` and `scripts/failover.sh` start servers and run
//! `field`; `scripts/bench.sh` runs `district`.
//!
//! - `field`: hundreds of phones saving, pushing and pulling for minutes
//!   while consoles refresh; prints latencies, errors, throughput and the
//!   watched processes' CPU and memory, then checks that every acknowledged
//!   record is stored once and that no phone's pulls passed over a record.
//!   Exits non-zero if a check fails.
//! - `district`: a district's campaign (100,000 doors) filled with a million
//!   records, then three consoles at once and a health probe, and the
//!   doors.csv export.

mod consoles;
mod district;
mod field;
mod phone;
mod setup;
mod stats;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "walkbook-load", about = "Simulated phones and consoles against running Walkbook servers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Phones in the field and consoles refreshing, for minutes.
    Field(FieldArgs),
    /// A district's campaign with a million records, read by three consoles.
    District(district::DistrictArgs),
}

/// What every run needs: the servers and a coordinator to set up with.
#[derive(Args)]
pub struct Target {
    /// A server's URL (repeat for several processes sharing a database).
    #[arg(long = "server", required = true)]
    pub servers: Vec<String>,
    /// A coordinator's sign-in code (`walkbook-server coordinator add`).
    #[arg(long)]
    pub coordinator_code: String,
    /// A line naming the run in the table (backend, processes).
    #[arg(long, default_value = "")]
    pub label: String,
}

impl Target {
    /// The server client `n` (phone or console) talks to.
    pub fn server(&self, n: usize) -> &str {
        self.servers[n % self.servers.len()].trim_end_matches('/')
    }

    /// Whether the servers are on this machine (then each phone speaks from
    /// a loopback address of its own).
    pub fn on_this_machine(&self) -> bool {
        self.servers.iter().all(|s| s.contains("://127.") || s.contains("://localhost"))
    }
}

#[derive(Args)]
pub struct FieldArgs {
    #[command(flatten)]
    target: Target,
    #[arg(long, default_value_t = 500)]
    phones: usize,
    /// Phones that see the whole campaign (the others work one building).
    #[arg(long, default_value_t = 5)]
    whole_campaign_phones: usize,
    #[arg(long, default_value_t = 5)]
    consoles: usize,
    /// How long phones save records.
    #[arg(long, default_value_t = 600)]
    seconds: u64,
    /// A phone saves a record every this many seconds on average.
    #[arg(long, default_value_t = 4.0)]
    save_every: f64,
    #[arg(long, default_value_t = 30)]
    pull_every: u64,
    /// Consoles refresh coverage and alerts this often, as the console does.
    #[arg(long, default_value_t = 10)]
    console_every: u64,
    #[arg(long, default_value_t = 100)]
    buildings: u32,
    #[arg(long, default_value_t = 20)]
    floors: u32,
    #[arg(long, default_value_t = 10)]
    doors_per_floor: u32,
    /// A process to watch for CPU and memory, with its children: LABEL=PID.
    #[arg(long = "watch")]
    watched: Vec<String>,
}

#[tokio::main]
async fn main() {
    let outcome = match Cli::parse().command {
        Command::Field(args) => field::run(&args).await,
        Command::District(args) => district::run(&args).await,
    };
    match outcome {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(error) => {
            eprintln!("walkbook-load: {error}");
            std::process::exit(2);
        }
    }
}
