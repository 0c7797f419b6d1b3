//! Portal demo data: the seed article of the Dầu Tiếng district portal exactly as
//! published, more district news, the banner, the three link lists and the visitor
//! totals from the seed page.

use danchu_db::audit::Actor;
use danchu_db::portal::{ArticleInput, Banner};
use danchu_db::Db;

/// The seed article (../shared/seed), paragraph by paragraph.
pub const SEED_TITLE: &str =
    "Kế hoạch thực hiện Quy chế dân chủ ở cơ sở năm 2023 trên địa bàn huyện Dầu Tiếng";
pub const SEED_AUTHOR: &str = "Anh Xê Ka";
pub const SEED_VIEWS: i64 = 1414;
pub const SEED_PARAGRAPHS: &[&str] = &[
    "Việc thực hiện Quy chế dân chủ đảm bảo tính công khai, minh bạch. Phát huy tốt quyền làm chủ của cán bộ, công chức, viên chức trong hoạt động của cơ quan gắn liền với sự hoạt động của Đảng, chấp hành nguyên tắc tập trung dân chủ, thực hiện chế độ thủ trưởng đặc biệt là nâng cao trách nhiệm của người đứng đầu. Thực hiện Quy chế dân chủ là nhiệm vụ quan trọng, thường xuyên, đặc biệt là trách nhiệm trong việc tiếp tục phổ biến, quán triệt đầy đủ chủ trương, quan điểm của Đảng, Nhà nước về những nội dung cơ bản của Quy chế dân chủ đến cán bộ, công chức, viên chức; đồng thời tăng cường sự lãnh đạo, chỉ đạo phối hợp thực hiện nhiệm vụ.",
    "Do đó, ngày 21/02/2023 Ủy ban nhân dân huyện Dầu Tiếng đã ban hành Kế hoạch số 22/KH-UBND để triển khai thực hiện Quy chế dân chủ ở cơ sở năm 2023 trên địa bàn huyện.",
    "Theo đó, tiếp tục tổ chức nâng cao chất lượng công tác thông tin, tuyên truyền để nâng cao nhận thức, tiếp cận thông tin, nhất là các chính sách, pháp luật liên quan trực tiếp để người dân tự giác thực thi pháp luật và thực hiện Quy chế dân chủ ở cơ sở; các cơ quan thông tin đại chúng phải đưa tin trung thực, phản biện khách quan và đúng bản chất của vấn đề.",
    "Bên cạnh đó, nâng cao vai trò, trách nhiệm của người đứng đầu và vai trò, trách nhiệm của cán bộ, công chức, viên chức trong thực hiện Quy chế dân chủ gắn với Nghị quyết Trung ương 4, khóa XII và Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị.",
    "Đồng thời, triển khai thực hiện Quy chế dân chủ phải gắn với nhiệm vụ phát triển kinh tế, xã hội, quốc phòng, an ninh của cơ quan, đơn vị, địa phương.",
    "UBND huyện giao Phòng Nội vụ hướng dẫn triển khai các quy định về thực hiện dân chủ trong hoạt động của cơ quan hành chính nhà nước, đơn vị sự nghiệp công lập và UBND các xã, thị trấn; tham mưu UBND huyện tổng hợp, báo cáo định kỳ kết quả thực hiện của các cơ quan, đơn vị và địa phương./.",
];
/// 10/03/2023 08:00 in Vietnam.
pub const SEED_PUBLISHED_AT: i64 = 1678410000;
/// The seed page's visitor statistics.
pub const SEED_TOTAL_VISITS: i64 = 3_848_496;
pub const SEED_TODAY: i64 = 663;

/// (slug-to-be category index, title, summary, paragraphs, author, day offset from the
/// seed article, views, featured)
type DemoArticle = (
    usize,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    i64,
    i64,
    bool,
);

const CATEGORIES: &[&str] = &[
    "Tin hoạt động",
    "Dân chủ ở cơ sở",
    "Kinh tế - Xã hội",
    "Văn hóa - Du lịch",
    "Thông báo",
];

