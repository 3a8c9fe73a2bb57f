//! Serves the built apps (Trunk's `dist/`) from memory: the volunteer PWA at
//! the root, and the coordinator console, a second build, under
//! `/coordinator/` (`dist/coordinator/`).
//!
//! Every file is read and compressed (brotli, gzip) once at start-up, so a
//! request costs a lookup. Content-hashed files (`name-<hex hash>.ext`) are cached
//! by browsers for a year as immutable; everything else (index.html, the
//! manifest, the service worker, icons) carries an ETag and is revalidated on
//! every use, so a new build reaches phones on their next visit.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

pub struct Asset {
    content_type: &'static str,
    etag: HeaderValue,
    immutable: bool,
    identity: Vec<u8>,
    brotli: Option<Vec<u8>>,
    gzip: Option<Vec<u8>>,
}

/// The whole built app, keyed by URL path ("/index.html", "/icons/icon-192.png").
pub struct Pwa {
    assets: HashMap<String, Asset>,
    /// The Content-Security-Policy for every response, with the hashes of the
    /// inline scripts both apps' index.html carry (Trunk's loaders).
    content_security_policy: HeaderValue,
}

/// Where the console's own build is served from; its client routes all start so.
const CONSOLE_PREFIX: &str = "/coordinator";
const CONSOLE_INDEX: &str = "/coordinator/index.html";

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read the built app in {path}: {source}. Build it first: scripts/run.sh does")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}/index.html is missing: that folder is not a built Walkbook PWA")]
    NoIndex(PathBuf),
}

impl Pwa {
    pub fn load(dist: &Path) -> Result<Pwa, LoadError> {
        let mut files = Vec::new();
        collect_files(dist, dist, &mut files)?;
        if !files.iter().any(|(url, _)| url == "/index.html") {
            return Err(LoadError::NoIndex(dist.to_path_buf()));
        }
        let shells: String = files
            .iter()
            .filter(|(url, _)| url == "/index.html" || url == CONSOLE_INDEX)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .collect();
        let content_security_policy = content_security_policy(&shells);
        let assets = std::thread::scope(|scope| {
            let workers: Vec<_> =
                files.into_iter().map(|(url, bytes)| scope.spawn(move || (url.clone(), Asset::new(&url, bytes)))).collect();
            workers.into_iter().map(|worker| worker.join().expect("compressing an asset panicked")).collect()
        });
        Ok(Pwa { assets, content_security_policy })
    }

    pub fn content_security_policy(&self) -> &HeaderValue {
        &self.content_security_policy
    }

    /// Answers a GET for `path`. Paths that look like client routes (no file
    /// extension) get their app's index.html so that a reload on `/about` or
    /// `/coordinator/c/demo` still works.
    pub fn respond(&self, path: &str, request_headers: &HeaderMap) -> Response {
        let asset = match self.assets.get(path) {
            Some(asset) => Some(asset),
            None if path == "/" || !last_segment_has_extension(path) => self.assets.get(shell_of(path)),
            None => None,
        };
        match asset {
            Some(asset) => asset.respond(request_headers),
            None => (StatusCode::NOT_FOUND, "Not found").into_response(),
        }
    }
}

impl Asset {
    fn new(url: &str, identity: Vec<u8>) -> Asset {
        let content_type = content_type(url);
        let compressible = content_type.starts_with("text/")
            || content_type.contains("javascript")
            || content_type.contains("json")
            || content_type == "application/wasm"
            || content_type == "image/svg+xml";
        let digest = Sha256::digest(&identity);
        let etag = format!("\"{}\"", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..12]));
        // Only worth it when the compressed form is meaningfully smaller.
        let worth_it = |compressed: Vec<u8>| (compressed.len() + 64 < identity.len()).then_some(compressed);
        let (brotli, gzip) =
            if compressible { (worth_it(brotli_compress(&identity)), worth_it(gzip_compress(&identity))) } else { (None, None) };
        Asset {
            content_type,
            etag: HeaderValue::from_str(&etag).expect("base64 is a valid header value"),
            immutable: is_content_hashed(url),
            identity,
            brotli,
            gzip,
        }
    }

    fn respond(&self, request_headers: &HeaderMap) -> Response {
        let cache_control = if self.immutable { "public, max-age=31536000, immutable" } else { "no-cache" };
        let mut response = if request_headers.get(header::IF_NONE_MATCH).is_some_and(|value| value.as_bytes() == self.etag.as_bytes()) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let accepted = request_headers.get(header::ACCEPT_ENCODING).and_then(|value| value.to_str().ok()).unwrap_or("");
            let (body, encoding) = match (&self.brotli, &self.gzip) {
                (Some(br), _) if accepts(accepted, "br") => (br.clone(), Some("br")),
                (_, Some(gz)) if accepts(accepted, "gzip") => (gz.clone(), Some("gzip")),
                _ => (self.identity.clone(), None),
            };
            let mut response = Response::new(Body::from(body));
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
            if let Some(encoding) = encoding {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        response
    }
}

