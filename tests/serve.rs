//! `fiches serve` through the real binary, on 127.0.0.1 and a port the system picks: pages
//! are served with their content types, nothing outside the output is, an edit reloads
//! open pages with the new content, a content error shows on the page until fixed, and
//! stopping the server (or the next server, when it was killed) removes its builds.
//! Every wait is bounded by time.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Site;

const LIMIT: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    addr: String,
    /// What the server printed on its standard output, line by line.
    lines: mpsc::Receiver<String>,
    /// What it printed before its address.
    early: Vec<String>,
    /// The server's temporary directory, where it builds.
    temp: PathBuf,
}

impl Server {
    /// The folder the server builds into.
    fn builds(&self) -> PathBuf {
        self.temp.join(format!("fiches-serve-{}", self.child.id()))
    }

    /// Sends `signal` and waits, bounded, for the process to end; a process already
    /// ended and reaped is not signalled (its id may be another's now).
    fn stop(&mut self, signal: i32) -> Option<std::process::ExitStatus> {
        if let Some(status) = self.child.try_wait().unwrap() {
            return Some(status);
        }
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: sends a signal to our own child process.
        unsafe { libc::kill(pid, signal) };
        let deadline = Instant::now() + LIMIT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.stop(libc::SIGTERM).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Starts a server on `site`, building in a temporary directory of the site's folder.
fn start(site: &Site) -> Server {
    let temp = site.path("tmp");
    std::fs::create_dir_all(&temp).unwrap();
    start_in(site, &temp)
}

fn start_in(site: &Site, temp: &Path) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_fiches"))
        .arg("-C")
        .arg(site.path(""))
        .args(["serve", "--port", "0"])
        .env("TMPDIR", temp)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Owned by the guard at once, so that the server is stopped whatever happens next.
    let (tx, rx) = mpsc::channel();
    let mut server = Server {
        child,
        addr: String::new(),
        lines: rx,
        early: Vec::new(),
        temp: temp.to_path_buf(),
    };
    let stdout = server.child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            // Keep reading after the address is known: the server must never write
            // into a closed pipe.
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + LIMIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = server
            .lines
            .recv_timeout(left)
            .expect("the server did not say where it listens");
        if let Some(rest) = line.strip_prefix("Aperçu sur http://") {
            server.addr = rest.split('/').next().unwrap().to_string();
            assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
            return server;
        }
        server.early.push(line);
    }
}

struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

/// A raw request, sent as written (no client-side normalisation of the path).
fn get(server: &Server, target: &str) -> Reply {
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream.set_read_timeout(Some(LIMIT)).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type: ")
                .map(str::to_string)
        })
        .unwrap_or_default();
    Reply {
        status,
        content_type,
        body: body.to_string(),
    }
}

/// The next line the server prints that starts with `prefix`.
fn said(server: &Server, prefix: &str) -> String {
    if let Some(line) = server.early.iter().find(|l| l.starts_with(prefix)) {
        return line.clone();
    }
    let deadline = Instant::now() + LIMIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = server
            .lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("the server never said `{prefix}…`"));
        if line.starts_with(prefix) {
            return line;
        }
    }
}

