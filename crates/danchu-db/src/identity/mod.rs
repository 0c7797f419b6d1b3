//! Identity: users with their password hashes and roles on units, sign-in sessions with
//! the sign-in throttle, signing in and out (`sign_in`), and API tokens.

pub mod api_tokens;
pub mod sessions;
pub mod sign_in;
pub mod users;
