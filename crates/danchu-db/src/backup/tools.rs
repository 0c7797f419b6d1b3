//! Running pg_dump and pg_restore: found on PATH, the password in the child's
//! environment only, the output captured and cleaned of the password.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::pgurl::{scrub, PgUrl};
use super::BackupError;

/// The PostgreSQL client program `name` on PATH.
pub(super) fn find(name: &'static str) -> Result<PathBuf, BackupError> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
        .ok_or(BackupError::ToolMissing { tool: name })
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// Runs a client tool against `target`: `--dbname` is the URL without its password, the
/// password is in `PGPASSWORD`, and `DANCHU_DATABASE_URL` (which may hold it) is not
/// passed on. `--no-password` makes a missing password an error instead of a prompt.
/// Returns standard output.
pub(super) async fn run(
    name: &'static str,
    target: Option<(&PgUrl, &str)>,
    args: Vec<std::ffi::OsString>,
) -> Result<Vec<u8>, BackupError> {
    let program = find(name)?;
    let mut cmd = Command::new(program);
    cmd.env_remove("DANCHU_DATABASE_URL")
        .env_remove("DANCHU_PASSWORD")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some((pg, _)) = target {
        cmd.arg("--no-password")
            .arg(format!("--dbname={}", pg.conninfo));
        if let Some(pw) = &pg.password {
            cmd.env("PGPASSWORD", pw);
        }
    }
    cmd.args(args);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .map_err(|e| BackupError::Io(format!("{name}: {e}")))?
        .map_err(|e| BackupError::Io(format!("không chạy được {name}: {e}")))?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stderr = match target {
        Some((_, url)) => scrub(&stderr, url),
        None => stderr.into_owned(),
    };
    // The end of a long output says what went wrong.
    let tail: String = {
        let t = stderr.trim();
        let skip = t.chars().count().saturating_sub(2000);
        t.chars().skip(skip).collect()
    };
    Err(BackupError::ToolFailed {
        tool: name,
        status: out.status.to_string(),
        stderr: tail,
    })
}
