//! Configuration: command-line flags, then environment variables, then an optional
//! `danchu.toml`, then defaults. A wrong value stops the program at start with a
//! message naming the setting.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

/// What `danchu.toml` may contain (every key optional; unknown keys are an error).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub addr: Option<String>,
    pub data_dir: Option<String>,
    pub base_url: Option<String>,
    pub max_connections: Option<u32>,
    pub db_wait_seconds: Option<u64>,
    pub body_limit_bytes: Option<usize>,
    pub request_timeout_seconds: Option<u64>,
    pub upload_timeout_seconds: Option<u64>,
    pub trust_proxy: Option<bool>,
    pub header_timeout_seconds: Option<u64>,
    pub max_connections_per_address: Option<usize>,
    pub max_open_connections: Option<usize>,
    pub extract_timeout_seconds: Option<u64>,
    pub extract_memory_mb: Option<u64>,
    pub node: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub sms_adapter: Option<String>,
    pub zalo_adapter: Option<String>,
    pub outbox_max_attempts: Option<u32>,
}

/// Values given on the command line or in the environment (clap reads both).
#[derive(Debug, Default, Clone, clap::Args)]
pub struct Overrides {
    /// Cơ sở dữ liệu: sqlite://đường-dẫn.db hoặc postgres://… (mặc định sqlite://danchu.db)
    #[arg(long, env = "DANCHU_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Địa chỉ lắng nghe, ví dụ 127.0.0.1:8080
    #[arg(long, env = "DANCHU_ADDR", global = true)]
    pub addr: Option<String>,
    /// Thư mục lưu tệp tải lên (mặc định ./data)
    #[arg(long, env = "DANCHU_DATA_DIR", global = true)]
    pub data_dir: Option<String>,
    /// Địa chỉ gốc của cổng, dùng cho liên kết tuyệt đối (RSS, sitemap)
    #[arg(long, env = "DANCHU_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// Tin tiêu đề X-Forwarded-For (chỉ bật khi chạy sau bộ cân bằng tải tin cậy)
    #[arg(long, env = "DANCHU_TRUST_PROXY", global = true)]
    pub trust_proxy: Option<bool>,
    /// Tên nút này trong các khóa việc nền (mặc định tên máy và số tiến trình)
    #[arg(long, env = "DANCHU_NODE", global = true)]
    pub node: Option<String>,
    /// Máy chủ thư: smtps://người:mật-khẩu@máy:465, smtp://…:587?tls=required hoặc smtp://máy:25
    #[arg(long, env = "DANCHU_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Địa chỉ gửi thư, ví dụ "UBND huyện Dầu Tiếng <ubnd@dautieng.gov.vn>"
    #[arg(long, env = "DANCHU_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// Tệp cấu hình (mặc định ./danchu.toml nếu có)
    #[arg(long, env = "DANCHU_CONFIG", global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub base_url: String,
    pub max_connections: u32,
    /// How long a request waits for a database connection (PostgreSQL) before its 503.
    pub db_wait_s: u64,
    pub body_limit: usize,
    pub request_timeout_s: u64,
    pub upload_timeout_s: u64,
    pub trust_proxy: bool,
    pub conn: danchu_web::server::ConnLimits,
    pub extract: danchu_web::extract::Limits,
    pub notify: NotifyConfig,
}

/// Where the outbox's messages go, and who this node is in the job leases.
#[derive(Clone)]
pub struct NotifyConfig {
    pub node: String,
    /// The SMTP server's URL (with its password: never logged or shown).
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// `file` (the development sink) or `off`, for SMS and for Zalo.
    pub sms_adapter: Adapter,
    pub zalo_adapter: Adapter,
    pub max_attempts: u32,
}

impl std::fmt::Debug for NotifyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotifyConfig")
            .field("node", &self.node)
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "(set)"))
            .field("mail_from", &self.mail_from)
            .field("sms_adapter", &self.sms_adapter)
            .field("zalo_adapter", &self.zalo_adapter)
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

/// An adapter of a channel without a provider yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adapter {
    /// Written to `<data_dir>/outbox/<channel>.jsonl` (development).
    File,
    /// Not sent: messages wait and are parked after the tries, with the reason.
    Off,
}

fn adapter(setting: &'static str, v: Option<String>) -> Result<Adapter, ConfigError> {
    match v.as_deref().unwrap_or("file") {
        "file" => Ok(Adapter::File),
        "off" => Ok(Adapter::Off),
        other => Err(err(
            setting,
            format!("phải là \"file\" hoặc \"off\" (đang là {other:?})"),
        )),
    }
}

