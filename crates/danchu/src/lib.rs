//! The `danchu` program: command line, configuration, serving, and the demo.

pub mod backup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod generate;
pub mod jobs;
pub mod notify;
pub mod serve;
