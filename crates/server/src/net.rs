//! Serving HTTP with every wait and every count bounded, so that slow or
//! numerous clients cannot hold the server:
//!
//! - a client has [`HEADER_READ`] to send a request's headers (also while a
//!   kept-alive connection sits idle), `json::BODY_READ` for its body, and
//!   [`REQUEST`] for the whole request and its answer;
//! - one address holds at most [`PER_ADDRESS`] connections, and the server
//!   at most [`TOTAL`]; a connection past either is closed at once, so
//!   file descriptors never run out and other addresses are still served.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;

use crate::error::ApiError;

pub const HEADER_READ: Duration = Duration::from_secs(10);
pub const REQUEST: Duration = Duration::from_secs(60);
/// A phone's browser opens a handful of connections; a committee office
/// behind one address may have dozens of phones.
pub const PER_ADDRESS: usize = 256;
/// Well below the descriptors a process may open.
pub const TOTAL: usize = 8_192;
/// How long in-flight requests may finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Middleware: a request not answered within [`REQUEST`] (a body that
/// trickles in, a handler stuck behind the database) gets 408.
pub async fn bounded_time(request: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Client {
            status: axum::http::StatusCode::REQUEST_TIMEOUT,
            code: "request_timeout",
            message: format!("The request took longer than {} s: try again on a better connection.", REQUEST.as_secs()),
        }
        .into_response(),
    }
}

/// Open connections, per address and in all.
#[derive(Default)]
struct Connections {
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// One admitted connection; dropping it frees its place.
struct Place {
    connections: Arc<Connections>,
    address: IpAddr,
}

impl Connections {
    fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Place> {
        let mut open = self.open.lock().expect("not poisoned");
        let (total, by_address) = &mut *open;
        let own = by_address.entry(address).or_default();
        if *own >= PER_ADDRESS || *total >= TOTAL {
            return None;
        }
        *own += 1;
        *total += 1;
        Some(Place { connections: self.clone(), address })
    }

    #[cfg(test)]
    fn total(&self) -> usize {
        self.open.lock().expect("not poisoned").0
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut open = self.connections.open.lock().expect("not poisoned");
        let (total, by_address) = &mut *open;
        *total -= 1;
        if let Some(count) = by_address.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                by_address.remove(&self.address);
            }
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish (up to a grace period).
pub async fn serve(listener: TcpListener, router: Router, shutdown: impl Future<Output = ()>) {
    let connections = Arc::new(Connections::default());
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(HEADER_READ);
    builder.http2().timer(TokioTimer::new()).keep_alive_interval(Some(HEADER_READ)).keep_alive_timeout(HEADER_READ);
    let builder = Arc::new(builder);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or memory: wait for connections to close
                    // instead of spinning on accept.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(place) = connections.admit(peer.ip()) else {
            drop(stream);
            continue;
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let mut router = router.clone();
            async move { tower::Service::call(&mut router, request.map(axum::body::Body::new)).await }
        });
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _place = place;
            let _ = connection.await; // a client that went away is no error of ours
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still running after {} s were dropped", SHUTDOWN_GRACE.as_secs());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_its_share_and_places_come_back() {
        let connections = Arc::new(Connections::default());
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let two: IpAddr = "192.0.2.2".parse().unwrap();
        let places: Vec<Place> = (0..PER_ADDRESS).map(|_| connections.admit(one).unwrap()).collect();
        assert!(connections.admit(one).is_none());
        let other = connections.admit(two).expect("another address is served");
        assert_eq!(connections.total(), PER_ADDRESS + 1);
        drop(places);
        drop(other);
        assert_eq!(connections.total(), 0);
        assert!(connections.admit(one).is_some());
    }
}
