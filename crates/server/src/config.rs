//! How this server is reached from outside: the public URL that links are
//! built from (never the request's `Host` header, which the client writes),
//! and whether a reverse proxy in front of it may be believed about the
//! client's address.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::AppState;

#[derive(Debug, Clone)]
pub struct Config {
    /// `http(s)://host[:port]`, no trailing slash.
    public_url: String,
    /// Believe the last `X-Forwarded-For` hop (set only behind a proxy that
    /// writes it; otherwise any client could claim any address).
    pub trust_proxy: bool,
    /// How often what phones said of themselves is written (see `phones.rs`).
    pub phone_reports_every: std::time::Duration,
}

impl Config {
    /// Checks `public_url` is an http or https origin.
    pub fn new(public_url: &str, trust_proxy: bool) -> Result<Config, String> {
        let public_url = public_url.trim().trim_end_matches('/');
        let rest = public_url.strip_prefix("https://").or_else(|| public_url.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', '@', ' ']) => {
                Ok(Config { public_url: public_url.to_string(), trust_proxy, phone_reports_every: crate::phones::FLUSH_EVERY })
            }
            _ => Err(format!("the public URL '{public_url}' is not an origin like https://walkbook.example.org")),
        }
    }

    /// Cookies are `Secure` and HSTS is sent when volunteers reach the
    /// server over https.
    pub fn https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// An absolute link to `path` (which starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

impl Default for Config {
    fn default() -> Config {
        Config::new("http://127.0.0.1:8080", false).expect("a valid default")
    }
}

/// The address of the client a request comes from, for throttling and the
/// audit log: the connection's peer, or behind a trusted proxy the address
/// the proxy saw. Unspecified where there is no connection (in-process tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        if state.config.trust_proxy {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .next_back()
                .and_then(|hop| hop.trim().parse().ok());
            return Ok(ClientAddr(forwarded.unwrap_or(peer)));
        }
        Ok(ClientAddr(peer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_url_is_an_origin() {
        let config = Config::new("https://walkbook.example.org/", false).unwrap();
        assert_eq!(config.link("/join#code=X"), "https://walkbook.example.org/join#code=X");
        assert!(config.https());
        assert!(!Config::default().https());
        for bad in ["walkbook.example.org", "ftp://x", "https://", "https://a/b", "https://evil@x"] {
            assert!(Config::new(bad, false).is_err(), "{bad}");
        }
    }
}
