//! The frame of every public page, whichever capability serves it: the category menu,
//! banners and link lists (the template `kit/portal_layout.html` shows them).

use danchu_db::portal::{Banner, Category, LinkGroup};

use crate::error::AppResult;
use crate::AppState;

/// What surrounds every portal page: the category menu, banners, link lists.
#[derive(Clone)]
pub struct Chrome {
    pub categories: Vec<Category>,
    pub banners: Vec<Banner>,
    pub links: Vec<LinkGroup>,
    /// (banner id, image file name) of banners that have an image.
    pub banner_images: Vec<(i64, String)>,
}

impl Chrome {
    /// The chrome, read from the database at most every few seconds (see [`super::cache::Memo`]).
    pub async fn load(state: &AppState) -> AppResult<Chrome> {
        let generation = state.cache.generation();
        if let Some(c) = state.chrome.get(generation) {
            return Ok((*c).clone());
        }
        let c = Chrome {
            categories: danchu_db::portal::categories(&state.db).await?,
            banners: danchu_db::portal::banners(&state.db, danchu_db::today_vn_date()).await?,
            links: danchu_db::portal::link_groups(&state.db).await?,
            banner_images: danchu_db::media::banner_images(&state.db).await?,
        };
        state.chrome.put(generation, std::sync::Arc::new(c.clone()));
        Ok(c)
    }

    fn category(&self, id: i64) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn category_name(&self, id: &i64) -> &str {
        self.category(*id).map_or("", |c| c.name.as_str())
    }

    pub fn banner_image(&self, id: &i64) -> Option<&str> {
        self.banner_images
            .iter()
            .find(|(b, _)| b == id)
            .map(|(_, n)| n.as_str())
    }

    pub fn category_slug(&self, id: &i64) -> &str {
        self.category(*id).map_or("", |c| c.slug.as_str())
    }
}
