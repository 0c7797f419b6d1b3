//! Periodic reporting in the database, over both backends: versioned templates, a round
//! with the R30 cut-off, the submission workflow and its forbidden steps, every version
//! kept, the dashboard (late, missing) and the consolidation.

mod evidence;
mod pages;
mod round_form;
mod rounds;
mod templates;
