//! The command line (Vietnamese help text).

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use danchu_core::roles::Role;
use danchu_db::audit::Actor;
use danchu_db::Db;

use crate::config::{Config, Overrides};

#[derive(Parser, Debug)]
#[command(
    name = "danchu",
    version,
    about = "danchu — cổng thông tin và thực hiện dân chủ ở cơ sở (Luật 10/2022/QH15)"
)]
pub struct Cli {
    #[command(flatten)]
    pub overrides: Overrides,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Chạy máy chủ (tự chạy migration khi khởi động)
    Serve,
    /// Tạo (hoặc dùng lại) CSDL demo Dầu Tiếng, in tài khoản demo, rồi chạy máy chủ
    Demo,
    /// Cập nhật cấu trúc cơ sở dữ liệu
    Migrate,
    /// Quản lý người dùng
    #[command(subcommand)]
    User(UserCommand),
    /// Nhập dữ liệu
    #[command(subcommand)]
    Import(ImportCommand),
    /// Sao lưu cơ sở dữ liệu và mọi tệp tải lên vào một TỆP (zip) trong lúc máy chủ vẫn chạy
    #[command(
        long_about = "Sao lưu cơ sở dữ liệu và mọi tệp tải lên (DANCHU_DATA_DIR/media) vào một TỆP zip, kèm manifest.json (kích thước và SHA-256 của từng tệp). Máy chủ vẫn chạy được trong lúc sao lưu.\n\nSQLite: bản sao nhất quán bằng VACUUM INTO. PostgreSQL: pg_dump --format=custom chỉ schema mà danchu dùng (?schema= hoặc schema đầu của search_path); cần pg_dump cùng phiên bản chính với máy chủ (apt install postgresql-client); mật khẩu được chuyển qua biến môi trường PGPASSWORD, không qua dòng lệnh.\n\nKhôi phục bằng `danchu restore TỆP`."
    )]
    Backup {
        /// Tệp đích (chưa tồn tại: không bao giờ ghi đè)
        file: std::path::PathBuf,
    },
    /// Khôi phục cơ sở dữ liệu và tệp tải lên từ một bản sao lưu (dừng máy chủ trước)
    #[command(
        long_about = "Khôi phục từ TỆP do `danchu backup` tạo: kiểm tra manifest và SHA-256 của từng tệp trước khi thay gì, đặt cơ sở dữ liệu vào chỗ của DANCHU_DATABASE_URL và các tệp tải lên vào DANCHU_DATA_DIR/media, chạy migration, rồi kiểm tra nhật ký.\n\nDừng máy chủ trước khi khôi phục và khởi động lại sau. Nơi khôi phục phải trống (tệp SQLite chưa có, schema PostgreSQL trống); nếu đã có dữ liệu, lệnh từ chối trừ khi có --force. PostgreSQL: cần pg_restore; bản sao lưu phải được khôi phục vào schema cùng tên."
    )]
    Restore {
        /// Bản sao lưu (tệp zip của `danchu backup`)
        file: std::path::PathBuf,
        /// Xoá dữ liệu đang có ở nơi khôi phục (tệp SQLite, hoặc toàn bộ schema PostgreSQL) rồi thay bằng bản sao lưu
        #[arg(long)]
        force: bool,
    },
    /// Nhật ký thay đổi
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Dựng lại chỉ mục tìm kiếm (bài viết, văn bản) từ dữ liệu gốc
    Reindex,
    /// Sinh dữ liệu thử để đo hiệu năng (không dùng cho dữ liệu thật)
    #[command(subcommand)]
    Generate(GenerateCommand),
}