const MORE: &[DemoArticle] = &[
    (1, "Hội nghị quán triệt Luật Thực hiện dân chủ ở cơ sở", "Cán bộ chủ chốt của huyện và các xã, thị trấn được phổ biến những điểm mới của Luật số 10/2022/QH15.",
     &["Sáng nay, UBND huyện Dầu Tiếng tổ chức hội nghị quán triệt Luật Thực hiện dân chủ ở cơ sở cho cán bộ chủ chốt của huyện và 12 xã, thị trấn.", "Báo cáo viên đã giới thiệu những nội dung người dân được biết, được bàn và quyết định, được tham gia ý kiến và được kiểm tra, giám sát; đồng thời lưu ý trách nhiệm công khai thông tin của chính quyền cấp xã."],
     "Phòng Nội vụ", -20, 936, true),
    (1, "Xã An Lập tổ chức hội nghị nhân dân bàn làm đường giao thông nông thôn", "Các hộ gia đình ở ấp biểu quyết mức đóng góp và phương án thi công tuyến đường liên ấp.",
     &["UBND xã An Lập phối hợp Ban Công tác Mặt trận ấp tổ chức hội nghị để các hộ gia đình bàn và quyết định việc đóng góp làm tuyến đường giao thông nông thôn.", "Kết quả biểu quyết được lập thành biên bản, niêm yết công khai tại nhà văn hóa ấp và trụ sở UBND xã."],
     "UBND xã An Lập", -12, 512, false),
    (1, "Công khai dự toán ngân sách năm 2023 của thị trấn Dầu Tiếng", "Dự toán thu, chi ngân sách được niêm yết tại trụ sở UBND thị trấn và đăng trên cổng thông tin.",
     &["Thực hiện quy định về công khai thông tin, UBND thị trấn Dầu Tiếng đã niêm yết dự toán ngân sách năm 2023 tại trụ sở và thông báo trên hệ thống truyền thanh.", "Người dân có ý kiến về nội dung công khai có thể gửi phản ánh trực tiếp hoặc qua cổng thông tin điện tử của huyện."],
     "UBND thị trấn Dầu Tiếng", -30, 745, false),
    (1, "Ra mắt Ban Thanh tra nhân dân xã Định Hiệp", "Ban Thanh tra nhân dân nhiệm kỳ mới sẽ giám sát việc thực hiện chính sách, pháp luật tại địa phương.",
     &["Ủy ban Mặt trận Tổ quốc Việt Nam xã Định Hiệp tổ chức ra mắt Ban Thanh tra nhân dân nhiệm kỳ mới gồm 7 thành viên.", "Ban sẽ giám sát việc giải quyết khiếu nại, tố cáo, kiến nghị của công dân và việc thực hiện quy chế dân chủ ở cơ sở."],
     "UBND xã Định Hiệp", 5, 388, false),
    (3, "Hồ Dầu Tiếng – điểm đến du lịch sinh thái", "Mặt hồ rộng, rừng phòng hộ và các đồi thấp tạo nên cảnh quan hấp dẫn du khách cuối tuần.",
     &["Hồ Dầu Tiếng là một trong những hồ thủy lợi lớn của cả nước, có cảnh quan đẹp và không khí trong lành.", "Huyện đang phối hợp các đơn vị liên quan để phát triển du lịch sinh thái gắn với bảo vệ rừng phòng hộ và nguồn nước."],
     "Trung tâm Văn hóa, Thông tin và Thể thao huyện", -25, 2210, true),
    (3, "Du lịch Núi Cậu - Dầu Tiếng vào mùa lễ hội", "Lễ hội Núi Cậu thu hút đông đảo người dân và du khách thập phương về dâng hương, tham quan.",
     &["Khu di tích Núi Cậu là điểm tham quan, chiêm bái quen thuộc của người dân Dầu Tiếng và du khách gần xa.", "Ban tổ chức bố trí lực lượng bảo đảm an ninh trật tự, vệ sinh môi trường và an toàn giao thông trong suốt thời gian diễn ra lễ hội."],
     "Trung tâm Văn hóa, Thông tin và Thể thao huyện", -3, 1675, false),
    (2, "Dầu Tiếng đẩy mạnh chuyển đổi số trong cải cách hành chính", "Nhiều thủ tục được tiếp nhận, giải quyết trực tuyến giúp người dân tiết kiệm thời gian đi lại.",
     &["Huyện Dầu Tiếng tiếp tục triển khai tiếp nhận hồ sơ trực tuyến và trả kết quả qua dịch vụ bưu chính công ích.", "Bộ phận một cửa các xã, thị trấn được trang bị thêm thiết bị để hỗ trợ người dân nộp hồ sơ trực tuyến."],
     "Văn phòng HĐND và UBND huyện", 8, 624, false),
    (4, "Thông báo lịch tiếp công dân tháng 3/2023", "Lãnh đạo UBND huyện tiếp công dân định kỳ tại Trụ sở tiếp công dân huyện.",
     &["UBND huyện Dầu Tiếng thông báo lịch tiếp công dân định kỳ của lãnh đạo UBND huyện trong tháng 3/2023.", "Công dân đến liên hệ mang theo giấy tờ tùy thân và các tài liệu liên quan đến nội dung khiếu nại, kiến nghị."],
     "Văn phòng HĐND và UBND huyện", -9, 310, false),
    (1, "Xã Minh Hòa lấy ý kiến nhân dân về dự thảo quy hoạch khu dân cư", "Người dân góp ý trực tiếp tại hội nghị hoặc bằng văn bản gửi UBND xã trong 30 ngày.",
     &["UBND xã Minh Hòa tổ chức lấy ý kiến nhân dân về dự thảo điều chỉnh quy hoạch khu dân cư tập trung.", "Sau khi hết thời hạn góp ý, UBND xã sẽ tổng hợp, giải trình và công khai kết quả tiếp thu ý kiến của người dân."],
     "UBND xã Minh Hòa", 12, 287, false),
    (4, "Hướng dẫn gửi phản ánh, kiến nghị qua cổng thông tin điện tử", "Người dân được cấp mã theo dõi để tra cứu tiến độ và kết quả trả lời.",
     &["Từ nay, người dân có thể gửi phản ánh, kiến nghị về các vấn đề ở địa phương qua cổng thông tin điện tử của huyện.", "Mỗi phản ánh được cấp một mã theo dõi; kết quả trả lời được gửi lại cho người dân và công khai nếu phù hợp."],
     "Văn phòng HĐND và UBND huyện", 15, 441, false),
    (0, "Long Hòa ra quân vệ sinh môi trường", "Đoàn viên, hội viên và người dân cùng thu gom rác thải, phát quang bụi rậm dọc các tuyến đường.",
     &["Hưởng ứng phong trào bảo vệ môi trường, xã Long Hòa tổ chức ra quân vệ sinh môi trường tại các ấp.", "Các hộ gia đình được vận động phân loại rác tại nguồn và giữ gìn cảnh quan nơi cư trú."],
     "UBND xã Long Hòa", 11, 198, false),
    (1, "Sơ kết thực hiện Quy chế dân chủ ở cơ sở quý I/2023", "Phòng Nội vụ tổng hợp báo cáo của các cơ quan, đơn vị và 12 xã, thị trấn.",
     &["Phòng Nội vụ huyện đã tổng hợp báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở quý I/2023 của các cơ quan, đơn vị và địa phương.", "Hầu hết các đơn vị đã gửi báo cáo đúng hạn; một số đơn vị được đề nghị bổ sung số liệu về hội nghị nhân dân và công khai thông tin."],
     "Phòng Nội vụ", 25, 356, false),
    (2, "Thanh Tuyền phát triển vườn cây ăn trái", "Nhiều hộ chuyển đổi diện tích cao su kém hiệu quả sang trồng cây ăn trái.",
     &["Xã Thanh Tuyền hỗ trợ nông dân chuyển đổi cơ cấu cây trồng, hình thành các vườn cây ăn trái tập trung.", "Địa phương khuyến khích liên kết tiêu thụ sản phẩm và từng bước gắn với du lịch trải nghiệm."],
     "UBND xã Thanh Tuyền", 18, 402, false),
];

