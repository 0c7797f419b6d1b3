//! The register of the user's units.

use askama::Template;
use axum::response::Html;
use danchu_core::disclosures::Category;
use danchu_core::roles::Action;
use danchu_db::disclosures::Disclosure;

use crate::error::AppResult;
use crate::layout::Ctx;
use crate::layout::Signed;

#[derive(Template)]
#[template(path = "disclosures/admin/disclosures.html")]
struct ListPage {
    ctx: Ctx,
    items: Vec<Disclosure>,
    categories: Vec<(i64, Category)>,
    today: time::Date,
    can_post: bool,
}

impl ListPage {
    fn state(&self, d: &Disclosure) -> String {
        let c = self
            .categories
            .iter()
            .find(|c| c.0 == d.category_id)
            .map(|c| &c.1);
        crate::disclosures::posting_state(d, c, self.today)
    }
    fn item(&self, id: &i64) -> i64 {
        self.categories
            .iter()
            .find(|c| c.0 == *id)
            .map_or(0, |c| c.1.item)
    }
}

pub(super) async fn list(Signed { state, ctx, auth }: Signed) -> AppResult<Html<String>> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let units = crate::auth::editable_units(&state, &auth).await?;
    let today = danchu_db::today_vn_date();
    let filter = danchu_db::disclosures::Filter {
        units: units.clone(),
        ..Default::default()
    };
    let items = danchu_db::disclosures::list(&state.db, &filter, today, 200, 0).await?;
    Ok(Html(
        ListPage {
            ctx,
            items,
            categories: danchu_db::disclosures::categories(&state.db).await?,
            today,
            can_post: auth.may_somewhere(Action::EditContent),
        }
        .render()?,
    ))
}
