//! The HTTP side of the preview: the files of the last build, and nothing else. A request
//! path is percent-decoded once, then split into segments; any `..`, backslash, NUL or
//! drive letter is refused before the file system is touched, and the file found must
//! still lie inside the output folder once symbolic links are resolved.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::anyhow;
use tiny_http::{Header, Request, Response, Server};

use super::State;
use super::reload;

pub fn bind(addr: SocketAddr) -> anyhow::Result<Server> {
    Server::http(addr).map_err(|e| anyhow!("impossible d’écouter sur {addr} : {e}"))
}

/// Answers requests until the server stops, one thread per request (pages waiting for a
/// reload hold theirs).
pub fn run(server: Server, state: Arc<State>) {
    for request in server.incoming_requests() {
        let state = Arc::clone(&state);
        std::thread::spawn(move || handle(request, &state));
    }
}

fn handle(request: Request, state: &State) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let response = if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        text(405, "méthode non permise")
    } else if path == reload::EVENTS {
        let since = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let body = reload::wait(state, since);
        bytes(200, "application/json", body.into_bytes())
    } else {
        page(state, path)
    };
    let _ = request.respond(response);
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header")
}

fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn text(status: u16, message: &str) -> Reply {
    bytes(
        status,
        "text/plain; charset=utf-8",
        format!("{message}\n").into_bytes(),
    )
}

fn page(state: &State, raw_path: &str) -> Reply {
    let snap = state.snapshot();
    let Some(segments) = segments(raw_path) else {
        return text(400, "adresse invalide");
    };
    let file = resolve(&snap.out, &segments);
    let is_html = file
        .as_ref()
        .map(|f| content_type(f).starts_with("text/html"))
        .unwrap_or(true);
    if let Some(error) = &snap.error
        && is_html
    {
        return bytes(
            500,
            "text/html; charset=utf-8",
            reload::error_page(error, snap.generation),
        );
    }
    match file {
        Some(f) => match std::fs::read(&f) {
            Ok(body) => {
                let ct = content_type(&f);
                let body = if ct.starts_with("text/html") {
                    reload::inject(&body, snap.generation)
                } else {
                    body
                };
                bytes(200, ct, body)
            }
            Err(_) => text(404, "introuvable"),
        },
        None => match std::fs::read(snap.out.join("404.html")) {
            Ok(body) => bytes(
                404,
                "text/html; charset=utf-8",
                reload::inject(&body, snap.generation),
            ),
            Err(_) => text(404, "introuvable"),
        },
    }
}

/// The path's segments, decoded; `None` if the path tries to leave the output folder or
/// cannot be decoded.
pub fn segments(raw: &str) -> Option<Vec<String>> {
    if !raw.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(raw)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut out = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains(':') => return None,
            s => out.push(s.to_string()),
        }
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The file a path names inside `out`: a folder means its `index.html`.
fn resolve(out: &Path, segments: &[String]) -> Option<PathBuf> {
    let mut path = out.to_path_buf();
    path.extend(segments);
    if path.is_dir() {
        path.push("index.html");
    }
    let real = std::fs::canonicalize(&path).ok()?;
    let base = std::fs::canonicalize(out).ok()?;
    (real.starts_with(&base) && real.is_file()).then_some(real)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/villes/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/villes%2f..%2f..%2fetc",
            "/..%5cetc",
            "/C:/Windows",
            "/%00",
            "/%zz",
            "etc/passwd",
        ] {
            assert_eq!(segments(bad), None, "{bad}");
        }
        assert_eq!(
            segments("//etc/passwd"),
            Some(vec!["etc".to_string(), "passwd".to_string()])
        );
        assert_eq!(
            segments("/villes/l%C3%A9vis/"),
            Some(vec!["villes".to_string(), "lévis".to_string()])
        );
    }
}
