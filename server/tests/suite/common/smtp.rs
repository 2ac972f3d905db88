//! A real SMTP server for tests: `.ci/smtp_sink.py` (aiosmtpd) on a free port, writing each
//! accepted message to a folder this helper reads back.

use std::{
    collections::BTreeMap,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub struct SmtpSink {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

/// One received mail: its headers (lower-case names, unfolded) and its decoded bodies.
#[derive(Debug, Clone)]
pub struct Mail {
    pub file: PathBuf,
    pub headers: BTreeMap<String, String>,
    pub text: String,
    pub html: String,
    pub raw: String,
}

fn python() -> String {
    std::env::var("STAKEBOARD_PYTHON").unwrap_or_else(|_| {
        if Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3".into()
        } else {
            "python3".into()
        }
    })
}

impl SmtpSink {
    pub fn start() -> Self {
        Self::start_with_delay(0)
    }

    /// Each message is held `delay_ms` before the server accepts it.
    pub fn start_with_delay(delay_ms: u64) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/smtp_sink.py");
        let child = Command::new(python())
            .arg(script)
            .args([
                "--port",
                &port.to_string(),
                "--delay-ms",
                &delay_ms.to_string(),
            ])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd is needed (the test command installs python3-aiosmtpd)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the SMTP sink did not start (is python3-aiosmtpd installed?)"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, port, dir }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn mails(&self) -> Vec<Mail> {
        read_mails(self.dir.path())
    }

    /// Waits until at least `count` mails arrived.
    pub async fn wait_for(&self, count: usize, secs: u64) -> Vec<Mail> {
        super::eventually(secs, &format!("{count} mails"), || async {
            let mails = self.mails();
            (mails.len() >= count).then_some(mails)
        })
        .await
    }

    pub fn mails_to(&self, address: &str) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|m| m.header("to").contains(address))
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every `.eml` file in `dir`, in the order they were written.
pub fn read_mails(dir: &Path) -> Vec<Mail> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "eml")
                        && !p.file_name().unwrap().to_string_lossy().starts_with('.')
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .filter_map(|file| {
            let raw = std::fs::read_to_string(&file).ok()?;
            Some(Mail::parse(file, raw))
        })
        .collect()
}

impl Mail {
    pub fn parse(file: PathBuf, raw: String) -> Self {
        let normalized = raw.replace("\r\n", "\n");
        let (head, body) = normalized.split_once("\n\n").unwrap_or((&normalized, ""));
        let headers = parse_headers(head);
        let (text, html) = match headers.get("content-type") {
            Some(kind) if kind.starts_with("multipart/") => {
                let boundary = kind
                    .split("boundary=")
                    .nth(1)
                    .map(|b| b.trim_matches('"').to_string())
                    .unwrap_or_default();
                let mut text = String::new();
                let mut html = String::new();
                for part in body.split(&format!("--{boundary}")) {
                    let part = part.trim_start_matches('\n');
                    let Some((part_head, part_body)) = part.split_once("\n\n") else {
                        continue;
                    };
                    let part_headers = parse_headers(part_head);
                    let decoded = decode(&part_headers, part_body);
                    match part_headers.get("content-type") {
                        Some(k) if k.starts_with("text/plain") => text = decoded,
                        Some(k) if k.starts_with("text/html") => html = decoded,
                        _ => {}
                    }
                }
                (text, html)
            }
            _ => (decode(&headers, body), String::new()),
        };
        Self {
            file,
            headers,
            text,
            html,
            raw,
        }
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    /// The first link in the text body that starts with `{site}{path}`.
    pub fn link(&self, path: &str) -> Option<String> {
        self.text
            .split_whitespace()
            .find(|word| word.starts_with("http") && word.contains(path))
            .map(str::to_string)
    }
}

fn parse_headers(head: &str) -> BTreeMap<String, String> {
    let mut headers = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(name) = &last {
                let value: &mut String = headers.get_mut(name).unwrap();
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            headers.insert(name.clone(), value.trim().to_string());
            last = Some(name);
        }
    }
    headers
}

fn decode(headers: &BTreeMap<String, String>, body: &str) -> String {
    match headers
        .get("content-transfer-encoding")
        .map(|s| s.to_ascii_lowercase())
    {
        Some(enc) if enc == "quoted-printable" => quoted_printable(body),
        Some(enc) if enc == "base64" => {
            use base64::Engine;
            let compact: String = body.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .unwrap_or_default();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        _ => body.to_string(),
    }
}

fn quoted_printable(body: &str) -> String {
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
