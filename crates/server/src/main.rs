use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use walkbook_core::campaign::CampaignBundle;
use walkbook_core::demo::DEMO_CAMPAIGN_ID;
use walkbook_core::lang::Lang;
use walkbook_server::campaigns::{ensure_demo_campaign, invite, store_campaign, CampaignCache};
use walkbook_server::config::Config;
use walkbook_server::error::ApiError;
use walkbook_server::forms::import_xlsform;
use walkbook_server::{db, pwa::Pwa, retention, router, AppState};

#[derive(Parser)]
#[command(name = "walkbook-server", version, about = "Walkbook's endpoint: sync, coordinators, and the PWA")]
struct Cli {
    /// A SQLite file to store in (created if missing), or a `postgres://` URL.
    #[arg(long, global = true, env = "WALKBOOK_DB", default_value = "walkbook.sqlite3")]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built PWA. Loads the demo campaign if missing.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "WALKBOOK_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The built PWA (Trunk's output folder).
        #[arg(long, env = "WALKBOOK_DIST", default_value = "dist")]
        dist: PathBuf,
        /// The address volunteers and coordinators open (invitation and
        /// login links are made from it; https makes cookies Secure and
        /// sends HSTS). Default: http:// and the listening address.
        #[arg(long, env = "WALKBOOK_PUBLIC_URL")]
        public_url: Option<String>,
        /// Believe `X-Forwarded-For` about the client's address: only behind
        /// a reverse proxy that sets it.
        #[arg(long, env = "WALKBOOK_TRUST_PROXY")]
        trust_proxy: bool,
    },
    /// Invite a volunteer: prints a one-time join code and link.
    Invite {
        /// The volunteer's name, as the coordinator will see it.
        #[arg(long)]
        name: String,
        #[arg(long, default_value = DEMO_CAMPAIGN_ID)]
        campaign: String,
        /// A building the volunteer works (repeat for several). Without any,
        /// they see the whole campaign; with some, only those buildings' records.
        #[arg(long = "building")]
        buildings: Vec<String>,
        /// How long the code can be used.
        #[arg(long, default_value_t = 7)]
        valid_days: u32,
        /// The address volunteers open, for the printed link.
        #[arg(long, env = "WALKBOOK_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// Print a stored campaign as a JSON bundle (a starting point for
    /// `load-campaign`).
    ShowCampaign {
        #[arg(long, default_value = DEMO_CAMPAIGN_ID)]
        campaign: String,
    },
    /// Coordinators: `coordinator add --name NAME [--campaign ID ...]`.
    Coordinator {
        #[command(subcommand)]
        action: CoordinatorCommand,
    },
    /// List a campaign's alerts (fever readings, red codes), newest first.
    Alerts {
        #[arg(long, default_value = DEMO_CAMPAIGN_ID)]
        campaign: String,
    },
    /// Erase a closed campaign's personal data (names, phone numbers, free
    /// text) once its retention period has ended, as a running server does
    /// every hour; keeps counts, door statuses and dates.
    Purge {
        #[arg(long)]
        campaign: String,
        /// Now, whatever the retention period; closes the campaign first if
        /// it is open.
        #[arg(long)]
        now: bool,
    },
    /// Create a campaign from a JSON bundle (campaign, forms, doors), or
    /// replace a stored one: phones pick up the new revision on their next sync.
    LoadCampaign {
        /// The bundle's JSON file.
        file: PathBuf,
    },
    /// Add the next version of a form from an XLSForm (.xlsx), as the
    /// console's "Import XLSForm" does; prints what was left out and why.
    LoadXlsform {
        #[arg(long, default_value = DEMO_CAMPAIGN_ID)]
        campaign: String,
        /// The form it becomes the next version of (e.g. `household`).
        #[arg(long)]
        form_id: String,
        /// Read and check only; store nothing.
        #[arg(long)]
        dry_run: bool,
        file: PathBuf,
    },
    /// Read XLSForm files without storing anything (no database needed):
    /// prints, for each, whether it would import, with what warnings, or why not.
    CheckXlsform {
        /// The campaign languages texts are mapped onto (repeat; default: zh-Hans and en).
        #[arg(long = "language", value_parser = parse_lang)]
        languages: Vec<Lang>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn parse_lang(tag: &str) -> Result<Lang, String> {
    Lang::from_tag(tag).ok_or_else(|| format!("'{tag}' is not one of zh-Hans, zh-Hant, en, ko"))
}

#[derive(Subcommand)]
enum CoordinatorCommand {
    /// Add a coordinator: prints a one-time login link (valid 7 days).
    Add {
        #[arg(long)]
        name: String,
        /// A campaign they run (repeat for several); they can create more.
        #[arg(long = "campaign")]
        campaigns: Vec<String>,
        #[arg(long, env = "WALKBOOK_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// Remove a coordinator: their sessions and login links end at once.
    Remove {
        /// The coordinator's id, as `coordinator add` printed it.
        id: String,
    },
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let cli = Cli::parse();
    if let Command::CheckXlsform { languages, files } = &cli.command {
        let languages = if languages.is_empty() { vec![Lang::ZhHans, Lang::En] } else { languages.clone() };
        check_xlsforms(&languages, files);
        return;
    }
    let result = async {
        let db = db::open(&cli.db).await.map_err(|e| format!("cannot open the database {}: {e}", shown(&cli.db)))?;
        ensure_demo_campaign(&db).await.map_err(|e| format!("cannot store the demo campaign: {e}"))?;
        match cli.command {
            Command::Serve { addr, dist, public_url, trust_proxy } => {
                let public_url = public_url.unwrap_or_else(|| format!("http://{addr}"));
                let config = Config::new(&public_url, trust_proxy)?;
                serve(db, addr, &shown(&cli.db), dist, config).await
            }
            Command::Invite { name, campaign, buildings, valid_days, public_url } => {
                let config = Config::new(&public_url, false)?;
                let valid_ms = i64::from(valid_days) * 86_400_000;
                let (volunteer_id, code) =
                    invite(&db, &CampaignCache::default(), &campaign, &name, &buildings, valid_ms).await.map_err(|e| e.to_string())?;
                print(&format!(
                    "Invited {name} ({volunteer_id}) to {campaign}, valid for {valid_days} days.\nJoin code: {code}\nJoin link: {}\n",
                    config.link(&format!("/join#code={code}"))
                ));
                Ok(())
            }
            Command::ShowCampaign { campaign } => {
                let index = CampaignCache::default().get(&db, &campaign).await.map_err(|e| e.to_string())?;
                print(&format!("{}\n", serde_json::to_string_pretty(&index.bundle).expect("a bundle always serialises")));
                Ok(())
            }
            Command::Coordinator { action: CoordinatorCommand::Add { name, campaigns, public_url } } => {
                let config = Config::new(&public_url, false)?;
                let (id, code) = walkbook_server::coordinators::add_coordinator(&db, &name, &campaigns).await.map_err(|e| e.to_string())?;
                let running = if campaigns.is_empty() { "no campaign yet".to_string() } else { campaigns.join(", ") };
                print(&format!(
                    "Added coordinator {name} ({id}), running: {running}.\nLogin link (one use, 7 days): {}\n",
                    config.link(&format!("/coordinator#login={code}"))
                ));
                Ok(())
            }
            Command::Coordinator { action: CoordinatorCommand::Remove { id } } => {
                let name = walkbook_server::coordinators::remove_coordinator(&db, &id).await.map_err(|e| e.to_string())?;
                print(&format!("Removed coordinator {name} ({id}): their sessions and login links have ended.\n"));
                Ok(())
            }
            Command::Alerts { campaign } => {
                let alerts = walkbook_server::alerts::list(&db, &campaign).await.map_err(|e| e.to_string())?;
                let mut text = if alerts.is_empty() { format!("No alerts in {campaign}.\n") } else { String::new() };
                for alert in alerts {
                    text.push_str(&serde_json::to_string(&alert).expect("an alert always serialises"));
                    text.push('\n');
                }
                print(&text);
                Ok(())
            }
            Command::Purge { campaign, now } => purge(&db, &campaign, now).await,
            Command::LoadCampaign { file } => {
                let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
                let bundle: CampaignBundle =
                    serde_json::from_str(&text).map_err(|e| format!("{} is not a campaign bundle: {e}", file.display()))?;
                let revision = store_campaign(&db, &bundle).await.map_err(|e| e.to_string())?;
                print(&format!(
                    "Stored campaign {} revision {revision}: {} buildings, {} doors, {} forms.\n",
                    bundle.campaign.id,
                    bundle.campaign.buildings.len(),
                    bundle.doors.len(),
                    bundle.campaign.forms.len()
                ));
                Ok(())
            }
            Command::LoadXlsform { campaign, form_id, dry_run, file } => {
                let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
                let index = CampaignCache::default().get(&db, &campaign).await.map_err(|e| e.to_string())?;
                let imported = import_xlsform(&db, &index.bundle, &form_id, bytes, dry_run).await.map_err(|e| match e {
                    ApiError::FileProblems { problems, .. } => format!("nothing was imported:\n  {}", problems.join("\n  ")),
                    other => other.to_string(),
                })?;
                let mut text = match imported.revision {
                    Some(revision) => {
                        format!("Stored form {form_id} version {} in {campaign} (revision {revision}).\n", imported.form.version)
                    }
                    None => format!("Form {form_id} would be version {} in {campaign} (dry run: nothing stored).\n", imported.form.version),
                };
                for warning in &imported.warnings {
                    text.push_str(&format!("  warning: {warning}\n"));
                }
                print(&text);
                Ok(())
            }
            Command::CheckXlsform { .. } => unreachable!("answered before the database is opened"),
        }
    }
    .await;
    if let Err(message) = result {
        eprintln!("walkbook-server: {message}");
        std::process::exit(1);
    }
}

/// `purge`: erases the campaign's personal data if due (or `now`), and says
/// what it did or when it will.
async fn purge(db: &db::Db, campaign_id: &str, now: bool) -> Result<(), String> {
    let index = CampaignCache::default().get(db, campaign_id).await.map_err(|e| e.to_string())?;
    let campaign = &index.bundle.campaign;
    let at = walkbook_server::campaigns::now_ms();
    if now && campaign.closed_at.is_none() {
        retention::close(db, campaign_id, at).await.map_err(|e| e.to_string())?;
        print(&format!("Closed campaign {campaign_id}.\n"));
    } else if !now {
        match campaign.erase_personal_data_at() {
            None => return Err(format!("campaign {campaign_id} is open: close it first (or purge --now)")),
            Some(due) if due > at && campaign.personal_data_erased_at.is_none() => {
                print(&format!(
                    "Campaign {campaign_id}'s personal data is erased on {} (its retention period); --now erases it at once.\n",
                    retention::day_of(campaign, due)
                ));
                return Ok(());
            }
            Some(_) => {}
        }
    }
    let erased = retention::erase_personal_data(db, campaign_id, at).await.map_err(|e| e.to_string())?;
    print(&format!(
        "Erased the personal data of campaign {campaign_id}: {} records, {} of them with names, phone numbers or notes removed.\n",
        erased.records, erased.redacted
    ));
    Ok(())
}

/// One line per file: imported (with its questions), imported with
/// warnings, or refused with every problem.
fn check_xlsforms(languages: &[Lang], files: &[PathBuf]) {
    let mut text = String::new();
    for file in files {
        let name = file.display();
        let line = match std::fs::read(file) {
            Err(e) => format!("{name}: cannot be read: {e}"),
            Ok(bytes) => match walkbook_xlsform::import(&bytes, &walkbook_xlsform::Target { form_id: "check", version: 1, languages }) {
                Ok(imported) if imported.warnings.is_empty() => format!("{name}: imported, {} questions", imported.form.questions.len()),
                Ok(imported) => format!(
                    "{name}: imported with warnings, {} questions\n  warning: {}",
                    imported.form.questions.len(),
                    imported.warnings.join("\n  warning: ")
                ),
                Err(walkbook_xlsform::ImportError::Problems(problems)) => {
                    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
                    format!("{name}: refused\n  {}", problems.join("\n  "))
                }
                Err(error) => format!("{name}: refused\n  {error}"),
            },
        };
        text.push_str(&line);
        text.push('\n');
    }
    print(&text);
}

/// Writes to standard output. A reader that went away (`| head`) ends the
/// command quietly, as for any Unix tool, instead of a panic.
fn print(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("walkbook-server: cannot write: {error}");
        std::process::exit(1);
    }
}

async fn serve(db: db::Db, addr: SocketAddr, database: &str, dist: PathBuf, config: Config) -> Result<(), String> {
    let pwa = Pwa::load(&dist).map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let link = config.link("/");
    tokio::spawn(retention::keep_erasing(db.clone()));
    let state = AppState::new(db, pwa, config);
    print(&format!("Walkbook is running at {link} (listening on {addr}, database: {database})\n"));
    walkbook_server::net::serve(listener, router(state), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}

/// The database as it can be printed: a URL's password is left out.
fn shown(target: &str) -> String {
    match target.split_once("://").and_then(|(scheme, rest)| Some((scheme, rest.split_once('@')?))) {
        Some((scheme, (credentials, host))) => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}")
        }
        None => target.to_string(),
    }
}