fn notify(o: &Overrides, file: &FileConfig) -> Result<NotifyConfig, ConfigError> {
    let node = o
        .node
        .clone()
        .or(file.node.clone())
        .unwrap_or_else(crate::jobs::default_node_name);
    if node.is_empty() || node.len() > 64 || !node.chars().all(|c| c.is_ascii_graphic()) {
        return Err(err(
            "DANCHU_NODE",
            "phải gồm 1–64 ký tự ASCII, không có dấu cách",
        ));
    }
    let smtp_url = o
        .smtp_url
        .clone()
        .or(file.smtp_url.clone())
        .filter(|u| !u.is_empty());
    let mail_from = o
        .mail_from
        .clone()
        .or(file.mail_from.clone())
        .unwrap_or_else(|| "danchu <no-reply@localhost>".into());
    if let Some(url) = &smtp_url {
        crate::notify::smtp::Smtp::new(url, &mail_from).map_err(|e| {
            err(
                if e.starts_with("DANCHU_MAIL_FROM") {
                    "DANCHU_MAIL_FROM"
                } else {
                    "DANCHU_SMTP_URL"
                },
                e,
            )
        })?;
    }
    let max_attempts = file
        .outbox_max_attempts
        .unwrap_or(danchu_core::outbox::MAX_ATTEMPTS);
    if !(1..=50).contains(&max_attempts) {
        return Err(err("outbox_max_attempts", "phải từ 1 đến 50"));
    }
    Ok(NotifyConfig {
        node,
        smtp_url,
        mail_from,
        sms_adapter: adapter("sms_adapter", file.sms_adapter.clone())?,
        zalo_adapter: adapter("zalo_adapter", file.zalo_adapter.clone())?,
        max_attempts,
    })
}

/// A configuration error that names the setting.
#[derive(Debug, thiserror::Error)]
#[error("cấu hình sai: {setting}: {reason}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub reason: String,
}

fn err(setting: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        setting,
        reason: reason.into(),
    }
}

impl Config {
    /// Every setting from `o`, then `danchu.toml`, then the defaults; the first wrong one,
    /// in the order below, is the error.
    pub fn resolve(o: &Overrides, default_db: &str) -> Result<Config, ConfigError> {
        let file = read_file(o)?;
        let notify = notify(o, &file)?;
        let database_url = database_url(o, &file, default_db)?;
        let addr = listen_addr(o, &file)?;
        let data_dir = data_dir(o, &file)?;
        let base_url = base_url(o, &file, addr)?;
        let max_connections = checked(
            "max_connections",
            file.max_connections.unwrap_or(8),
            |n| (1..=500).contains(n),
            "phải từ 1 đến 500",
        )?;
        let db_wait_s = checked(
            "db_wait_seconds",
            file.db_wait_seconds.unwrap_or(10),
            |n| (1..=120).contains(n),
            "phải từ 1 đến 120",
        )?;
        let body_limit = checked(
            "body_limit_bytes",
            file.body_limit_bytes.unwrap_or(2 * 1024 * 1024),
            |n| *n >= 1024,
            "phải ít nhất 1024",
        )?;
        let request_timeout_s = checked(
            "request_timeout_seconds",
            file.request_timeout_seconds.unwrap_or(30),
            |n| *n != 0,
            "phải lớn hơn 0",
        )?;
        let upload_timeout_s = checked(
            "upload_timeout_seconds",
            file.upload_timeout_seconds.unwrap_or(300),
            |n| *n != 0,
            "phải lớn hơn 0",
        )?;
        let trust_proxy = o.trust_proxy.or(file.trust_proxy).unwrap_or(false);
        let conn = conn_limits(&file, trust_proxy)?;
        let extract = extract_limits(&file)?;
        Ok(Config {
            database_url,
            addr,
            data_dir,
            base_url,
            max_connections,
            db_wait_s,
            body_limit,
            request_timeout_s,
            upload_timeout_s,
            trust_proxy,
            conn,
            extract,
            notify,
        })
    }

    pub fn web(&self) -> danchu_web::WebConfig {
        danchu_web::WebConfig {
            base_url: self.base_url.clone(),
            body_limit: self.body_limit,
            request_timeout: std::time::Duration::from_secs(self.request_timeout_s),
            upload_timeout: std::time::Duration::from_secs(self.upload_timeout_s),
            trust_proxy: self.trust_proxy,
            data_dir: self.data_dir.clone(),
            extract: self.extract.clone(),
            node: self.notify.node.clone(),
            ..Default::default()
        }
    }
}

