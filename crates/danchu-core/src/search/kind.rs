//! What the search index holds: each kind of thing is a [`Kind`] arm, a cross-capability
//! hook. The web's results match on it exhaustively, so a capability that adds a kind to
//! the index fails to compile until its results can be shown.

/// A kind of thing in the search index, by its code there (`search_docs.kind`) and in the
/// search page's `loai` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `bai-viet`: a portal article.
    Article,
    /// `van-ban`: a document of the library.
    Document,
    /// `cong-khai`: a public disclosure.
    Disclosure,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Article, Kind::Document, Kind::Disclosure];

    pub const fn code(self) -> &'static str {
        match self {
            Kind::Article => "bai-viet",
            Kind::Document => "van-ban",
            Kind::Disclosure => "cong-khai",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_their_codes() {
        crate::assert_codes(&Kind::ALL, Kind::code, Kind::parse, "tin");
    }
}
