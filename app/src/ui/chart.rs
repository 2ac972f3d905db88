//! A step chart in SVG, rendered on the server: a value that holds until its next recorded
//! change (voting power over time). Readable without JavaScript.

use super::format;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 32.0;

/// The geometry of a step chart, kept apart from the markup so it can be tested.
#[derive(Debug, PartialEq)]
pub struct StepGeometry {
    pub line: String,
    pub area: String,
    pub markers: Vec<(f64, f64)>,
    pub y_min: f64,
    pub y_max: f64,
}

pub fn step_geometry(points: &[(DateTime<Utc>, f64)], end: DateTime<Utc>) -> Option<StepGeometry> {
    let first = points.first()?;
    let start = first.0.timestamp_millis() as f64;
    let stop = (end.timestamp_millis() as f64).max(start + 1.0);
    let (mut lo, mut hi) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let pad = if hi > lo {
        (hi - lo) * 0.1
    } else {
        hi.abs().max(1.0) * 0.01
    };
    lo = (lo - pad).max(0.0);
    hi += pad;
    let x = |t: DateTime<Utc>| {
        LEFT + (t.timestamp_millis() as f64 - start) / (stop - start) * (WIDTH - LEFT - RIGHT)
    };
    let y = |v: f64| TOP + (hi - v) / (hi - lo) * (HEIGHT - TOP - BOTTOM);
    let markers: Vec<(f64, f64)> = points.iter().map(|p| (x(p.0), y(p.1))).collect();
    let mut line = format!("M{:.1},{:.1}", markers[0].0, markers[0].1);
    for (px, py) in markers.iter().skip(1) {
        line.push_str(&format!(" H{px:.1} V{py:.1}"));
    }
    line.push_str(&format!(" H{:.1}", WIDTH - RIGHT));
    let area = format!("{line} V{:.1} H{LEFT:.1} Z", HEIGHT - BOTTOM);
    Some(StepGeometry {
        line,
        area,
        markers,
        y_min: lo,
        y_max: hi,
    })
}

#[component]
pub fn StepChart(
    points: Vec<(DateTime<Utc>, f64)>,
    end: DateTime<Utc>,
    label: String,
    unit: String,
) -> impl IntoView {
    let Some(geometry) = step_geometry(&points, end) else {
        return view! { <p class="chart-empty">"No history recorded yet."</p> }.into_any();
    };
    let start = points[0].0;
    let markers = points
        .iter()
        .zip(geometry.markers.iter())
        .map(|((at, value), (cx, cy))| {
            let tip = format!("{}: {} {unit}", format::datetime(*at), format::group_thousands(*value, 0));
            view! { <circle cx=format!("{cx:.1}") cy=format!("{cy:.1}") r="3.5"><title>{tip}</title></circle> }
        })
        .collect_view();
    let summary = match points.len() {
        1 => format!(
            "{label}: one value recorded, on {}; a new point is added when it changes",
            format::datetime(start)
        ),
        n => format!(
            "{label}: {n} values recorded since {}",
            format::datetime(start)
        ),
    };
    view! {
        <figure class="chart" data-testid="voting-power-chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=summary.clone()>
                <line class="axis" x1=LEFT y1=TOP x2=LEFT y2=HEIGHT - BOTTOM></line>
                <line class="axis" x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH - RIGHT y2=HEIGHT - BOTTOM></line>
                <text class="tick" x=LEFT - 6.0 y=TOP + 4.0 text-anchor="end">{format::compact(geometry.y_max)}</text>
                <text class="tick" x=LEFT - 6.0 y=HEIGHT - BOTTOM text-anchor="end">{format::compact(geometry.y_min)}</text>
                <text class="tick" x=LEFT y=HEIGHT - 10.0>{axis_time(start, end, start)}</text>
                <text class="tick" x=WIDTH - RIGHT y=HEIGHT - 10.0 text-anchor="end">{axis_time(start, end, end)}</text>
                <path class="area" d=geometry.area></path>
                <path class="line" d=geometry.line></path>
                {markers}
            </svg>
            <figcaption>{summary}</figcaption>
        </figure>
    }
    .into_any()
}

/// Dates on the time axis; times too when the chart spans less than two days.
fn axis_time(start: DateTime<Utc>, end: DateTime<Utc>, at: DateTime<Utc>) -> String {
    if end - start < chrono::Duration::days(2) {
        format::datetime(at)
    } else {
        format::date(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn steps_hold_until_the_next_change_and_run_to_the_end() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let points = [(t0, 100.0), (t0 + chrono::Duration::hours(1), 200.0)];
        let g = step_geometry(&points, t0 + chrono::Duration::hours(2)).unwrap();
        assert_eq!(g.markers.len(), 2);
        assert_eq!(g.markers[0].0, LEFT);
        assert!((g.markers[1].0 - (LEFT + (WIDTH - LEFT - RIGHT) / 2.0)).abs() < 0.01);
        assert!(
            g.markers[1].1 < g.markers[0].1,
            "a larger value is drawn higher"
        );
        assert!(g.line.ends_with(&format!("H{:.1}", WIDTH - RIGHT)));
        assert!(g.y_min < 100.0 && g.y_max > 200.0);
    }

    #[test]
    fn a_single_point_draws_a_flat_line() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let g = step_geometry(&[(t0, 50.0)], t0).unwrap();
        assert!(g.y_min < 50.0 && g.y_max > 50.0);
        assert_eq!(step_geometry(&[], t0), None);
    }
}