/// `value` when `ok` holds for it, else the error naming `setting`.
fn checked<T>(
    setting: &'static str,
    value: T,
    ok: impl FnOnce(&T) -> bool,
    reason: &str,
) -> Result<T, ConfigError> {
    if ok(&value) {
        Ok(value)
    } else {
        Err(err(setting, reason))
    }
}

/// The configuration file: the one named (which must exist), else `danchu.toml` if there
/// is one.
fn read_file(o: &Overrides) -> Result<FileConfig, ConfigError> {
    let (path, must_exist) = match &o.config {
        Some(p) => (p.clone(), true),
        None => (PathBuf::from("danchu.toml"), false),
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str::<FileConfig>(&text).map_err(|e| {
            err(
                "danchu.toml",
                format!("{}: {}", path.display(), e.message()),
            )
        }),
        Err(e) if !must_exist && e.kind() == std::io::ErrorKind::NotFound => {
            Ok(FileConfig::default())
        }
        Err(e) => Err(err(
            "DANCHU_CONFIG",
            format!("không đọc được {}: {e}", path.display()),
        )),
    }
}

fn database_url(o: &Overrides, file: &FileConfig, default_db: &str) -> Result<String, ConfigError> {
    let database_url = o
        .database_url
        .clone()
        .or(file.database_url.clone())
        .unwrap_or_else(|| default_db.to_string());
    if !(database_url.starts_with("sqlite:")
        || database_url.starts_with("postgres://")
        || database_url.starts_with("postgresql://"))
    {
        return Err(err(
            "DANCHU_DATABASE_URL",
            format!("phải bắt đầu bằng sqlite:// hoặc postgres:// (đang là {database_url:?})"),
        ));
    }
    Ok(database_url)
}

fn listen_addr(o: &Overrides, file: &FileConfig) -> Result<SocketAddr, ConfigError> {
    let addr_s = o
        .addr
        .clone()
        .or(file.addr.clone())
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());
    addr_s.parse().map_err(|_| {
        err(
            "DANCHU_ADDR",
            format!("{addr_s:?} không phải địa chỉ IP:cổng (ví dụ 127.0.0.1:8080)"),
        )
    })
}

fn data_dir(o: &Overrides, file: &FileConfig) -> Result<PathBuf, ConfigError> {
    let data_dir = PathBuf::from(
        o.data_dir
            .clone()
            .or(file.data_dir.clone())
            .unwrap_or_else(|| "data".to_string()),
    );
    if data_dir.exists() && !data_dir.is_dir() {
        return Err(err(
            "DANCHU_DATA_DIR",
            format!("{} không phải là thư mục", data_dir.display()),
        ));
    }
    Ok(data_dir)
}

/// The portal's base URL (default: the listening address), without a trailing slash.
fn base_url(o: &Overrides, file: &FileConfig, addr: SocketAddr) -> Result<String, ConfigError> {
    let base_url = o
        .base_url
        .clone()
        .or(file.base_url.clone())
        .unwrap_or_else(|| format!("http://{addr}"));
    let base_url = base_url.trim_end_matches('/').to_string();
    if !(base_url.starts_with("http://") || base_url.starts_with("https://"))
        || base_url.contains(char::is_whitespace)
    {
        return Err(err(
            "DANCHU_BASE_URL",
            format!("phải là địa chỉ http:// hoặc https:// (đang là {base_url:?})"),
        ));
    }
    Ok(base_url)
}

/// The limits on connections: header timeout, per address, open in all.
fn conn_limits(
    file: &FileConfig,
    trust_proxy: bool,
) -> Result<danchu_web::server::ConnLimits, ConfigError> {
    let header_timeout = checked(
        "header_timeout_seconds",
        file.header_timeout_seconds.unwrap_or(10),
        |n| (1..=600).contains(n),
        "phải từ 1 đến 600",
    )?;
    let conn = danchu_web::server::ConnLimits {
        header_timeout: std::time::Duration::from_secs(header_timeout),
        // Behind a load balancer every connection comes from it: no cap by default.
        per_address: file
            .max_connections_per_address
            .unwrap_or(if trust_proxy { 0 } else { 64 }),
        total: file.max_open_connections.unwrap_or(4096),
        ..Default::default()
    };
    if conn.total == 0 {
        return Err(err("max_open_connections", "phải lớn hơn 0"));
    }
    Ok(conn)
}