fn paragraphs(ps: &[&str]) -> String {
    ps.iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads the portal demo data once.
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    if super::seeded(db, "demo_portal_seeded").await? {
        return Ok(());
    }
    let actor = Actor("demo".into());
    let district = super::unit_id(db, "721").await?;
    let mut tx = db.begin().await?;
    let mut cats = Vec::new();
    for (i, name) in CATEGORIES.iter().enumerate() {
        cats.push(
            danchu_db::portal::create_category(&mut tx, &actor, district, name, i as i64).await?,
        );
    }
    let seed = ArticleInput {
        unit_id: district,
        category_id: cats[1].id,
        title: SEED_TITLE.into(),
        summary: String::new(),
        body: danchu_core::html::sanitize(&paragraphs(SEED_PARAGRAPHS)),
        author: SEED_AUTHOR.into(),
        status: "published".into(),
        featured: true,
        published_at: Some(SEED_PUBLISHED_AT),
    };
    danchu_db::portal::insert_article(&mut tx, &actor, &seed, SEED_VIEWS).await?;
    let mut tourism_slug = String::new();
    for (cat, title, summary, ps, author, days, views, featured) in MORE {
        let a = ArticleInput {
            unit_id: district,
            category_id: cats[*cat].id,
            title: title.to_string(),
            summary: summary.to_string(),
            body: danchu_core::html::sanitize(&paragraphs(ps)),
            author: author.to_string(),
            status: "published".into(),
            featured: *featured,
            published_at: Some(SEED_PUBLISHED_AT + days * 86_400 + 3_600),
        };
        let created = danchu_db::portal::insert_article(&mut tx, &actor, &a, *views).await?;
        if title.starts_with("Du lịch Núi Cậu") {
            tourism_slug = created.slug;
        }
    }
    let banner = Banner {
        id: 0,
        unit_id: district,
        title: "Du lịch Núi Cậu - Dầu Tiếng".into(),
        link_url: format!("/bai-viet/{tourism_slug}"),
        valid_from: None,
        valid_to: None,
        position: 0,
    };
    danchu_db::portal::create_banner(&mut tx, &actor, &banner).await?;
    // Link targets are public government sites; a district checks and edits them in the admin.
    danchu_db::portal::create_link_group(
        &mut tx,
        &actor,
        district,
        "Liên kết website",
        0,
        &[
            ("Cổng Thông tin điện tử Chính phủ", "https://chinhphu.vn"),
            ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"),
            (
                "Cổng thông tin điện tử tỉnh Bình Dương",
                "https://www.binhduong.gov.vn",
            ),
        ],
    )
    .await?;
    danchu_db::portal::create_link_group(
        &mut tx,
        &actor,
        district,
        "Các Sở, Ban ngành",
        1,
        &[
            ("Bộ Nội vụ", "https://moha.gov.vn"),
            ("Bộ Tư pháp", "https://moj.gov.vn"),
            ("Bộ Tài chính", "https://mof.gov.vn"),
        ],
    )
    .await?;
    danchu_db::portal::create_link_group(
        &mut tx,
        &actor,
        district,
        "Các Trang khác",
        2,
        &[
            ("Quốc hội nước CHXHCN Việt Nam", "https://quochoi.vn"),
            (
                "Cơ sở dữ liệu quốc gia về văn bản pháp luật",
                "https://vbpl.vn",
            ),
            ("Công báo Chính phủ", "https://congbao.chinhphu.vn"),
        ],
    )
    .await?;
    danchu_db::settings::set_once(
        &mut tx,
        "site_name",
        "Cổng thông tin điện tử huyện Dầu Tiếng",
    )
    .await?;
    // Visitor history: the last four weeks of daily views and, for today, the seed's
    // figure; everything before is carried over so the total is the seed's 3.848.496.
    let today = time::OffsetDateTime::now_utc()
        .to_offset(danchu_core::text::VN_OFFSET)
        .date();
    let mut days_total = 0;
    for back in 0..28i64 {
        let day = today - time::Duration::days(back);
        let visits = if back == 0 {
            SEED_TODAY
        } else {
            4_200 + (back * 379) % 1_700
        };
        days_total += visits;
        danchu_db::portal::insert_visit_day(&mut tx, &danchu_core::text::iso_date(day), visits)
            .await?;
    }
    danchu_db::portal::set_visit_base(&mut tx, SEED_TOTAL_VISITS - days_total).await?;
    danchu_db::settings::set_once(&mut tx, "demo_portal_seeded", "1").await?;
    tx.commit().await?;
    seed_documents(db, &actor, district).await
}

