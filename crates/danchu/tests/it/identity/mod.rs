//! Sign-in, sessions, roles scoped to units, throttling.

mod scope;
mod sessions;
mod throttle;
