//! Synthetic data for benchmarks (`danchu generate articles --count N`): realistic
//! Vietnamese local-government news articles built from phrase banks, with a fixed seed so
//! every run produces the same text. They are written straight into the articles table
//! (not audited: they are benchmark data, not anyone's work) and the search index is then
//! rebuilt, so the printed indexing time is the time of `danchu reindex`.

use std::time::Instant;

use danchu_core::disclosures::Channel;
use danchu_db::{q, Db};

/// A small deterministic generator (SplitMix64): no dependency, same text on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const COMMUNES: &[&str] = &[
    "Minh Hòa",
    "Minh Thạnh",
    "Minh Tân",
    "Định An",
    "Long Hòa",
    "Định Thành",
    "Định Hiệp",
    "An Lập",
    "Long Tân",
    "Thanh An",
    "Thanh Tuyền",
];
const HAMLETS: &[&str] = &[
    "ấp Bến Củi",
    "ấp Cỏ Trách",
    "ấp Hố Đá",
    "ấp Căm Xe",
    "ấp Tân Định",
    "ấp Đồng Sến",
    "ấp Suối Bông Trang",
    "ấp Bàu Khai",
    "ấp Hòa Cường",
    "ấp Chánh Hội",
];
const BODIES: &[&str] = &[
    "Ủy ban nhân dân xã {c}",
    "Hội Nông dân xã {c}",
    "Đoàn Thanh niên xã {c}",
    "Hội Liên hiệp Phụ nữ xã {c}",
    "Ủy ban Mặt trận Tổ quốc Việt Nam xã {c}",
    "Ban Thanh tra nhân dân xã {c}",
    "Công an xã {c}",
    "Trạm Y tế xã {c}",
    "Hội Cựu chiến binh xã {c}",
    "Phòng Nội vụ huyện Dầu Tiếng",
    "Phòng Văn hóa và Thông tin huyện",
    "Phòng Tài nguyên và Môi trường huyện",
    "Ủy ban nhân dân huyện Dầu Tiếng",
    "Trung tâm Văn hóa, Thông tin và Thể thao huyện",
];
const ACTS: &[&str] = &[
    "tổ chức",
    "triển khai",
    "phối hợp thực hiện",
    "tuyên truyền",
    "kiểm tra",
    "sơ kết",
    "tổng kết",
    "ra mắt",
    "hướng dẫn",
    "đánh giá kết quả",
    "phát động",
    "hưởng ứng",
];
const TOPICS: &[&str] = &[
    "hội nghị tiếp xúc cử tri",
    "công tác cải cách hành chính",
    "chương trình xây dựng nông thôn mới",
    "Quy chế dân chủ ở cơ sở",
    "phong trào toàn dân đoàn kết xây dựng đời sống văn hóa",
    "công tác phòng, chống dịch bệnh",
    "tháng an toàn giao thông",
    "chuyển đổi số",
    "chiến dịch tiêm chủng mở rộng",
    "công tác phòng cháy, chữa cháy",
    "ngày hội bảo vệ môi trường",
    "chương trình giảm nghèo bền vững",
    "lớp tập huấn khuyến nông",
    "kỹ thuật trồng và chăm sóc cây cao su",
    "vận động hiến đất làm đường giao thông nông thôn",
    "buổi tiếp công dân định kỳ",
    "công tác giải quyết khiếu nại, tố cáo",
    "công tác thanh tra nhân dân",
    "ngày hội Đại đoàn kết toàn dân tộc",
    "phong trào thể dục thể thao quần chúng",
    "công tác chi trả trợ cấp cho người có công",
    "dịch vụ công trực tuyến",
    "công tác bảo vệ rừng phòng hộ",
    "mô hình tổ tự quản về an ninh trật tự",
    "việc lấy ý kiến Nhân dân về dự thảo",
];
const PLACES: &[&str] = &[
    "tại hội trường {h}",
    "tại nhà văn hóa {h}",
    "tại trụ sở Ủy ban nhân dân xã {c}",
    "tại sân vận động xã {c}",
    "trên địa bàn xã {c}",
    "tại các ấp trên địa bàn xã {c}",
];
const CLAUSES: &[&str] = &[
    "nhằm nâng cao nhận thức của cán bộ và Nhân dân",
    "góp phần giữ vững an ninh chính trị, trật tự an toàn xã hội",
    "với sự tham gia của {n} hộ dân",
    "thu hút hơn {n} người tham dự",
    "với tổng kinh phí hơn {n} triệu đồng",
    "theo tinh thần phương châm dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng",
    "đáp ứng nguyện vọng chính đáng của người dân",
    "tạo sự đồng thuận trong Nhân dân",
    "bảo đảm công khai, minh bạch",
    "theo đúng kế hoạch đề ra",
];
const REMARKS: &[&str] = &[
    "Qua đó, người dân được nắm bắt kịp thời các chủ trương của Đảng, chính sách, pháp luật của Nhà nước.",
    "Nhiều ý kiến của cử tri đã được lãnh đạo địa phương tiếp thu và giải trình cụ thể.",
    "Kết quả, các chỉ tiêu cơ bản đều đạt và vượt so với kế hoạch năm.",
    "Bên cạnh những kết quả đạt được, vẫn còn một số hạn chế cần khắc phục trong thời gian tới.",
    "Dịp này, địa phương đã trao giấy khen cho các tập thể và cá nhân có thành tích xuất sắc.",
    "Thời gian tới, địa phương tiếp tục đẩy mạnh công tác tuyên truyền, vận động Nhân dân cùng tham gia.",
    "Người dân phấn khởi, đồng tình và tích cực hưởng ứng.",
    "Các đại biểu đã thảo luận, đóng góp nhiều ý kiến thiết thực.",
];