/// The limits of the text-extraction child: time and memory.
fn extract_limits(file: &FileConfig) -> Result<danchu_web::extract::Limits, ConfigError> {
    let defaults = danchu_web::extract::Limits::default();
    let extract_timeout = checked(
        "extract_timeout_seconds",
        file.extract_timeout_seconds
            .unwrap_or(defaults.timeout.as_secs()),
        |n| (1..=600).contains(n),
        "phải từ 1 đến 600",
    )?;
    let extract_memory = checked(
        "extract_memory_mb",
        file.extract_memory_mb
            .unwrap_or(defaults.memory / (1024 * 1024)),
        |n| (256..=16384).contains(n),
        "phải từ 256 đến 16384",
    )?;
    Ok(danchu_web::extract::Limits {
        timeout: std::time::Duration::from_secs(extract_timeout),
        memory: extract_memory * 1024 * 1024,
        ..defaults
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The setting `Config::resolve` names when it refuses `o`.
    fn refused(o: Overrides) -> &'static str {
        match Config::resolve(&o, "sqlite://x.db") {
            Err(e) => e.setting,
            Ok(_) => "(accepted)",
        }
    }

    #[test]
    fn wrong_values_name_the_setting() {
        const MISSING: &str = "/nonexistent/none.toml";
        // Each case changes the untouched settings in one way.
        type Change = fn(&mut Overrides);
        let cases: [(Change, &str); 9] = [
            // The config file is read first.
            (
                |o| (o.addr, o.config) = (Some("not-an-addr".into()), Some(MISSING.into())),
                "DANCHU_CONFIG",
            ),
            (
                |o| {
                    (o.smtp_url, o.config) =
                        (Some("ftp://mail.gov.vn".into()), Some(MISSING.into()))
                },
                "DANCHU_CONFIG",
            ),
            (|o| o.addr = Some("not-an-addr".into()), "DANCHU_ADDR"),
            (
                |o| o.database_url = Some("mysql://x".into()),
                "DANCHU_DATABASE_URL",
            ),
            (|o| o.base_url = Some("ftp://x".into()), "DANCHU_BASE_URL"),
            (
                |o| o.smtp_url = Some("ftp://mail.gov.vn".into()),
                "DANCHU_SMTP_URL",
            ),
            (
                |o| {
                    o.smtp_url = Some("smtp://127.0.0.1:2525".into());
                    o.mail_from = Some("không phải địa chỉ".into());
                },
                "DANCHU_MAIL_FROM",
            ),
            (|o| o.node = Some("node a".into()), "DANCHU_NODE"),
            // The untouched settings are accepted.
            (|_| {}, "(accepted)"),
        ];
        for (change, setting) in cases {
            let mut o = Overrides::default();
            change(&mut o);
            assert_eq!(refused(o), setting);
        }
    }

    #[test]
    fn mail_settings_are_read_and_the_password_never_shown() {
        let o = Overrides {
            smtp_url: Some("smtps://u:p%40ss@mail.gov.vn:465".into()),
            mail_from: Some("UBND huyện <ubnd@dautieng.gov.vn>".into()),
            node: Some("node-a".into()),
            ..Default::default()
        };
        let c = Config::resolve(&o, "sqlite://x.db").unwrap();
        assert_eq!(c.notify.node, "node-a");
        assert_eq!(
            c.notify.smtp_url.as_deref(),
            Some("smtps://u:p%40ss@mail.gov.vn:465")
        );
        assert!(
            !format!("{:?}", c.notify).contains("p%40ss"),
            "no password in the debug form"
        );
    }

    #[test]
    fn flags_win_over_file_and_defaults_fill_in() {
        let dir = std::env::temp_dir().join(format!("danchu-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("danchu.toml");
        std::fs::write(
            &f,
            "addr = \"127.0.0.1:9999\"\nbase_url = \"https://example.gov.vn/\"\n",
        )
        .unwrap();
        let o = Overrides {
            addr: Some("127.0.0.1:7000".into()),
            config: Some(f.clone()),
            ..Default::default()
        };
        let c = Config::resolve(&o, "sqlite://x.db").unwrap();
        assert_eq!(c.addr.port(), 7000);
        assert_eq!(c.base_url, "https://example.gov.vn");
        assert_eq!(c.database_url, "sqlite://x.db");
        std::fs::write(&f, "adress = \"x\"\n").unwrap();
        let o = Overrides {
            config: Some(f),
            ..Default::default()
        };
        assert_eq!(
            Config::resolve(&o, "sqlite://x.db").unwrap_err().setting,
            "danchu.toml"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
