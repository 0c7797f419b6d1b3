//! The outbox delivers e-mail to a real SMTP server (aiosmtpd, installed by
//! scripts/install-test-deps.sh), on both databases: the mail arrives with its Vietnamese
//! subject and body intact and one Message-ID; while the server is down the message waits
//! with the error shown, and goes when the server is back; a refused address parks it.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use danchu::jobs::Runner;
use danchu::notify::smtp::Smtp;
use danchu::notify::Senders;
use danchu_core::jobs::{Job, Outcome};
use danchu_core::outbox::{Channel, State};
use danchu_db::outbox::{self, NewMessage};

use crate::both;
use crate::harness::{temp_dir, Fixture, TestApp};

fn python() -> PathBuf {
    std::env::var("DANCHU_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-venv/bin/python")
        })
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real SMTP server that keeps what it receives in a Maildir.
/// An aiosmtpd handler that refuses for good any recipient starting with `khongco`
/// (550, as a server does for a mailbox that does not exist) and keeps nothing.
const REFUSING_HANDLER: &str = "\
class Refuse:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('khongco'):
            return '550 5.1.1 Mailbox does not exist'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        return '250 OK'
";

pub(crate) struct Smtpd {
    child: Child,
    pub port: u16,
    maildir: PathBuf,
}

impl Smtpd {
    pub fn start(port: u16, maildir: &Path) -> Smtpd {
        Smtpd::run(
            port,
            maildir,
            &[
                "-c",
                "aiosmtpd.handlers.Mailbox",
                &maildir.to_string_lossy(),
            ],
        )
    }

    /// A server that refuses some recipients for good ([`REFUSING_HANDLER`]).
    fn refusing(port: u16, dir: &Path) -> Smtpd {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("refuse.py"), REFUSING_HANDLER).unwrap();
        Smtpd::run(port, dir, &["-c", "refuse.Refuse"])
    }

    fn run(port: u16, maildir: &Path, handler: &[&str]) -> Smtpd {
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(handler)
            .env("PYTHONPATH", maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start aiosmtpd ({e}): run scripts/install-test-deps.sh")
            });
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Smtpd {
            child,
            port,
            maildir: maildir.to_path_buf(),
        }
    }

    /// Every mail received: (to, subject, body, message-id), decoded by Python's email
    /// package, in the order received.
    pub fn received(&self) -> Vec<(String, String, String, String)> {
        let out = Command::new(python())
            .args([
                "-c",
                "import mailbox, json, sys\n\
                 from email import policy\n\
                 from email.parser import BytesParser\n\
                 box = mailbox.Maildir(sys.argv[1], create=False)\n\
                 msgs = [BytesParser(policy=policy.default).parsebytes(box.get_bytes(k)) for k in box.keys()]\n\
                 msgs.sort(key=lambda m: m['Message-ID'])\n\
                 print(json.dumps([[str(m['To']), str(m['Subject']), m.get_content(), str(m['Message-ID'])] for m in msgs]))",
            ])
            .arg(&self.maildir)
            .output()
            .unwrap();
        crate::harness::assert_ran(&out);
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn runner(app: &TestApp, port: u16) -> Runner {
    let smtp = Smtp::new(
        &format!("smtp://127.0.0.1:{port}"),
        "UBND huyện Dầu Tiếng <ubnd@dautieng.gov.vn>",
    )
    .unwrap();
    Runner {
        db: app.db.clone(),
        node: "node-test".into(),
        senders: Senders {
            email: Some(Arc::new(smtp)),
            ..Default::default()
        },
        max_attempts: 8,
        on_content_change: Arc::new(|| {}),
    }
}

async fn enqueue(app: &TestApp, to: &str, subject: &str, body: &str) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let m = NewMessage {
        channel: Channel::Email,
        recipient: to,
        subject,
        body,
        topic: "report.return",
        entity_type: "report",
        entity_id: "1",
    };
    let id = outbox::enqueue(&mut tx, &m, danchu_db::now_ms())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

const SUBJECT: &str = "Báo cáo 6 tháng đầu năm 2023 cần bổ sung";
const BODY: &str = "Kính gửi: UBND xã Long Tân.\n\nPhòng Nội vụ đề nghị bổ sung số liệu \
                    “Số hộ tán thành” trước ngày 15/12/2026.\n";

both!(
    mail_reaches_a_real_smtp_server_intact,
    Fixture::units(),
    |app: TestApp| async move {
        let dir = temp_dir("smtpd");
        let smtpd = Smtpd::start(free_port(), &dir.join("Maildir"));
        let a = enqueue(&app, "longtan@dautieng.gov.vn", SUBJECT, BODY).await;
        let b = enqueue(
            &app,
            "anlap@dautieng.gov.vn",
            "Nhắc hạn nộp báo cáo",
            "Hạn: 20/12/2026.",
        )
        .await;
        let outcome = danchu::jobs::run(&runner(&app, smtpd.port), Job::Outbox).await;
        assert_eq!(
            outcome,
            Outcome::Done("2 đã gửi, 0 sẽ thử lại, 0 dừng gửi".into())
        );
        let got = smtpd.received();
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "longtan@dautieng.gov.vn");
        assert_eq!(got[0].1, SUBJECT);
        assert_eq!(got[0].2.replace("\r\n", "\n").trim_end(), BODY.trim_end());
        assert_eq!(got[0].3, format!("<danchu-outbox-{a}@dautieng.gov.vn>"));
        assert_eq!(
            (got[1].0.as_str(), got[1].1.as_str()),
            ("anlap@dautieng.gov.vn", "Nhắc hạn nộp báo cáo")
        );
        assert_eq!(got[1].3, format!("<danchu-outbox-{b}@dautieng.gov.vn>"));
        for id in [a, b] {
            let m = outbox::get(&app.db, id).await.unwrap().unwrap();
            assert_eq!((m.state, m.attempts), (State::Sent, 1));
        }
        // Nothing is sent twice: a second run finds nothing due.
        let again = danchu::jobs::run(&runner(&app, smtpd.port), Job::Outbox).await;
        assert_eq!(again, Outcome::Idle);
        assert_eq!(smtpd.received().len(), 2);
    }
);

