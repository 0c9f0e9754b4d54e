//! forcelint: finds the OAuth and session policies in Salesforce metadata that make
//! server-to-server integrations fail in production.
//!
//! Data flows one way: `discover` → `xml` → `model` → `rules` → `engine` (filter, sort)
//! → `report`.

pub mod baseline;
pub mod config;
pub mod discover;
pub mod drift;
pub mod engine;
pub mod finding;
pub mod inventory;
pub mod ip;
pub mod model;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod xml;