fn collect_files(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) -> Result<(), LoadError> {
    let io = |source| LoadError::Io { path: dir.to_path_buf(), source };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_files(root, &path, files)?;
        } else {
            let bytes = std::fs::read(&path).map_err(|source| LoadError::Io { path: path.clone(), source })?;
            let relative = path.strip_prefix(root).expect("walked from root");
            let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
            files.push((url, bytes));
        }
    }
    Ok(())
}

fn content_type(url: &str) -> &'static str {
    match url.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Trunk names hashed output `stem-<16 lowercase hex>[_bg].ext`.
fn is_content_hashed(url: &str) -> bool {
    let name = url.rsplit('/').next().unwrap_or(url);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    // Trunk writes a 64-bit hash in hex without leading zeros: 16 digits
    // mostly, 15 one time in 16, fewer than 12 about once in 65,000 builds.
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// The index.html of the app whose client route `path` is.
fn shell_of(path: &str) -> &'static str {
    let in_console = path.strip_prefix(CONSOLE_PREFIX).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if in_console {
        CONSOLE_INDEX
    } else {
        "/index.html"
    }
}

fn last_segment_has_extension(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|segment| segment.contains('.'))
}

/// True when `accept_encoding` lists `coding` without `q=0`.
fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        parts.next().is_some_and(|name| name.eq_ignore_ascii_case(coding))
            && !parts.any(|param| param.replace(' ', "") == "q=0" || param.replace(' ', "") == "q=0.0")
    })
}

fn brotli_compress(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("compressing into memory cannot fail");
    out
}

fn gzip_compress(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("compressing into memory cannot fail");
    encoder.finish().expect("compressing into memory cannot fail")
}

/// The policy allows scripts from this origin, WebAssembly compilation, and
/// exactly the inline scripts of index.html by hash: no 'unsafe-inline', no
/// 'unsafe-eval'.
fn content_security_policy(shells_html: &str) -> HeaderValue {
    let script_hashes: String = inline_scripts(shells_html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).expect("hashes are base64")
}

/// The bodies of `<script>` elements that have no `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        let (body, _) = after.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_immutable_and_others_are_not() {
        assert!(is_content_hashed("/walkbook-app-3f2a9c0d11e4b5a6_bg.wasm"));
        assert!(is_content_hashed("/walkbook-app-3f2a9c0d11e4b5a6.js"));
        assert!(is_content_hashed("/main-0123456789abcdef.css"));
        // A hash with a leading zero is written one digit shorter.
        assert!(is_content_hashed("/walkbook-app-7d4216d8a5cf067_bg.wasm"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/sw.js"));
        assert!(!is_content_hashed("/icons/icon-192.png"));
        assert!(!is_content_hashed("/manifest.webmanifest"));
    }

    #[test]
    fn client_routes_get_their_own_apps_shell() {
        assert_eq!(shell_of("/"), "/index.html");
        assert_eq!(shell_of("/b/1/f/3"), "/index.html");
        assert_eq!(shell_of("/coordinator"), CONSOLE_INDEX);
        assert_eq!(shell_of("/coordinator/c/demo"), CONSOLE_INDEX);
        assert_eq!(shell_of("/coordinators"), "/index.html");
    }

    #[test]
    fn accept_encoding_honours_q_zero() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("gzip", "br"));
    }

    #[test]
    fn csp_carries_the_hash_of_each_inline_script_only() {
        let html = r#"<script type="module">import init from '/a.js';</script><script src="/b.js"></script>"#;
        let csp = content_security_policy(html);
        let csp = csp.to_str().unwrap();
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"import init from '/a.js';"));
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert_eq!(csp.matches("'sha256-").count(), 1);
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
    }
}