/// The documents of the demo library; the seed article cites Plan 22/KH-UBND.
async fn seed_documents(db: &Db, actor: &Actor, district: i64) -> anyhow::Result<()> {
    use danchu_db::documents::DocumentInput;
    let docs = [
        (
            "10/2022/QH15",
            "luat",
            "Quốc hội",
            "2022-11-10",
            Some("2023-07-01"),
            "Chủ tịch Quốc hội",
            "Dân chủ ở cơ sở",
            "Luật Thực hiện dân chủ ở cơ sở",
        ),
        (
            "05-CT/TW",
            "chi-thi",
            "Bộ Chính trị",
            "2016-05-15",
            None,
            "Bộ Chính trị",
            "Công tác Đảng",
            "Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        ),
        (
            "22/KH-UBND",
            "ke-hoach",
            "UBND huyện Dầu Tiếng",
            "2023-02-21",
            Some("2023-02-21"),
            "Lãnh đạo UBND huyện (dữ liệu demo)",
            "Dân chủ ở cơ sở",
            "Triển khai thực hiện Quy chế dân chủ ở cơ sở năm 2023 trên địa bàn huyện Dầu Tiếng",
        ),
    ];
    let mut plan = None;
    for (number, kind, issuer, issued_on, effective_on, signer, field, summary) in docs {
        let d = danchu_db::documents::create(
            db,
            actor,
            &DocumentInput {
                unit_id: district,
                number: number.into(),
                kind: kind.into(),
                issuer: issuer.into(),
                issued_on: danchu_core::text::parse_date(issued_on),
                effective_on: effective_on.and_then(danchu_core::text::parse_date),
                signer: signer.into(),
                field: field.into(),
                summary: summary.into(),
                status: "in_force".into(),
            },
        )
        .await?;
        if number == "22/KH-UBND" {
            plan = Some(d.id);
        }
    }
    if let (Some(plan), Some(seed)) = (
        plan,
        danchu_db::portal::article_by_slug(db, &danchu_core::text::slugify(SEED_TITLE)).await?,
    ) {
        danchu_db::documents::set_article_documents(db, actor, seed.id, &[plan]).await?;
    }
    Ok(())
}
