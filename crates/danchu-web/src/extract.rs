//! The text of uploaded documents, for search: PDF (through `pdf-extract`, which reads
//! ToUnicode maps, so Vietnamese text set in embedded fonts comes out right), DOCX
//! (`word/document.xml`) and XLSX (shared strings and inline strings). Files are hostile
//! until proven otherwise: ZIP entries are read with a size cap (no zip bombs), the PDF
//! parser runs under `catch_unwind` (it panics on some broken files), and the text kept
//! is capped.
//!
//! A parser cannot be trusted with its own limits (a 98 KiB PDF whose content stream
//! inflates to 32 MiB made `pdf-extract` take 22 s and 2.9 GiB), so the server never
//! parses a document itself: [`Extractor`] runs this binary again as a child process
//! (`danchu __extract-text`) under operating-system limits on address space, CPU time and
//! open files, kills it past a wall-clock limit, and runs at most a few at a time from a
//! pool of its own (not the password-hashing one). The permit and the child live in the
//! same future: when the request is abandoned the child is killed and the permit returns.
//! A file whose text could not be read within the limits is kept, without text, and the
//! page says so.

use std::io::Read as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use danchu_core::files::FileType;

/// The hidden first argument that makes the binary the extraction child.
pub const CHILD_ARG: &str = "__extract-text";

/// Exit code of the child for a file that is not a readable document of its type.
const EXIT_BROKEN: u8 = 3;

/// What the extraction child may use.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The danchu binary to run as the child (default: this process's own executable).
    pub program: Option<PathBuf>,
    /// Wall-clock time, and CPU time, for one file.
    pub timeout: Duration,
    /// Address space of the child, in bytes.
    pub memory: u64,
    /// Files extracted at the same time.
    pub workers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            program: None,
            timeout: Duration::from_secs(20),
            memory: 1024 * 1024 * 1024,
            // Half the cores, so requests keep the rest.
            workers: std::thread::available_parallelism()
                .map(|n| (n.get() / 2).max(1))
                .unwrap_or(1),
        }
    }
}

/// What became of extracting a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The text ("" when the file has none, e.g. a scanned PDF).
    Text(String),
    /// Not a readable document of the type it claims: the upload is refused.
    Broken,
    /// The limits were reached (the reason, in Vietnamese): the file is kept without text.
    GaveUp(&'static str),
}

/// Runs extractions in child processes under [`Limits`], a few at a time.
pub struct Extractor {
    limits: Limits,
    permits: Arc<tokio::sync::Semaphore>,
    /// Files given up on since start (for /metrics).
    pub gave_up: std::sync::atomic::AtomicU64,
}

impl Extractor {
    pub fn new(limits: Limits) -> Extractor {
        Extractor {
            permits: Arc::new(tokio::sync::Semaphore::new(limits.workers.max(1))),
            limits,
            gave_up: Default::default(),
        }
    }

    /// The text of a document (images have none).
    pub async fn text(&self, kind: FileType, bytes: &[u8]) -> Outcome {
        if kind.image {
            return Outcome::Text(String::new());
        }
        let started = std::time::Instant::now();
        let outcome = self.run(bytes).await;
        if let Outcome::GaveUp(why) = &outcome {
            self.gave_up
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            tracing::warn!(
                kind = kind.ext,
                size = bytes.len(),
                seconds = started.elapsed().as_secs_f64(),
                reason = why,
                "text extraction gave up; the file is kept without text"
            );
        }
        outcome
    }

