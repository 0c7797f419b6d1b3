//! A PostgreSQL URL taken apart for pg_dump and pg_restore: the password goes to their
//! environment, never to their command line; every other part and parameter (host, port,
//! user, database, `sslmode`, …) is passed as written; our own `schema=` is taken off.

use super::BackupError;

/// A PostgreSQL URL ready for the client tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgUrl {
    /// The URL without its password and without `schema=`: what the tools get as
    /// `--dbname` (libpq reads the URL form and its parameters itself).
    pub conninfo: String,
    /// The password, percent-decoded, for the tools' `PGPASSWORD`.
    pub password: Option<String>,
    /// Our `schema=` parameter, percent-decoded.
    pub schema: Option<String>,
}

/// A URL split where it matters, every piece as written (still percent-encoded).
struct Parts<'a> {
    scheme: &'a str,
    user: Option<&'a str>,
    password: Option<&'a str>,
    /// Host(s) and port(s), then the path (the database).
    rest: &'a str,
    /// `key=value` parameters.
    params: Vec<(&'a str, &'a str)>,
}

fn parts(url: &str) -> Option<Parts<'_>> {
    let (scheme, after) = url.split_once("://")?;
    if !matches!(scheme, "postgres" | "postgresql") {
        return None;
    }
    let (main, query) = match after.split_once('?') {
        Some((m, q)) => (m, q),
        None => (after, ""),
    };
    let authority_end = main.find('/').unwrap_or(main.len());
    let (user, password, rest) = match main[..authority_end].rfind('@') {
        Some(at) => {
            let userinfo = &main[..at];
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            (Some(user), password, &main[at + 1..])
        }
        None => (None, None, main),
    };
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    Some(Parts {
        scheme,
        user,
        password,
        rest,
        params,
    })
}

/// Undoes `%XX` escapes (as libpq does: `+` stays `+`).
fn percent_decode(s: &str) -> Result<String, BackupError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| {
        BackupError::Refused(
            "DANCHU_DATABASE_URL: một phần của địa chỉ (sau khi giải mã %XX) không phải UTF-8"
                .into(),
        )
    })
}

impl PgUrl {
    pub fn parse(url: &str) -> Result<PgUrl, BackupError> {
        let p = parts(url).ok_or_else(|| {
            BackupError::Refused(
                "DANCHU_DATABASE_URL: không phải địa chỉ postgres://… hợp lệ".into(),
            )
        })?;
        let mut password = p.password.map(percent_decode).transpose()?;
        let mut schema = None;
        let mut kept = Vec::new();
        for (k, v) in &p.params {
            match *k {
                "schema" => schema = Some(percent_decode(v)?),
                "password" => password = Some(percent_decode(v)?),
                _ => kept.push(if v.is_empty() && !k.is_empty() {
                    k.to_string()
                } else {
                    format!("{k}={v}")
                }),
            }
        }
        let mut conninfo = format!("{}://", p.scheme);
        if let Some(u) = p.user {
            conninfo.push_str(u);
            conninfo.push('@');
        }
        conninfo.push_str(p.rest);
        if !kept.is_empty() {
            conninfo.push('?');
            conninfo.push_str(&kept.join("&"));
        }
        Ok(PgUrl {
            conninfo,
            password: password.filter(|p| !p.is_empty()),
            schema,
        })
    }
}

/// The URL with its password (in the user part or as `password=`) replaced by `***`,
/// for messages. Anything that is not a PostgreSQL URL is returned unchanged.
pub fn redact(url: &str) -> String {
    let Some(p) = parts(url) else {
        return url.to_string();
    };
    let mut out = format!("{}://", p.scheme);
    if let Some(u) = p.user {
        out.push_str(u);
        if p.password.is_some() {
            out.push_str(":***");
        }
        out.push('@');
    }
    out.push_str(p.rest);
    let params: Vec<String> = p
        .params
        .iter()
        .map(|(k, v)| match *k {
            "password" => "password=***".to_string(),
            _ if v.is_empty() => k.to_string(),
            _ => format!("{k}={v}"),
        })
        .collect();
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

/// `text` with the URL's password removed wherever it appears (as written in the URL or
/// decoded), for any message that may quote the URL or a tool's output.
pub fn scrub(text: &str, url: &str) -> String {
    let mut out = text.replace(url, &redact(url));
    if let Some(p) = parts(url) {
        let mut secrets: Vec<String> = Vec::new();
        let raw = p.password.into_iter().chain(
            p.params
                .iter()
                .filter(|(k, _)| *k == "password")
                .map(|(_, v)| *v),
        );
        for s in raw {
            secrets.push(s.to_string());
            if let Ok(d) = percent_decode(s) {
                secrets.push(d);
            }
        }
        // Longest first, so a secret containing another is removed whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for s in secrets.iter().filter(|s| !s.is_empty()) {
            out = out.replace(s.as_str(), "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_and_schema_come_off_the_rest_stays_as_written() {
        let u = PgUrl::parse(
            "postgres://danchu:p%40ss%3Aw0rd@db.example.vn:6432/danchu?sslmode=verify-full&schema=xa_an_lap&options=-c%20statement_timeout%3D0",
        )
        .unwrap();
        assert_eq!(
            u.conninfo,
            "postgres://danchu@db.example.vn:6432/danchu?sslmode=verify-full&options=-c%20statement_timeout%3D0"
        );
        assert_eq!(u.password.as_deref(), Some("p@ss:w0rd"));
        assert_eq!(u.schema.as_deref(), Some("xa_an_lap"));
    }

    #[test]
    fn a_password_parameter_is_taken_off_too() {
        let u = PgUrl::parse("postgresql://u@h/db?password=s3cret&sslmode=require").unwrap();
        assert_eq!(u.conninfo, "postgresql://u@h/db?sslmode=require");
        assert_eq!(u.password.as_deref(), Some("s3cret"));
        assert_eq!(u.schema, None);
    }

    #[test]
    fn urls_without_user_or_password() {
        let u = PgUrl::parse("postgres://h/db").unwrap();
        assert_eq!((u.conninfo.as_str(), u.password), ("postgres://h/db", None));
        let u = PgUrl::parse("postgres://u:@h1:5432,h2:5433/db").unwrap();
        assert_eq!(u.conninfo, "postgres://u@h1:5432,h2:5433/db");
        assert_eq!(u.password, None);
        assert!(PgUrl::parse("sqlite://x.db").is_err());
    }

    #[test]
    fn messages_never_show_the_password() {
        let url = "postgres://u:s%33cret@h/db?schema=t1&password=other";
        assert_eq!(redact(url), "postgres://u:***@h/db?schema=t1&password=***");
        let msg = format!("failed for {url}; pw s3cret, raw s%33cret, other");
        let clean = scrub(&msg, url);
        assert!(
            !clean.contains("s3cret") && !clean.contains("s%33cret") && !clean.contains("other"),
            "{clean}"
        );
        assert!(clean.contains("postgres://u:***@h/db"), "{clean}");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
