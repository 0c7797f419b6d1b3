//! Identity: who may do what. Users, sessions, sign-in and API tokens live in the
//! database and web layers; the pure part is the one authorisation rule in [`roles`].

pub mod roles;

pub use roles::{allows, can_grant, permits, Action, Grant, Role};