    /// One extraction, holding a permit from start to end: the child is killed when the
    /// future is dropped (the request abandoned), and the permit returns with it.
    async fn run(&self, bytes: &[u8]) -> Outcome {
        let Ok(_permit) = self.permits.acquire().await else {
            return Outcome::GaveUp("máy chủ đang dừng");
        };
        let Some(program) = self.program() else {
            return Outcome::GaveUp("không chạy được trình đọc tệp");
        };
        let child = match self.command(program).spawn() {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "cannot start the text extraction child");
                return Outcome::GaveUp("không chạy được trình đọc tệp");
            }
        };
        self.finish(child, bytes).await
    }

    /// The binary to run as the child: the configured one, else this process's own.
    fn program(&self) -> Option<PathBuf> {
        match &self.limits.program {
            Some(p) => Some(p.clone()),
            None => match std::env::current_exe() {
                Ok(p) => Some(p),
                Err(e) => {
                    tracing::error!(error = %e, "cannot find the danchu binary for text extraction");
                    None
                }
            },
        }
    }

    /// The child's command: piped stdin and stdout, no stderr, no environment, killed when
    /// dropped, under limits on address space, CPU time, core and written files, open files.
    fn command(&self, program: PathBuf) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(program);
        cmd.arg(CHILD_ARG)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .env_clear()
            .kill_on_drop(true);
        let (memory, cpu) = (self.limits.memory, self.limits.timeout.as_secs().max(1));
        // SAFETY: runs in the forked child before exec; setrlimit is async-signal-safe and
        // touches no memory of the parent.
        unsafe {
            cmd.pre_exec(move || {
                set_limit(libc::RLIMIT_AS, memory)?;
                set_limit(libc::RLIMIT_CPU, cpu)?;
                set_limit(libc::RLIMIT_CORE, 0)?;
                set_limit(libc::RLIMIT_FSIZE, 0)?;
                set_limit(libc::RLIMIT_NOFILE, 16)?;
                Ok(())
            });
        }
        cmd
    }

    /// Gives the file to the started child and reads its answer, within the wall-clock
    /// limit (the child is killed when this returns or is dropped).
    async fn finish(&self, mut child: tokio::process::Child, bytes: &[u8]) -> Outcome {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let (Some(mut stdin), Some(mut stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Outcome::GaveUp("không chạy được trình đọc tệp");
        };
        let work = async {
            // Written and read at the same time, so neither side waits on a full pipe.
            let write = async {
                let _ = stdin.write_all(bytes).await;
                drop(stdin);
            };
            let mut out = Vec::new();
            let mut capped = (&mut stdout).take((MAX_TEXT * 4 + 1024) as u64);
            let read = capped.read_to_end(&mut out);
            let (_, read) = tokio::join!(write, read);
            let status = child.wait().await;
            (read, status, out)
        };
        match tokio::time::timeout(self.limits.timeout, work).await {
            Err(_) => Outcome::GaveUp("quá thời gian xử lý"),
            Ok((_, status, out)) => outcome_of(status, &out),
        }
    }
}

/// What the child's exit says: its text, a broken file, or a limit reached (CPU time or
/// the kill, else memory).
fn outcome_of(status: std::io::Result<std::process::ExitStatus>, out: &[u8]) -> Outcome {
    match status {
        Ok(status) if status.success() => Outcome::Text(tidy(&String::from_utf8_lossy(out))),
        Ok(status) if status.code() == Some(EXIT_BROKEN as i32) => Outcome::Broken,
        Ok(status) => {
            use std::os::unix::process::ExitStatusExt as _;
            match status.signal() {
                Some(libc::SIGXCPU) | Some(libc::SIGKILL) => Outcome::GaveUp("quá thời gian xử lý"),
                _ => Outcome::GaveUp("quá giới hạn bộ nhớ"),
            }
        }
        Err(_) => Outcome::GaveUp("không chạy được trình đọc tệp"),
    }
}

fn set_limit(resource: libc::__rlimit_resource_t, value: u64) -> std::io::Result<()> {
    let lim = libc::rlimit {
        rlim_cur: value as libc::rlim_t,
        rlim_max: value as libc::rlim_t,
    };
    // SAFETY: a plain system call on a value we own.
    if unsafe { libc::setrlimit(resource, &lim) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The extraction child: reads a file on stdin, writes its text on stdout, exits 0, or
/// exits 3 when the file is not a readable document. Whatever the parsers print goes to
/// stderr, never into the answer.
pub fn child_main() -> std::process::ExitCode {
    use std::io::Write as _;
    use std::os::fd::FromRawFd as _;
    // SAFETY: fd 1 and 2 are open (the parent set them up); the copy of stdout is owned by
    // the File below and nothing else.
    let out_fd = unsafe { libc::dup(1) };
    if out_fd < 0 || unsafe { libc::dup2(2, 1) } < 0 {
        return std::process::ExitCode::FAILURE;
    }
    let mut out = unsafe { std::fs::File::from_raw_fd(out_fd) };
    let mut bytes = Vec::new();
    if std::io::stdin()
        .take((crate::media::MAX_UPLOAD + 1) as u64)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return std::process::ExitCode::FAILURE;
    }
    let Some(kind) = danchu_core::files::sniff(&bytes) else {
        return std::process::ExitCode::from(EXIT_BROKEN);
    };
    match text_of(kind, &bytes) {
        Ok(text) => match out.write_all(text.as_bytes()) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(_) => std::process::ExitCode::FAILURE,
        },
        Err(Broken) => std::process::ExitCode::from(EXIT_BROKEN),
    }
}

/// The most text kept per file (characters).
pub const MAX_TEXT: usize = 200_000;
/// The most bytes read out of one ZIP entry.
const MAX_ENTRY: u64 = 32 * 1024 * 1024;

