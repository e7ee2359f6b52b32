//! Follow-up for the health board (issue 6), as pure functions:
//!
//! - [`measures`]: the unit's measures for a period from one record of facts per
//!   patient (every definition in the module's documentation);
//! - [`publish`]: the measures as published — split tables, trends by quarter, reach
//!   per municipality and costs, every count through [`suppress`];
//! - [`chart`]: the report's SVG charts (bars and the map of reach);
//! - [`basemap`]: the base map under every map (sea, lakes, land, municipal borders)
//!   and the projection maps share;
//! - [`suppress`]: cells under five people hidden so that no total gives them back;
//! - [`text`]: the measures' names and definitions (Swedish and English);
//! - [`stats`]: the median and percentiles the measures use.

pub mod basemap;
pub mod chart;
pub mod labels;
pub mod measures;
pub mod publish;
pub mod stats;
pub mod suppress;
pub mod text;
