//! Shared widgets: formatting, chain text, relative times, copy buttons, charts, search.

pub mod chart;
pub mod clock;
pub mod copy;
pub mod format;
pub mod search;
pub mod text;
pub mod widgets;