#[derive(Subcommand, Debug)]
pub enum GenerateCommand {
    /// Thêm N bài viết tiếng Việt sinh tự động (nạp dữ liệu demo trước nếu CSDL trống), rồi dựng lại chỉ mục tìm kiếm
    Articles {
        /// Số bài viết
        #[arg(long, default_value_t = 100_000)]
        count: u64,
    },
    /// Tạo một đợt báo cáo cho mọi xã trong CSDL (mẫu N chỉ tiêu, mọi báo cáo được nộp và tiếp nhận), rồi đo thời gian tổng hợp và xuất XLSX
    Reports {
        /// Số chỉ tiêu của mẫu
        #[arg(long, default_value_t = 60)]
        indicators: usize,
    },
    /// Tạo N nội dung công khai năm 2025 cho mọi xã trong CSDL (kèm phiên bản, hình thức) và một tài khoản quản trị tỉnh bench.tinh
    Disclosures {
        /// Số nội dung mỗi xã
        #[arg(long, default_value_t = 50)]
        per_unit: usize,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Thêm người dùng; mật khẩu đọc từ DANCHU_PASSWORD hoặc từ bàn phím
    Add {
        /// Tên đăng nhập
        #[arg(long)]
        username: String,
        /// Vai trò: system_admin, unit_admin, editor, reporter, viewer
        #[arg(long)]
        role: String,
        /// Mã đơn vị mà vai trò áp dụng (không cần với system_admin)
        #[arg(long)]
        unit: Option<String>,
        /// Họ và tên (mặc định bằng tên đăng nhập)
        #[arg(long)]
        full_name: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Nhập danh mục đơn vị hành chính từ TỆP JSON (tỉnh → wards) hoặc CSV (code,name,kind,parent_code)
    Units {
        /// Tệp .json hoặc .csv
        file: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Kiểm tra toàn bộ chuỗi hash; thoát với mã khác 0 và nêu mục hỏng đầu tiên nếu có
    Verify,
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let json = std::env::var("DANCHU_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lỗi: không khởi động được runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Extracts the text of uploaded documents that have none yet (files uploaded before
/// extraction existed); returns how many got text. Unreadable files are left as they are.
async fn extract_missing_texts(db: &Db, data_dir: &std::path::Path) -> anyhow::Result<usize> {
    let mut n = 0;
    for (id, stored, _) in danchu_db::media::without_text(db).await? {
        if !danchu_core::files::valid_stored_name(&stored) {
            continue;
        }
        let Ok(bytes) = tokio::fs::read(data_dir.join("media").join(&stored)).await else {
            continue;
        };
        let Some(kind) = danchu_core::files::sniff(&bytes) else {
            continue;
        };
        let text = tokio::task::spawn_blocking(move || danchu_web::extract::text_of(kind, &bytes))
            .await?
            .unwrap_or_default();
        if !text.is_empty() {
            danchu_db::media::set_text(db, id, &text).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// Connects, runs the migrations, and builds the search index if it was never built.
pub(crate) async fn open(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect_with(
        &config.database_url,
        config.max_connections,
        std::time::Duration::from_secs(config.db_wait_s),
    )
    .await?;
    danchu_db::migrate::run(&db).await?;
    // A database made before the search index existed gets its index once.
    danchu_db::search_index::ensure(&db).await?;
    Ok(db)
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let default_db = match cli.command {
        Command::Demo => "sqlite://danchu-demo.db",
        _ => "sqlite://danchu.db",
    };
    let config = Config::resolve(&cli.overrides, default_db)?;
    let url = config.database_url.clone();
    // No message ever shows the database password.
    run_command(cli.command, config)
        .await
        .map_err(|e| anyhow::anyhow!(danchu_db::backup::pgurl::scrub(&format!("{e:#}"), &url)))
}

async fn run_command(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve => serve(&config).await,
        Command::Demo => demo(&config).await,
        Command::Migrate => migrate(&config).await,
        Command::User(UserCommand::Add {
            username,
            role,
            unit,
            full_name,
        }) => {
            let db = open(&config).await?;
            user_add(&db, &username, &role, unit.as_deref(), full_name.as_deref()).await?;
            db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import(ImportCommand::Units { file }) => {
            let db = open(&config).await?;
            let ok = import_units(&db, &file).await?;
            db.close().await;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Backup { file } => {
            crate::backup::backup(&config, &file).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file, force } => crate::backup::restore(&config, &file, force).await,
        Command::Reindex => reindex(&config).await,
        Command::Generate(what) => generate(&config, what).await,
        Command::Audit(AuditCommand::Verify) => audit_verify(&config).await,
    }
}

/// `danchu serve`.
async fn serve(config: &Config) -> anyhow::Result<ExitCode> {
    let db = open(config).await?;
    crate::serve::serve(db, config, None).await?;
    Ok(ExitCode::SUCCESS)
}

/// `danchu demo`: the demo data (loaded once), then the server, printing the accounts.
async fn demo(config: &Config) -> anyhow::Result<ExitCode> {
    let db = open(config).await?;
    if crate::demo::seed(&db).await? {
        tracing::info!("demo data loaded");
    }
    crate::serve::serve(
        db,
        config,
        Some(crate::demo::accounts_text(&config.base_url)),
    )
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// `danchu migrate`.
async fn migrate(config: &Config) -> anyhow::Result<ExitCode> {
    let db = Db::connect(&config.database_url, 2).await?;
    let n = danchu_db::migrate::run(&db).await?;
    println!(
        "Đã áp dụng {n} migration; phiên bản hiện tại: {}",
        danchu_db::migrate::latest()
    );
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `danchu reindex`: the text of documents that have none, then the whole search index.
async fn reindex(config: &Config) -> anyhow::Result<ExitCode> {
    let db = open(config).await?;
    let started = std::time::Instant::now();
    let files = extract_missing_texts(&db, &config.data_dir).await?;
    if files > 0 {
        println!("Đã trích chữ của {files} tệp tài liệu.");
    }
    let n = danchu_db::search_index::rebuild(&db).await?;
    db.close().await;
    println!(
        "Đã dựng lại chỉ mục tìm kiếm: {} mục (bài viết, văn bản, nội dung công khai) trong {:.1} giây.",
        danchu_core::text::format_number(n as i64),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `danchu generate …`: benchmark data.
async fn generate(config: &Config, what: GenerateCommand) -> anyhow::Result<ExitCode> {
    let db = open(config).await?;
    match what {
        GenerateCommand::Reports { indicators } => {
            crate::generate::reports(&db, indicators).await?
        }
        GenerateCommand::Disclosures { per_unit } => {
            crate::generate::disclosures(&db, per_unit).await?
        }
        GenerateCommand::Articles { count } => {
            crate::demo::seed(&db).await?;
            crate::generate::articles(&db, count).await?;
        }
    }
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `danchu audit verify`: exit code 2 when the hash chain is broken or cut short.
async fn audit_verify(config: &Config) -> anyhow::Result<ExitCode> {
    let db = open(config).await?;
    // The entries committed but not chained yet are chained first (ADR 0008), so the
    // walk covers every entry committed before it began. If the write lock cannot be had
    // now, the chained part is still verified and the waiting entries are counted.
    if let Err(e) = danchu_db::audit::chain_pending(&db).await {
        eprintln!("Chưa xích được các mục đang chờ ({e}); kiểm tra phần đã xích.");
    }
    let v = danchu_db::audit::verify(&db).await?;
    db.close().await;
    if let Some(e) = v.error {
        eprintln!(
            "NHẬT KÝ HỎNG tại {e} (đã kiểm tra {} mục hợp lệ trước đó)",
            v.checked
        );
        return Ok(ExitCode::from(2));
    }
    if let Some((head, last)) = v.truncated {
        eprintln!("NHẬT KÝ HỎNG: đầu chuỗi ghi mục #{head} nhưng mục cuối còn lại là #{last} (mục cuối bị xoá)");
        return Ok(ExitCode::from(2));
    }
    if v.waiting > 0 {
        println!(
            "Nhật ký toàn vẹn: {} mục; {} mục mới đang chờ xích vào chuỗi.",
            v.checked, v.waiting
        );
    } else {
        println!("Nhật ký toàn vẹn: {} mục.", v.checked);
    }
    Ok(ExitCode::SUCCESS)
}

async fn user_add(
    db: &Db,
    username: &str,
    role: &str,
    unit: Option<&str>,
    full_name: Option<&str>,
) -> anyhow::Result<()> {
    let role = Role::from_code(role).ok_or_else(|| anyhow::anyhow!("--role: vai trò không hợp lệ {role:?}; chọn một trong: system_admin, unit_admin, editor, reporter, viewer"))?;
    let unit_id = match unit {
        Some(code) => Some(
            danchu_db::units::by_code(&mut db.clone(), code)
                .await?
                .ok_or_else(|| anyhow::anyhow!("--unit: không có đơn vị mã {code}"))?
                .id,
        ),
        None if role != Role::SystemAdmin => {
            anyhow::bail!("--unit: vai trò {} cần mã đơn vị", role.code())
        }
        None => None,
    };
    let password = match std::env::var("DANCHU_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprint!("Mật khẩu cho {username}: ");
            std::io::stderr().flush()?;
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let username = username.trim().to_lowercase();
    let username = username.as_str();
    let full_name = full_name.unwrap_or(username);
    let problems = danchu_db::users::check_new(username, full_name, &password);
    if let Some((field, reason)) = problems.first() {
        anyhow::bail!("--{field}: {reason}");
    }
    let hash =
        tokio::task::spawn_blocking(move || danchu_db::users::hash_password(&password)).await??;
    let actor = Actor::system();
    let user = match danchu_db::users::by_username(db, username).await? {
        Some((u, _)) => {
            danchu_db::users::set_password(db, &actor, u.id, &hash).await?;
            println!("Người dùng {username} đã có: đã đặt lại mật khẩu.");
            u
        }
        None => danchu_db::users::create(db, &actor, username, full_name, &hash).await?,
    };
    danchu_db::users::grant(
        db,
        &actor,
        user.id,
        role,
        if role == Role::SystemAdmin {
            None
        } else {
            unit_id
        },
    )
    .await?;
    println!(
        "Đã thêm {username} với vai trò {}{}",
        role.label_vi(),
        unit.map(|u| format!(" tại đơn vị {u}")).unwrap_or_default()
    );
    Ok(())
}

/// Returns false (after printing why) when the file is refused.
async fn import_units(db: &Db, file: &str) -> anyhow::Result<bool> {
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("không đọc được {file}: {e}"))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            eprintln!("{file}: tệp không phải UTF-8; không nhập gì.");
            return Ok(false);
        }
    };
    let started = std::time::Instant::now();
    let parsed = if file.to_lowercase().ends_with(".csv") {
        danchu_db::units::parse_csv(&text)
    } else {
        danchu_db::units::parse_json(&text)
    };
    let rows = match parsed {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{file}: {e}\nKhông nhập gì (tệp bị từ chối toàn bộ).");
            return Ok(false);
        }
    };
    eprintln!("Đọc {} đơn vị từ {file}", rows.len());
    let result = danchu_db::units::import(db, &Actor::system(), rows, |done, total| {
        eprint!("\r  đã xử lý {done}/{total}");
        let _ = std::io::stderr().flush();
    })
    .await;
    eprintln!();
    match result {
        Ok(c) => {
            println!(
                "Xong trong {:.1} giây: {} mới, {} cập nhật, {} không đổi.",
                started.elapsed().as_secs_f64(),
                c.created,
                c.updated,
                c.unchanged
            );
            Ok(true)
        }
        Err(danchu_db::units::ImportFailure::File(e)) => {
            eprintln!("{file}: {e}\nKhông nhập gì (tệp bị từ chối toàn bộ).");
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}
