//! Follow-up for the health board (issue 6), as pure functions:
//!
//! - [`measures`]: the unit's measures for a period from one record of facts per
//!   patient (every definition in the module's documentation): referrals received and
//!   decided with reasons, waiting on the vårdgaranti clock, active and started plans,
//!   outcomes with the median reduction, aftercare, relapse and completeness at 6 and
//!   12 months, visits in person and digital; `Split` — vårdcentral, municipality,
//!   substance group, sex, age band;
//! - [`publish`]: the measures as published — split tables, trends by quarter, reach
//!   per municipality per 100,000 and costs against the annual budget, every count
//!   through [`suppress`], a rate only over a shown denominator of five or more;
//! - [`chart`]: the report's SVG charts: bars with plotters (hidden values drawn as
//!   hidden, many bars horizontal) and the map of reach, drawn by hand;
//! - [`labels`]: map names placed where they collide with nothing; the day route's map
//!   uses it too;
//! - [`basemap`]: the base map under every map (sea, Vänern and Vättern, Swedish land
//!   with municipal borders, Norway and Denmark), compiled in from
//!   `data/region/basemap.json`, which `scripts/basemap.py` makes from SCB (CC0) and
//!   Natural Earth (public domain); and `Frame`, the one projection a map and its base
//!   map share;
//! - [`suppress`]: cells under five people hidden so that no total gives them back: the
//!   totals treated as entries so that no row, column or line of totals hides exactly
//!   one — complementary suppression until none does;
//! - [`text`]: the measures' names and definitions (Swedish and English);
//! - [`stats`]: the nearest-rank median and percentiles the measures use.

pub mod basemap;
pub mod chart;
pub mod labels;
pub mod measures;
pub mod publish;
pub mod stats;
pub mod suppress;
pub mod text;