both!(
    mail_waits_while_the_server_is_down_and_goes_when_it_is_back,
    Fixture::units(),
    |app: TestApp| async move {
        let dir = temp_dir("smtpd");
        let port = free_port();
        let id = enqueue(&app, "longtan@dautieng.gov.vn", SUBJECT, BODY).await;
        // No server on the port: the try fails, the message waits with the reason.
        let outcome = danchu::jobs::run(&runner(&app, port), Job::Outbox).await;
        assert_eq!(
            outcome,
            Outcome::Done("0 đã gửi, 1 sẽ thử lại, 0 dừng gửi".into())
        );
        let m = outbox::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!((m.state, m.attempts), (State::Pending, 1));
        assert!(!m.last_error.is_empty());
        assert!(
            m.due_ms > danchu_db::now_ms() + 20_000,
            "backs off about 30 s"
        );
        // The server comes back; the backoff has passed (the clock moved on).
        let smtpd = Smtpd::start(port, &dir.join("Maildir"));
        app.db
            .execute(danchu_db::q("UPDATE outbox SET due_ms = 0 WHERE id = $1").bind(id))
            .await
            .unwrap();
        let outcome = danchu::jobs::run(&runner(&app, port), Job::Outbox).await;
        assert_eq!(
            outcome,
            Outcome::Done("1 đã gửi, 0 sẽ thử lại, 0 dừng gửi".into())
        );
        let m = outbox::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(
            (m.state, m.attempts, m.last_error.as_str()),
            (State::Sent, 2, "")
        );
        let got = smtpd.received();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, SUBJECT);
    }
);

both!(
    a_message_to_a_channel_without_an_adapter_waits_with_the_reason,
    Fixture::units(),
    |app: TestApp| async move {
        let mut tx = app.db.begin().await.unwrap();
        let m = crate::outbox::sms();
        let id = outbox::enqueue(&mut tx, &m, danchu_db::now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let outcome = danchu::jobs::run(&runner(&app, free_port()), Job::Outbox).await;
        assert_eq!(
            outcome,
            Outcome::Done("0 đã gửi, 1 sẽ thử lại, 0 dừng gửi".into())
        );
        let m = outbox::get(&app.db, id).await.unwrap().unwrap();
        assert_eq!(m.state, State::Pending);
        assert_eq!(m.last_error, "kênh Tin nhắn SMS chưa được cấu hình");
    }
);

both!(
    a_recipient_the_server_refuses_for_good_is_parked_at_once,
    Fixture::units(),
    |app: TestApp| async move {
        let dir = temp_dir("smtpd");
        let smtpd = Smtpd::refusing(free_port(), &dir);
        let gone = enqueue(&app, "khongco@dautieng.gov.vn", SUBJECT, BODY).await;
        let fine = enqueue(&app, "longtan@dautieng.gov.vn", SUBJECT, BODY).await;
        let outcome = danchu::jobs::run(&runner(&app, smtpd.port), Job::Outbox).await;
        assert_eq!(
            outcome,
            Outcome::Done("1 đã gửi, 0 sẽ thử lại, 1 dừng gửi".into())
        );
        let m = outbox::get(&app.db, gone).await.unwrap().unwrap();
        assert_eq!(
            (m.state, m.attempts),
            (State::Parked, 1),
            "no retries of a 550"
        );
        assert!(m.last_error.contains("550"), "{}", m.last_error);
        let m = outbox::get(&app.db, fine).await.unwrap().unwrap();
        assert_eq!(m.state, State::Sent);
    }
);

both!(
    the_development_sink_writes_text_messages_to_a_file,
    Fixture::units(),
    |app: TestApp| async move {
        let dir = temp_dir("sink");
        let mut tx = app.db.begin().await.unwrap();
        let id = outbox::enqueue(&mut tx, &crate::outbox::sms(), danchu_db::now_ms())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut r = runner(&app, free_port());
        r.senders.sms = Some(Arc::new(danchu::notify::file::FileSink::new(
            dir.clone(),
            "sms",
        )));
        let outcome = danchu::jobs::run(&r, Job::Outbox).await;
        assert_eq!(
            outcome,
            Outcome::Done("1 đã gửi, 0 sẽ thử lại, 0 dừng gửi".into())
        );
        let lines = std::fs::read_to_string(dir.join("sms.jsonl")).unwrap();
        let line: serde_json::Value = serde_json::from_str(lines.trim()).unwrap();
        assert_eq!(line["id"], id);
        assert_eq!(line["to"], "+84912345678");
        assert_eq!(line["body"], "Mã theo dõi: PA-2026-0001");
        assert_eq!(
            outbox::get(&app.db, id).await.unwrap().unwrap().state,
            State::Sent
        );
    }
);
