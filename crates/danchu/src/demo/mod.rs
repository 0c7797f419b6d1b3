//! Demo data: the 2023 Dầu Tiếng district (Bình Dương), its communes and offices, and a
//! demo account for each role. Later capabilities add their demo data here too.
//! Seeding is idempotent: running `danchu demo` again reuses the data.

mod disclosures;
pub mod plans;
pub mod portal;
pub mod reporting;

use danchu_core::roles::Role;
use danchu_core::units::UnitKind;
use danchu_db::audit::Actor;
use danchu_db::units::ImportRow;
use danchu_db::Db;

/// The password of every demo account (printed at start; never use it in production).
pub const DEMO_PASSWORD: &str = "danchu-demo-2023";

/// (code, name, kind, parent code). Province and district codes are those of the
/// national list (GSO); the commune codes are demo values in the district's GSO range,
/// and offices get `721-…` codes of our own. A real deployment imports the official list.
pub const UNITS: &[(&str, &str, UnitKind, Option<&str>)] = &[
    ("74", "Tỉnh Bình Dương", UnitKind::Province, None),
    ("721", "Huyện Dầu Tiếng", UnitKind::District, Some("74")),
    (
        "25765",
        "Thị trấn Dầu Tiếng",
        UnitKind::Commune,
        Some("721"),
    ),
    ("25768", "Xã Minh Hòa", UnitKind::Commune, Some("721")),
    ("25771", "Xã Minh Thạnh", UnitKind::Commune, Some("721")),
    ("25774", "Xã Minh Tân", UnitKind::Commune, Some("721")),
    ("25777", "Xã Định An", UnitKind::Commune, Some("721")),
    ("25780", "Xã Long Hòa", UnitKind::Commune, Some("721")),
    ("25783", "Xã Định Thành", UnitKind::Commune, Some("721")),
    ("25786", "Xã Định Hiệp", UnitKind::Commune, Some("721")),
    ("25789", "Xã An Lập", UnitKind::Commune, Some("721")),
    ("25792", "Xã Long Tân", UnitKind::Commune, Some("721")),
    ("25795", "Xã Thanh An", UnitKind::Commune, Some("721")),
    ("25798", "Xã Thanh Tuyền", UnitKind::Commune, Some("721")),
    // Ấp of two communes (demo names), the places R8 wants reached.
    ("25789-01", "Ấp Bến Tranh", UnitKind::Village, Some("25789")),
    ("25789-02", "Ấp Cần Giăng", UnitKind::Village, Some("25789")),
    ("25789-03", "Ấp Hòa Cường", UnitKind::Village, Some("25789")),
    ("25789-04", "Ấp Đồng Sến", UnitKind::Village, Some("25789")),
    ("25780-01", "Ấp Long Điền", UnitKind::Village, Some("25780")),
    ("25780-02", "Ấp Long Thọ", UnitKind::Village, Some("25780")),
    ("25780-03", "Ấp Long Bình", UnitKind::Village, Some("25780")),
    (
        "721-VP",
        "Văn phòng HĐND và UBND huyện",
        UnitKind::Agency,
        Some("721"),
    ),
    ("721-NV", "Phòng Nội vụ", UnitKind::Agency, Some("721")),
    (
        "721-TCKH",
        "Phòng Tài chính - Kế hoạch",
        UnitKind::Agency,
        Some("721"),
    ),
    ("721-TP", "Phòng Tư pháp", UnitKind::Agency, Some("721")),
    (
        "721-VHTT",
        "Phòng Văn hóa và Thông tin",
        UnitKind::Agency,
        Some("721"),
    ),
    (
        "721-TNMT",
        "Phòng Tài nguyên và Môi trường",
        UnitKind::Agency,
        Some("721"),
    ),
    (
        "721-TTVHTT",
        "Trung tâm Văn hóa, Thông tin và Thể thao huyện",
        UnitKind::PublicUnit,
        Some("721"),
    ),
];

