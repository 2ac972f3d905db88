//! Shared widgets: formatting, relative times, freshness notes, copy buttons, charts.

pub mod chart;
pub mod clock;
pub mod copy;
pub mod format;
pub mod freshness;
pub mod search;
pub mod text;
pub mod widgets;
