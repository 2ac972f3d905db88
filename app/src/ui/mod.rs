//! Shared widgets: formatting, chain text, relative times, copy buttons, charts, search, and
//! the browser side every page shares (the boot links, live regions, page-wide behaviours).

pub mod boot;
pub mod chart;
pub mod clock;
pub mod copy;
pub mod enhance;
pub mod format;
pub mod live;
pub mod search;
pub mod text;
pub mod widgets;