/// The build generation a page was served from, as its reload script says.
fn generation(page: &str) -> u64 {
    let at = page.find("var g=").expect("no reload script") + 6;
    page[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// Long-polls the reload endpoint until the generation moves past `since`.
fn next_generation(server: &Server, since: u64) -> (u64, Duration) {
    let start = Instant::now();
    loop {
        assert!(start.elapsed() < LIMIT, "no reload event");
        let r = get(server, &format!("/__fiches/events?since={since}"));
        assert_eq!(r.status, 200);
        let g = r
            .body
            .split("\"generation\":")
            .nth(1)
            .unwrap()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap();
        if g != since {
            return (g, start.elapsed());
        }
    }
}

#[test]
fn pages_are_served_with_their_types_and_the_reload_script() {
    let site = Site::fixture("valide");
    let server = start(&site);
    let home = get(&server, "/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(home.body.contains("/__fiches/events"));
    let city = get(&server, "/villes/levis/");
    assert_eq!(city.status, 200);
    assert!(city.body.contains("Lévis"));
    assert_eq!(get(&server, "/villes/levis").status, 200);
    let css = get(&server, "/style.css");
    assert_eq!(
        (css.status, css.content_type.as_str()),
        (200, "text/css; charset=utf-8")
    );
    assert!(!css.body.contains("__fiches"));
    let schema = get(&server, "/schemas/ville.schema.json");
    assert_eq!(
        (schema.status, schema.content_type.as_str()),
        (200, "application/json")
    );
    assert_eq!(get(&server, "/nulle-part/").status, 404);
    // The built files themselves carry no reload script.
    assert!(!site.path("public").exists());
}

#[test]
fn nothing_outside_the_output_is_served() {
    let site = Site::fixture("valide");
    site.write("secret.txt", "root:x:0:0");
    let server = start(&site);
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/villes/..%2f..%2fsecret.txt",
        "/villes%2f..%2f..%2f..%2fetc%2fpasswd",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/C:/Windows/win.ini",
        "/%00",
        "/%zz",
        "http://localhost/../secret.txt",
    ] {
        let r = get(&server, target);
        assert!(r.status == 400 || r.status == 404, "{target}: {}", r.status);
        assert!(!r.body.contains("root:"), "{target}");
    }
}

#[test]
fn an_edit_reloads_the_page_and_an_error_shows_until_fixed() {
    let site = Site::fixture("valide");
    let server = start(&site);
    let page = get(&server, "/villes/levis/");
    let g0 = generation(&page.body);

    // An edit: the waiting page hears of it, and the page has the new text.
    let text = site.read("content/villes/levis.yaml");
    site.write(
        "content/villes/levis.yaml",
        &text.replace("libelle: \"emplois\"", "libelle: \"emplois recensés\""),
    );
    let (g1, took) = next_generation(&server, g0);
    eprintln!("save → reload event: {} ms", took.as_millis());
    assert!(took < Duration::from_secs(5), "{took:?}");
    let page = get(&server, "/villes/levis/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("emplois recensés"));

    // A mistake: every page shows the located message, as in the terminal, with
    // French spaces that do not break.
    site.write(
        "content/villes/levis.yaml",
        &text.replace("\ndefis:", "\ndefi:"),
    );
    let (g2, _) = next_generation(&server, g1);
    let page = get(&server, "/villes/levis/");
    assert_eq!(page.status, 500);
    assert!(
        page.body.contains("erreur\u{a0}: champ inconnu `defi`"),
        "{}",
        page.body
    );
    assert!(page.body.contains("--&gt; content/villes/levis.yaml:22:1"));
    assert!(page.body.contains("vouliez-vous dire `defis`\u{a0}?"));
    assert!(page.body.contains("/__fiches/events"));
    // Static files are still there, so the message page is readable.
    assert_eq!(get(&server, "/style.css").status, 200);

    // Fixed: the page comes back.
    site.write("content/villes/levis.yaml", &text);
    next_generation(&server, g2);
    let page = get(&server, "/villes/levis/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Lévis"));
}

#[test]
fn a_text_edit_rebuilds_its_page_alone_and_a_fixed_typo_brings_it_back() {
    let site = Site::fixture("valide");
    let server = start(&site);
    let levis = "content/villes/levis.yaml";
    let text = site.read(levis);
    let home = get(&server, "/").body;
    let g0 = generation(&home);

    site.write(
        levis,
        &text.replace("La Ville achète auprès", "La Ville achète souvent auprès"),
    );
    let (g1, _) = next_generation(&server, g0);
    let line = said(&server, "Page reconstruite");
    assert!(line.contains("villes/levis/index.html"), "{line}");
    assert!(
        get(&server, "/villes/levis/")
            .body
            .contains("La Ville achète souvent auprès")
    );
    // The other pages did not change: only their reload script's generation did.
    assert_eq!(
        get(&server, "/").body,
        home.replace(&format!("var g={g0}"), &format!("var g={g1}"))
    );

    site.write(levis, &text.replace("\nleviers:", "\nleviers: ["));
    let (g2, _) = next_generation(&server, g1);
    let page = get(&server, "/villes/levis/");
    assert_eq!(page.status, 500);
    assert!(
        page.body.contains("content/villes/levis.yaml:"),
        "{}",
        page.body
    );

    site.write(levis, &text);
    next_generation(&server, g2);
    let line = said(&server, "Page reconstruite");
    assert!(line.contains("villes/levis/index.html"), "{line}");
    let page = get(&server, "/villes/levis/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("La Ville achète auprès"));
}

#[test]
fn stopping_the_server_removes_its_builds() {
    use std::os::unix::process::ExitStatusExt;
    let site = Site::fixture("valide");
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let mut server = start(&site);
        let builds = server.builds();
        assert!(builds.join("verrou").is_file(), "{}", builds.display());
        let status = server.stop(signal).expect("the server did not stop");
        // Ended by the signal itself, as the shell that started it expects.
        assert_eq!(status.signal(), Some(signal), "{status:?}");
        assert!(
            !builds.exists(),
            "{} left after signal {signal}",
            builds.display()
        );
        assert_eq!(said(&server, "Aperçu arrêté"), "Aperçu arrêté.");
    }
}

#[test]
fn a_port_already_taken_is_said_before_building_and_leaves_nothing() {
    let site = Site::fixture("valide");
    let temp = site.path("tmp");
    std::fs::create_dir_all(&temp).unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_fiches"))
        .arg("-C")
        .arg(site.path(""))
        .args(["serve", "--port", &port])
        .env("TMPDIR", &temp)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("impossible d’écouter sur 127.0.0.1:"),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Site reconstruit"));
    assert_eq!(std::fs::read_dir(&temp).unwrap().count(), 0);
}

/// The id of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn a_server_killed_before_cleaning_up_has_its_builds_removed_by_the_next() {
    let site = Site::fixture("valide");
    let temp = site.path("tmp");
    std::fs::create_dir_all(&temp).unwrap();
    let mut killed = start_in(&site, &temp);
    let left = killed.builds();
    assert!(killed.stop(libc::SIGKILL).is_some());
    assert!(left.is_dir(), "a killed server cannot remove its builds");
    // A folder left before folders were locked.
    let older = temp.join(format!("fiches-serve-{}", dead_pid()));
    std::fs::create_dir_all(older.join("1/villes")).unwrap();
    // What stays: the folder of a running process; one whose lock is held, though its
    // process cannot be seen (another container's); a file and a link of the same name.
    let running = temp.join(format!("fiches-serve-{}", std::process::id()));
    std::fs::create_dir_all(&running).unwrap();
    let elsewhere = temp.join(format!("fiches-serve-{}", dead_pid()));
    std::fs::create_dir_all(&elsewhere).unwrap();
    let lock = std::fs::File::create(elsewhere.join("verrou")).unwrap();
    lock.lock().unwrap();
    let file = temp.join(format!("fiches-serve-{}", dead_pid()));
    std::fs::write(&file, "not a folder").unwrap();
    let target = site.path("kept");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("page.html"), "kept").unwrap();
    let link = temp.join(format!("fiches-serve-{}", dead_pid()));
    std::os::unix::fs::symlink(&target, &link).unwrap();

    let next = start_in(&site, &temp);
    let line = said(&next, "Dossiers d’aperçus");
    assert!(line.ends_with(": 2"), "{line}");
    assert!(!left.exists());
    assert!(!older.exists());
    assert!(running.is_dir());
    assert!(elsewhere.is_dir());
    assert!(file.is_file());
    assert!(link.is_symlink());
    assert_eq!(
        std::fs::read_to_string(target.join("page.html")).unwrap(),
        "kept"
    );
    assert!(next.builds().is_dir());
    drop(lock);
}
