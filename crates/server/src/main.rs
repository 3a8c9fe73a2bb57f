use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use walkbook_server::{db, pwa::Pwa, router, AppState};

#[derive(Parser)]
#[command(name = "walkbook-server", version, about = "Walkbook's endpoint: sync, coordinators, and the PWA")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built PWA.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "WALKBOOK_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// SQLite file to store in (created if missing).
        #[arg(long, env = "WALKBOOK_DB", default_value = "walkbook.sqlite3")]
        db: PathBuf,
        /// The built PWA (Trunk's output folder).
        #[arg(long, env = "WALKBOOK_DIST", default_value = "dist")]
        dist: PathBuf,
    },
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { addr, db, dist } => serve(addr, db, dist).await,
    };
    if let Err(message) = result {
        eprintln!("walkbook-server: {message}");
        std::process::exit(1);
    }
}

async fn serve(addr: SocketAddr, db_path: PathBuf, dist: PathBuf) -> Result<(), String> {
    let pwa = Pwa::load(&dist).map_err(|e| e.to_string())?;
    let db = db::open_sqlite(&db_path)
        .await
        .map_err(|e| format!("cannot open the database {}: {e}", db_path.display()))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let state = AppState { db, pwa: Arc::new(pwa) };
    println!("Walkbook is running at http://{addr}/ (database: {})", db_path.display());
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("server error: {e}"))
}