/// A phrase of `bank` with its commune, hamlet and number filled in.
fn fill(rng: &mut Rng, bank: &[&str], commune: &str) -> String {
    let template = rng.pick(bank);
    let hamlet = rng.pick(HAMLETS);
    let n = 20 + rng.below(980);
    template
        .replace("{c}", commune)
        .replace("{h}", hamlet)
        .replace("{n}", &n.to_string())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// One article: (title, summary, body HTML).
fn article(rng: &mut Rng) -> (String, String, String) {
    let commune = rng.pick(COMMUNES);
    let who = fill(rng, BODIES, commune);
    let act = rng.pick(ACTS);
    let topic = rng.pick(TOPICS);
    let title = capitalise(&format!("{who} {act} {topic}"));
    let place = fill(rng, PLACES, commune);
    let summary = format!("{title} {place}, {}.", fill(rng, CLAUSES, commune));
    let mut body = String::new();
    for _ in 0..4 + rng.below(5) {
        body.push_str("<p>");
        for s in 0..2 + rng.below(3) {
            if s > 0 {
                body.push(' ');
            }
            if rng.below(3) == 0 {
                body.push_str(rng.pick(REMARKS));
            } else {
                let who = fill(rng, BODIES, commune);
                let sentence = format!(
                    "{who} {} {} {}, {}.",
                    rng.pick(ACTS),
                    rng.pick(TOPICS),
                    fill(rng, PLACES, commune),
                    fill(rng, CLAUSES, commune)
                );
                body.push_str(&capitalise(&sentence));
            }
        }
        body.push_str("</p>");
    }
    (title, summary, body)
}

/// Adds `count` generated articles (published between 2015 and 2026) to the first unit
/// and its categories, then rebuilds the search index. Prints both timings.
pub async fn articles(db: &Db, count: u64) -> anyhow::Result<()> {
    let unit: i64 = db
        .fetch_optional(q("SELECT id FROM units ORDER BY id LIMIT 1"))
        .await?
        .ok_or_else(|| {
            anyhow::anyhow!("chưa có đơn vị nào (chạy danchu demo hoặc import units trước)")
        })?
        .get("id")?;
    let categories: Vec<i64> = danchu_db::portal::categories(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if categories.is_empty() {
        anyhow::bail!("chưa có chuyên mục nào (chạy danchu demo trước)");
    }
    let started = Instant::now();
    let mut rng = Rng(2023);
    let first = 1_420_070_400; // 01/01/2015
    let span = 1_767_225_600 - first; // to 01/01/2026
    let per_statement = 200u64;
    let mut done = 0u64;
    while done < count {
        let n = per_statement.min(count - done);
        let mut tx = db.begin().await?;
        let mut insert = q("INSERT INTO articles (unit_id, category_id, slug, title, title_key, summary, body, author, status, featured, published_at, views, created_at, updated_at) VALUES ");
        for i in 0..n {
            let (title, summary, body) = article(&mut rng);
            let at = first + (rng.next() % span as u64) as i64;
            let slug = format!("{}-{}", danchu_core::text::slugify(&title), done + i + 1);
            let b = (i * 12) as usize;
            insert = insert
                .push(&format!(
                    "{}(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, 'published', FALSE, ${}, ${}, ${}, ${})",
                    if i == 0 { "" } else { ", " },
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10,
                    b + 11,
                    b + 12
                ))
                .bind(unit)
                .bind(categories[rng.below(categories.len())])
                .bind(slug)
                .bind(title.as_str())
                .bind(danchu_core::text::fold(&title))
                .bind(summary)
                .bind(body)
                .bind("Phóng viên")
                .bind(at)
                .bind((rng.next() % 5000) as i64)
                .bind(at)
                .bind(at);
        }
        tx.execute(insert).await?;
        tx.commit().await?;
        done += n;
        if done.is_multiple_of(10_000) || done == count {
            eprintln!("  … {done}/{count}");
        }
    }
    println!(
        "Đã sinh {} bài viết trong {:.1} giây.",
        danchu_core::text::format_number(count as i64),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let n = danchu_db::search_index::rebuild(db).await?;
    println!(
        "Đã dựng chỉ mục tìm kiếm: {} mục trong {:.1} giây.",
        danchu_core::text::format_number(n as i64),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The ids of every commune, in order.
async fn commune_ids(db: &Db) -> anyhow::Result<Vec<i64>> {
    Ok(db
        .fetch_all(q("SELECT id FROM units WHERE kind = 'commune' ORDER BY id"))
        .await?
        .iter()
        .map(|r| r.get("id"))
        .collect::<Result<_, _>>()?)
}

/// The reporting benchmark (issue 5): a template of `indicators` indicators (integers,
/// decimals, yes/no, text; with a cross-field rule), a round for every commune in the
/// database, every commune's report submitted and accepted through the normal code path;
/// then times the consolidation and the XLSX export, which is what Phòng Nội vụ waits for.
pub async fn reports(db: &Db, indicators: usize) -> anyhow::Result<()> {
    use danchu_core::reporting::{
        Aggregation, Compare, CrossRule, Indicator, Kind, Period, Section, Step, TemplateBody,
    };
    use danchu_db::audit::Actor;
    use danchu_db::reporting as rep;
    let communes = commune_ids(db).await?;
    let office: i64 = db
        .fetch_optional(q("SELECT id FROM units ORDER BY id LIMIT 1"))
        .await?
        .ok_or_else(|| anyhow::anyhow!("chưa có đơn vị nào (chạy import units trước)"))?
        .get("id")?;
    let mut inds = Vec::with_capacity(indicators);
    for i in 0..indicators.max(2) {
        let (kind, agg) = match i % 6 {
            0..=2 => (Kind::Integer, Aggregation::Sum),
            3 => (Kind::Decimal, Aggregation::Average),
            4 => (Kind::YesNo, Aggregation::CountYes),
            _ => (Kind::Text, Aggregation::ListTexts),
        };
        inds.push(Indicator {
            code: format!("ct_{i:02}"),
            label: format!("Chỉ tiêu {}", i + 1),
            kind,
            unit: "cuộc".into(),
            required: agg != Aggregation::ListTexts,
            min: Some(0.0),
            max: None,
            aggregation: agg,
            source: None,
        });
    }
    let body = TemplateBody {
        sections: vec![Section {
            title: "I. Kết quả".into(),
            indicators: inds.clone(),
        }],
        rules: vec![CrossRule {
            left: "ct_01".into(),
            op: Compare::Le,
            right: "ct_00".into(),
        }],
    };
    let actor = Actor("bench".into());
    let started = Instant::now();
    let template = rep::create_template(db, &actor, office, "Mẫu đo hiệu năng", &body).await?;
    let round = rep::create_round(
        db,
        &actor,
        &rep::NewRound {
            template: Some((template.id, office)),
            title: format!(
                "Đợt đo hiệu năng: {} đơn vị × {} chỉ tiêu",
                communes.len(),
                inds.len()
            ),
            period: Period::FirstHalf { year: 2025 }.code(),
            cutoff: None,
            deadline: Some(time::macros::date!(2025 - 06 - 20)),
            units: communes.clone(),
        },
    )
    .await?;
    let mut rng = Rng(9);
    for unit in &communes {
        let mut typed = std::collections::BTreeMap::new();
        for i in &inds {
            let v = match i.kind {
                Kind::Integer if i.code == "ct_01" => (rng.below(500)).to_string(),
                Kind::Integer => (500 + rng.below(1000)).to_string(),
                Kind::Decimal => format!("{},{}", rng.below(100), rng.below(10)),
                Kind::YesNo => if rng.below(2) == 0 { "Có" } else { "Không" }.to_string(),
                _ => String::new(),
            };
            typed.insert(i.code.clone(), v);
        }
        let rep::Saved::Done(sub) =
            rep::save(db, &actor, round.id, *unit, &typed, Step::Submit).await?
        else {
            anyhow::bail!("generated report refused");
        };
        rep::decide(db, &actor, sub.id, Step::Accept, "")
            .await?
            .map_err(|e| anyhow::anyhow!(e))?;
    }
    println!(
        "Đã tạo đợt báo cáo với {} đơn vị × {} chỉ tiêu (nộp và tiếp nhận) trong {:.1} giây.",
        danchu_core::text::format_number(communes.len() as i64),
        inds.len(),
        started.elapsed().as_secs_f64()
    );
    for pass in 1..=3 {
        let t = Instant::now();
        let c = rep::consolidate(db, round.id, false).await?;
        let consolidated = t.elapsed();
        let period = "6 tháng đầu năm 2025";
        let xlsx = danchu_web::reporting::export::xlsx::consolidation_xlsx(&round, period, &c)
            .map_err(|e| anyhow::anyhow!("xlsx: {e}"))?;
        println!(
            "Lần {pass}: tổng hợp {:.0} ms, xuất XLSX {:.0} ms ({} KB), cộng {:.0} ms.",
            consolidated.as_secs_f64() * 1000.0,
            (t.elapsed() - consolidated).as_secs_f64() * 1000.0,
            xlsx.len() / 1024,
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

/// Benchmark data for the disclosure register (issue 7): `per_unit` disclosures for every
/// commune in 2025 — the budget's seven recurring obligations (most on time, some late,
/// some missing) and other categories — with versions and channels, written in bulk
/// (no audit entries or search index: this is measurement data, not history). Also a
/// province administrator `bench.tinh` (password `danchu-bench-2025`) for the dashboard.
pub async fn disclosures(db: &Db, per_unit: usize) -> anyhow::Result<()> {
    let communes = commune_ids(db).await?;
    let province: i64 = db
        .fetch_optional(q(
            "SELECT id FROM units WHERE kind = 'province' ORDER BY id LIMIT 1",
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("chưa có đơn vị nào (chạy import units trước)"))?
        .get("id")?;
    let plan = DisclosurePlan::load(db).await?;
    let started = Instant::now();
    let mut rng = Rng(7);
    let mut n = 0u64;
    for chunk in communes.chunks(200) {
        let mut tx = db.begin().await?;
        for unit in chunk {
            for i in 0..per_unit {
                let Some(d) = plan.draw(&mut rng, *unit, i) else {
                    continue; // missing
                };
                insert_disclosure(&mut tx, &d).await?;
                n += 1;
            }
        }
        tx.commit().await?;
    }
    bench_province_admin(db, province).await?;
    println!(
        "Đã tạo {} nội dung công khai cho {} đơn vị trong {:.1} giây; tài khoản bench.tinh quản trị tỉnh #{province}.",
        danchu_core::text::format_number(n as i64),
        danchu_core::text::format_number(communes.len() as i64),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What the generated disclosures are drawn from: the commune categories, the budget's
/// (item 2) recurring periods of 2025.
struct DisclosurePlan {
    budget: i64,
    budget_cat: danchu_core::disclosures::Category,
    others: Vec<i64>,
    broadcast: Vec<i64>,
    periods: Vec<danchu_core::disclosures::DuePeriod>,
    start_2025: time::Date,
}

/// One generated disclosure, before it is written.
struct Drawn {
    unit: i64,
    category: i64,
    period: String,
    title: String,
    versions: i64,
    posted: time::Date,
    /// The take-down day ("" when still up).
    taken_down: String,
    /// Its forms: channel, from, to ("" when open).
    forms: Vec<(Channel, time::Date, String)>,
}

fn day(d: time::Date) -> String {
    danchu_core::text::iso_date(d)
}

impl DisclosurePlan {
    async fn load(db: &Db) -> anyhow::Result<DisclosurePlan> {
        use danchu_core::disclosures::{DuePeriod, Every};
        // Communes post under the commune list only (R46).
        let cats: Vec<_> = danchu_db::disclosures::categories(db)
            .await?
            .into_iter()
            .filter(|c| c.1.scope == danchu_core::disclosures::COMMUNE)
            .collect();
        let (budget, budget_cat) = cats
            .iter()
            .find(|c| c.1.item == 2)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("danh mục 2 chưa có"))?;
        let others: Vec<i64> = cats.iter().filter(|c| c.1.item != 2).map(|c| c.0).collect();
        let broadcast: Vec<i64> = cats
            .iter()
            .filter(|c| c.1.broadcast_days > 0)
            .map(|c| c.0)
            .collect();
        let periods: Vec<DuePeriod> = [Every::Quarter, Every::HalfYear, Every::Year]
            .into_iter()
            .flat_map(|e| DuePeriod::of_year(e, 2025))
            .collect();
        let start_2025 = time::Date::from_calendar_date(2025, time::Month::January, 1)?;
        Ok(DisclosurePlan {
            budget,
            budget_cat,
            others,
            broadcast,
            periods,
            start_2025,
        })
    }

    /// The `i`-th disclosure of `unit`: first the budget's periods (most on time, one in
    /// ten late, one in twenty missing: `None`), then other categories on random days.
    fn draw(&self, rng: &mut Rng, unit: i64, i: usize) -> Option<Drawn> {
        let (category, period, posted) = if i < self.periods.len() {
            let p = self.periods[i];
            let due = self.budget_cat.due_on(&p).unwrap_or(self.start_2025);
            let roll = rng.below(100);
            if roll < 5 {
                return None;
            }
            let posted = if roll < 15 {
                due + time::Duration::days(1 + rng.below(20) as i64)
            } else {
                due - time::Duration::days(rng.below(5) as i64)
            };
            (self.budget, p.code(), posted)
        } else {
            let c = self.others[rng.below(self.others.len())];
            (
                c,
                String::new(),
                self.start_2025 + time::Duration::days(rng.below(365) as i64),
            )
        };
        let taken_down = if rng.below(10) == 0 {
            day(posted + time::Duration::days(10 + rng.below(60) as i64))
        } else {
            String::new()
        };
        let versions = 1 + (rng.below(5) == 0) as i64;
        // Posted on the board and the portal; items 7–12 also broadcast (one in
        // ten for two days only, R7) and sent through the heads of thôn.
        let mut forms = vec![
            (Channel::NoticeBoard, posted, taken_down.clone()),
            (Channel::Portal, posted, taken_down.clone()),
        ];
        if self.broadcast.contains(&category) {
            let days = if rng.below(10) == 0 { 1 } else { 2 };
            forms.push((
                Channel::Broadcast,
                posted,
                day(posted + time::Duration::days(days)),
            ));
            forms.push((Channel::CommunityHeads, posted, day(posted)));
        }
        Some(Drawn {
            unit,
            category,
            period,
            title: format!("Nội dung công khai số {i} của đơn vị {unit}"),
            versions,
            posted,
            taken_down,
            forms,
        })
    }
}

/// Writes one generated disclosure: its row, its versions, its forms and their summary.
async fn insert_disclosure(tx: &mut danchu_db::Tx, d: &Drawn) -> anyhow::Result<()> {
    let id: i64 = tx
        .fetch_optional(
            q("INSERT INTO disclosures (unit_id, category_id, period, title, version, posted_on, taken_down_on, takedown_reason, public, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, 0, 0) RETURNING id")
                .bind(d.unit)
                .bind(d.category)
                .bind(d.period.clone())
                .bind(&d.title)
                .bind(d.versions)
                .bind(day(d.posted))
                .bind(d.taken_down.clone())
                .bind(if d.taken_down.is_empty() { "" } else { "Hết thời hạn" }),
        )
        .await?
        .ok_or_else(|| anyhow::anyhow!("insert"))?
        .get("id")?;
    for v in 1..=d.versions {
        tx.execute(
            q("INSERT INTO disclosure_versions (disclosure_id, version, title, body, change_note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, 'bench', 0)")
                .bind(id)
                .bind(v)
                .bind(&d.title)
                .bind("<p>Nội dung công khai (dữ liệu đo hiệu năng).</p>")
                .bind(if v > 1 { "Đính chính số liệu" } else { "" }),
        )
        .await?;
    }
    let used: Vec<danchu_core::disclosures::UsedChannel> = d
        .forms
        .iter()
        .map(|(c, from, to)| (*c, Some(*from), danchu_core::text::parse_date(to)))
        .collect();
    for (channel, from, to) in &d.forms {
        tx.execute(
            q("INSERT INTO disclosure_channels (disclosure_id, channel, starts_on, ends_on, evidence, created_by, created_at) VALUES ($1, $2, $3, $4, '', 'bench', 0)")
                .bind(id)
                .bind(channel.code())
                .bind(day(*from))
                .bind(to.clone()),
        )
        .await?;
    }
    let summary = danchu_core::disclosures::FormsUsed::of(&used);
    tx.execute(
        q("UPDATE disclosures SET forms_mask = $1, broadcast_run = $2 WHERE id = $3")
            .bind(summary.mask)
            .bind(summary.broadcast_run)
            .bind(id),
    )
    .await?;
    Ok(())
}

/// The province administrator `bench.tinh` (password `danchu-bench-2025`), made once.
async fn bench_province_admin(db: &Db, province: i64) -> anyhow::Result<()> {
    let hash = tokio::task::spawn_blocking(|| danchu_db::users::hash_password("danchu-bench-2025"))
        .await??;
    let actor = danchu_db::audit::Actor("bench".into());
    let user = match danchu_db::users::by_username(db, "bench.tinh").await? {
        Some((u, _)) => u,
        None => {
            danchu_db::users::create(
                db,
                &actor,
                "bench.tinh",
                "Quản trị tỉnh (đo hiệu năng)",
                &hash,
            )
            .await?
        }
    };
    danchu_db::users::grant(
        db,
        &actor,
        user.id,
        danchu_core::roles::Role::UnitAdmin,
        Some(province),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_vietnamese_and_repeatable() {
        let (t1, s1, b1) = article(&mut Rng(7));
        let (t2, _, _) = article(&mut Rng(7));
        assert_eq!(t1, t2, "same seed, same article");
        assert!(s1.starts_with(&t1));
        assert!(b1.starts_with("<p>") && b1.ends_with("</p>"));
        let words = danchu_core::search::words(&danchu_core::html::to_text(&b1)).len();
        assert!((40..2000).contains(&words), "{words} words");
        assert_eq!(danchu_core::text::nfc(&b1), b1, "NFC");
    }
}