/// (username, full name, role, unit code; None = every unit)
pub const ACCOUNTS: &[(&str, &str, Role, Option<&str>)] = &[
    ("admin", "Quản trị hệ thống", Role::SystemAdmin, None),
    (
        "quantri.huyen",
        "Văn phòng HĐND và UBND huyện",
        Role::UnitAdmin,
        Some("721"),
    ),
    (
        "noivu",
        "Phòng Nội vụ huyện Dầu Tiếng",
        Role::UnitAdmin,
        Some("721-NV"),
    ),
    (
        "bientap",
        "Biên tập viên Cổng thông tin",
        Role::Editor,
        Some("721"),
    ),
    (
        "quantri.anlap",
        "UBND xã An Lập",
        Role::UnitAdmin,
        Some("25789"),
    ),
    (
        "baocao.anlap",
        "Cán bộ báo cáo xã An Lập",
        Role::Reporter,
        Some("25789"),
    ),
    ("xem", "Người xem", Role::Viewer, Some("721")),
];

/// Whether the part of the demo marked by the setting `key` is already loaded.
async fn seeded(db: &Db, key: &str) -> anyhow::Result<bool> {
    Ok(danchu_db::settings::get(db, key).await?.is_some())
}

/// The id of the demo unit `code` (a part of the demo needs the units first).
async fn unit_id(db: &Db, code: &str) -> anyhow::Result<i64> {
    danchu_db::units::by_code(&mut db.clone(), code)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("demo unit {code} missing"))
}

/// Loads the demo data if it is not there yet. Returns true when it seeded.
pub async fn seed(db: &Db) -> anyhow::Result<bool> {
    if seeded(db, "demo_seeded").await? {
        portal::seed(db).await?;
        reporting::seed(db).await?;
        plans::seed(db).await?;
        disclosures::seed(db).await?;
        return Ok(false);
    }
    seed_units(db).await?;
    let all: Vec<&str> = ACCOUNTS.iter().map(|a| a.0).collect();
    seed_accounts(db, &all).await?;
    danchu_db::settings::set_once(&mut db.clone(), "demo_seeded", "1").await?;
    portal::seed(db).await?;
    reporting::seed(db).await?;
    plans::seed(db).await?;
    disclosures::seed(db).await?;
    Ok(true)
}

/// Imports the demo's unit tree ([`UNITS`]); importing it again changes nothing. The
/// integration tests seed only this (and [`seed_accounts`]) when they need no content.
pub async fn seed_units(db: &Db) -> anyhow::Result<()> {
    let actor = Actor("demo".into());
    let rows = UNITS
        .iter()
        .map(|(code, name, kind, parent)| ImportRow {
            code: code.to_string(),
            name: name.to_string(),
            kind: *kind,
            parent_code: parent.map(str::to_string),
            location: format!("demo {code}"),
        })
        .collect();
    danchu_db::units::import(db, &actor, rows, |_, _| {}).await?;
    Ok(())
}

/// Creates the demo accounts named (from [`ACCOUNTS`], in its order) with the demo
/// password and grants each its role; an account that exists is reused. Needs the units
/// ([`seed_units`]).
pub async fn seed_accounts(db: &Db, usernames: &[&str]) -> anyhow::Result<()> {
    if let Some(unknown) = usernames
        .iter()
        .find(|u| !ACCOUNTS.iter().any(|a| a.0 == **u))
    {
        anyhow::bail!("{unknown} is not a demo account");
    }
    let actor = Actor("demo".into());
    let hash =
        tokio::task::spawn_blocking(|| danchu_db::users::hash_password(DEMO_PASSWORD)).await??;
    for (username, full_name, role, unit) in ACCOUNTS {
        if !usernames.contains(username) {
            continue;
        }
        let user = match danchu_db::users::by_username(db, username).await? {
            Some((u, _)) => u,
            None => danchu_db::users::create(db, &actor, username, full_name, &hash).await?,
        };
        let unit_id = match unit {
            Some(code) => Some(unit_id(db, code).await?),
            None => None,
        };
        danchu_db::users::grant(db, &actor, user.id, *role, unit_id).await?;
    }
    Ok(())
}

/// The accounts block printed when the demo starts.
pub fn accounts_text(base_url: &str) -> String {
    let mut s = format!("\nDemo danchu (Dầu Tiếng 2023) đang chạy tại {base_url}\nĐăng nhập tại {base_url}/dang-nhap — mật khẩu chung: {DEMO_PASSWORD}\n\n");
    for (username, full_name, role, unit) in ACCOUNTS {
        let unit_name = unit
            .and_then(|c| UNITS.iter().find(|u| u.0 == c))
            .map(|u| u.1)
            .unwrap_or("mọi đơn vị");
        s.push_str(&format!(
            "  {username:<15} {:<18} {unit_name} ({full_name})\n",
            role.label_vi()
        ));
    }
    s
}