/// Why a file cannot be accepted.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken;

/// The searchable text of a file: `Ok("")` when it has none (a scanned PDF, an image),
/// `Err(Broken)` when the file is not a readable document of the type it claims.
pub fn text_of(kind: FileType, bytes: &[u8]) -> Result<String, Broken> {
    let text = match kind.ext {
        "pdf" => pdf(bytes)?,
        "docx" => docx(bytes)?,
        "xlsx" => xlsx(bytes)?,
        _ => String::new(),
    };
    Ok(tidy(&text))
}

/// NFC, control characters out, whitespace collapsed, capped.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in danchu_core::text::nfc(text).chars() {
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out.chars().take(MAX_TEXT).collect()
}

fn pdf(bytes: &[u8]) -> Result<String, Broken> {
    let owned = bytes.to_vec();
    // The parser may panic on malformed input: that is a broken file, not a crash.
    let result = std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&owned));
    match result {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(_)) | Err(_) => Err(Broken),
    }
}

fn zip_entry(bytes: &[u8], name: &str) -> Result<Option<String>, Broken> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| Broken)?;
    let entry = match archive.by_name(name) {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(Broken),
    };
    let mut out = Vec::new();
    entry
        .take(MAX_ENTRY)
        .read_to_end(&mut out)
        .map_err(|_| Broken)?;
    String::from_utf8(out).map(Some).map_err(|_| Broken)
}

/// The text runs of Office XML: the content of `<w:t>`/`<t>` elements, with a line
/// break after each paragraph (`</w:p>`) or shared string (`</si>`).
fn xml_text(xml: &str, text_tags: &[&str], breaks: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = xml;
    let mut inside = false;
    while let Some(lt) = rest.find('<') {
        if inside {
            out.push_str(&unescape(&rest[..lt]));
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        if text_tags.contains(&name) {
            inside = !tag.starts_with('/') && !tag.ends_with('/');
        }
        if tag.starts_with('/') && breaks.contains(&name) {
            out.push('\n');
        }
        if name == "w:tab" {
            out.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    out
}

/// The character references of XML text (the five named ones and numeric ones).
fn unescape(s: &str) -> String {
    danchu_core::html::unescape(s, &[])
}

fn docx(bytes: &[u8]) -> Result<String, Broken> {
    let xml = zip_entry(bytes, "word/document.xml")?.ok_or(Broken)?;
    Ok(xml_text(&xml, &["w:t"], &["w:p"]))
}

fn xlsx(bytes: &[u8]) -> Result<String, Broken> {
    // A workbook needs its workbook part; the words are in the shared strings (and in
    // inline strings of the sheets, read from the first sheet).
    zip_entry(bytes, "xl/workbook.xml")?.ok_or(Broken)?;
    let mut text = zip_entry(bytes, "xl/sharedStrings.xml")?
        .map(|x| xml_text(&x, &["t"], &["si"]))
        .unwrap_or_default();
    if let Some(sheet) = zip_entry(bytes, "xl/worksheets/sheet1.xml")? {
        text.push('\n');
        text.push_str(&xml_text(&sheet, &["t"], &["is"]));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_xml_text_keeps_words_and_paragraphs() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>Kế hoạch số </w:t></w:r><w:r><w:t xml:space="preserve">22/KH-UBND</w:t></w:r></w:p><w:p><w:r><w:t>Dầu Tiếng &amp; Minh Hòa</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            xml_text(xml, &["w:t"], &["w:p"]),
            "Kế hoạch số 22/KH-UBND\nDầu Tiếng & Minh Hòa\n"
        );
        assert_eq!(
            unescape("a &#7847; &#x1EA7; &bogus; & b"),
            "a ầ ầ &bogus; & b"
        );
    }

    #[test]
    fn tidy_is_nfc_collapsed_and_capped() {
        let nfd = "Da\u{0302}\u{0300}u\u{0}  Tie\u{0302}\u{0301}ng\n\n";
        assert_eq!(tidy(nfd), "Dầu Tiếng");
        assert_eq!(tidy(&"a ".repeat(MAX_TEXT)).chars().count(), MAX_TEXT);
    }

    #[test]
    fn broken_files_are_refused() {
        let pdf = danchu_core::files::sniff(b"%PDF-1.4\n%%EOF").unwrap();
        assert_eq!(text_of(pdf, b"%PDF-1.4\n%%EOF"), Err(Broken));
        let fake_docx = b"PK\x03\x04 [Content_Types].xml word/ not really a zip";
        let kind = danchu_core::files::sniff(fake_docx).unwrap();
        assert_eq!(text_of(kind, fake_docx), Err(Broken));
    }
}
