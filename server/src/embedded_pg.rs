//! The embedded default database: when DATABASE_URL is unset, a private Postgres cluster under
//! the data folder, created with the system's Postgres binaries and started on a free loopback
//! port with a generated password. Postgres refuses to run as root, so as root the cluster is
//! owned and run by the `postgres` user.

use anyhow::{bail, Context};
use secrecy::SecretString;
use std::{
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
    process::Stdio,
};
use tokio::process::Command;

const SUPERUSER: &str = "stakeboard";
const DATABASE: &str = "stakeboard";

pub struct EmbeddedPostgres {
    cluster: PathBuf,
    secrets: PathBuf,
    bin: PathBuf,
    as_postgres_user: bool,
}

/// Settings that trade crash safety for speed; only for throw-away test clusters.
const UNSAFE_FAST: &str = "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";

impl EmbeddedPostgres {
    /// Finds the Postgres binaries and decides where the cluster lives.
    pub async fn locate(data_dir: &Path) -> anyhow::Result<Self> {
        let bin = find_bin_dir().context(
            "DATABASE_URL is unset and no PostgreSQL server was found to run a private cluster; \
             install it (apt-get install -y postgresql) or set DATABASE_URL",
        )?;
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create data folder {}", data_dir.display()))?;
        let data_dir = std::fs::canonicalize(data_dir)?;
        let as_postgres_user = running_as_root();
        let mut cluster = data_dir.join("postgres");
        if as_postgres_user && !postgres_user_can_reach(&data_dir).await {
            // A private parent folder (e.g. /root) keeps the postgres user out; keep the cluster
            // where that user can reach it and remember where.
            let fallback = Path::new("/var/lib/postgresql/stakeboard").join(short_hash(&data_dir));
            tracing::info!(wanted = %cluster.display(), using = %fallback.display(), "the postgres user cannot reach the data folder; the private cluster lives elsewhere");
            std::fs::write(
                data_dir.join("postgres.location"),
                fallback.display().to_string(),
            )?;
            cluster = fallback;
        }
        Ok(Self {
            cluster,
            secrets: data_dir,
            bin,
            as_postgres_user,
        })
    }

    fn port_file(&self) -> PathBuf {
        self.secrets.join("postgres.port")
    }

    fn password_file(&self) -> PathBuf {
        self.secrets.join("postgres.password")
    }

    /// Creates the cluster if needed, starts it if it is not running, creates the database and
    /// returns its URL. Returns whether this call started the server.
    pub async fn start(&self, unsafe_fast: bool) -> anyhow::Result<(SecretString, bool)> {
        if !self.cluster.join("PG_VERSION").exists() {
            self.init(unsafe_fast).await?;
        }
        let port: u16 = std::fs::read_to_string(self.port_file())
            .context(
                "the private cluster has no port file; delete the cluster folder to recreate it",
            )?
            .trim()
            .parse()
            .context("the private cluster's port file is corrupt")?;
        let password = std::fs::read_to_string(self.password_file())
            .context("the private cluster has no password file")?;
        let started = if self.is_running().await {
            false
        } else {
            let log = self.cluster.join("server.log");
            self.pg_ctl(&[
                "-D",
                path(&self.cluster),
                "-l",
                path(&log),
                "-w",
                "-t",
                "60",
                "start",
            ])
            .await
            .with_context(|| {
                format!(
                    "the private Postgres cluster did not start; see {}",
                    log.display()
                )
            })?;
            true
        };
        let base = format!(
            "postgres://{SUPERUSER}:{}@127.0.0.1:{port}",
            password.trim()
        );
        ensure_database(&base).await?;
        Ok((SecretString::from(format!("{base}/{DATABASE}")), started))
    }

    pub async fn stop(&self) -> anyhow::Result<()> {
        if self.is_running().await {
            self.pg_ctl(&["-D", path(&self.cluster), "-m", "fast", "-w", "stop"])
                .await?;
        }
        Ok(())
    }

    async fn is_running(&self) -> bool {
        self.cluster.join("PG_VERSION").exists()
            && self
                .pg_ctl(&["-D", path(&self.cluster), "status"])
                .await
                .is_ok()
    }

    async fn init(&self, unsafe_fast: bool) -> anyhow::Result<()> {
        tracing::info!(cluster = %self.cluster.display(), "creating a private Postgres cluster");
        std::fs::create_dir_all(&self.cluster)?;
        let password = random_hex(24)?;
        let pwfile = self.cluster.with_extension("pwfile");
        std::fs::write(&pwfile, &password)?;
        if self.as_postgres_user {
            chown_to_postgres(&self.cluster).await?;
            chown_to_postgres(&pwfile).await?;
        }
        let initdb = self.bin.join("initdb");
        let result = self
            .run(
                &initdb,
                &[
                    "-D",
                    path(&self.cluster),
                    "-U",
                    SUPERUSER,
                    "--pwfile",
                    path(&pwfile),
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                ],
            )
            .await;
        let _ = std::fs::remove_file(&pwfile);
        result.context("initdb failed")?;
        let port = free_port()?;
        let mut conf = format!(
            "\n# written by stakeboard\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = ''\nmax_connections = 300\n"
        );
        if unsafe_fast {
            conf.push_str(UNSAFE_FAST);
        }
        use std::io::Write;
        std::fs::OpenOptions::new()
            .append(true)
            .open(self.cluster.join("postgresql.conf"))?
            .write_all(conf.as_bytes())?;
        write_private(&self.password_file(), &password)?;
        std::fs::write(self.port_file(), port.to_string())?;
        Ok(())
    }

    async fn pg_ctl(&self, args: &[&str]) -> anyhow::Result<()> {
        self.run(&self.bin.join("pg_ctl"), args).await
    }

    async fn run(&self, program: &Path, args: &[&str]) -> anyhow::Result<()> {
        let mut command = if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        let output = command
            .args(args)
            .stdin(Stdio::null())
            .output()
            .await
            .with_context(|| format!("cannot run {}", program.display()))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            bail!(
                "{} {}: {}",
                program.display(),
                args.first().unwrap_or(&""),
                stderr.trim()
            );
        }
        Ok(())
    }
}

async fn ensure_database(base: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres"))
        .await
        .context("cannot connect to the private cluster")?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(DATABASE)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        sqlx::query(&format!("CREATE DATABASE {DATABASE}"))
            .execute(&mut conn)
            .await?;
    }
    Ok(())
}

fn find_bin_dir() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("pg_ctl").exists() && p.join("initdb").exists())
        .collect();
    // Highest major version first.
    candidates.sort_by_key(|p| {
        std::cmp::Reverse(
            p.parent()
                .and_then(|v| v.file_name())
                .and_then(|v| v.to_str())
                .and_then(|v| v.parse::<u32>().ok()),
        )
    });
    candidates.into_iter().next().or_else(|| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .find(|p| p.join("pg_ctl").exists() && p.join("initdb").exists())
        })
    })
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

async fn postgres_user_can_reach(dir: &Path) -> bool {
    Command::new("runuser")
        .args(["-u", "postgres", "--", "test", "-x"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .map(|s| s.success())
        .unwrap_or(false)
}

async fn chown_to_postgres(path: &Path) -> anyhow::Result<()> {
    let status = Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(path)
        .status()
        .await?;
    if !status.success() {
        bail!("cannot give {} to the postgres user", path.display());
    }
    Ok(())
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn random_hex(bytes: usize) -> std::io::Result<String> {
    use std::io::Read;
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

fn short_hash(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(path.as_os_str().as_encoded_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("cluster paths are UTF-8")
}
