//! Charts drawn on the server as SVG, for the reports page: a line chart (a line per series over
//! categories such as months), a column chart (a histogram) and a horizontal bar chart. No script, no
//! chart library: each chart is one well-formed `<svg>` element, inlined in the page, with its title,
//! axis labels, and a `<title>` on every data point that browsers show on hover and screen readers
//! read.
//!
//! The builder knows no language: every text (titles, labels, tick labels, each point's title) comes
//! from the caller, which takes it from Fluent. Colours are presentation attributes, so the page's
//! Content-Security-Policy (no inline styles) holds.

use std::fmt::Write;

/// Width and height of every chart's view box (it scales with the page).
const W: f64 = 720.0;
const H: f64 = 320.0;
/// Margins: left (tick labels and the y label), right, top, bottom (x labels and the x label).
const L: f64 = 72.0;
const R: f64 = 16.0;
const T: f64 = 16.0;
const B: f64 = 64.0;

/// Series colours, distinguishable for the common colour blindnesses (Okabe–Ito).
const PALETTE: [&str; 8] = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];

/// One value of a chart with the title a reader sees on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub value: f64,
    pub title: String,
}

/// A line: its name (the legend) and a value per category, `None` where it has none.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<Option<Point>>,
}

/// What every chart has: its title (the `<title>` of the `<svg>`) and its axis labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame<'a> {
    /// `id` of the `<svg>` element.
    pub id: &'a str,
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
}

/// A bar: its category label, value and title; `marked` bars are drawn in the warning colour. A
/// horizontal bar may carry a second part stacked after the first (`more`), in the next colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub point: Point,
    pub marked: bool,
    pub more: Option<Point>,
}

/// Text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 does not allow (a stray control character in a backend's name).
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A number for a coordinate: two decimals at most, no exponent.
fn n(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A "nice" top of the value axis and its step: 1, 2 or 5 × 10^k, five steps or fewer; at least
/// `floor` (so an all-zero chart still has an axis).
pub fn nice_scale(max: f64, floor: f64) -> (f64, f64) {
    let max = if max.is_finite() { max.max(floor) } else { floor };
    if max <= 0.0 {
        return (1.0, 0.2);
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw - 1e-12).unwrap_or(10.0 * mag);
    ((max / step - 1e-9).ceil() * step, step)
}

fn open(out: &mut String, f: &Frame, kind: &str) {
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" id="{id}" class="chart chart-{kind}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{title}</title>"##,
        id = escape(f.id),
        w = n(W),
        h = n(H),
        title = escape(f.title)
    );
}

/// Axes, the value axis's ticks and grid lines (vertical: values go up; horizontal: values go right),
/// and the two axis labels.
fn axes(out: &mut String, f: &Frame, top: f64, step: f64, fmt: &dyn Fn(f64) -> String, horizontal: bool, x0: f64) {
    let (x1, y0, y1) = (W - R, H - B, T);
    out.push_str(r##"<g class="axes" stroke="#5d6778" stroke-width="1">"##);
    let _ = write!(out, r##"<line class="axis x-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>"##, n(x0), n(y0), n(x1), n(y0));
    let _ = write!(out, r##"<line class="axis y-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>"##, n(x0), n(y0), n(x0), n(y1));
    out.push_str("</g>");
    out.push_str(r##"<g class="ticks value-ticks" font-size="11" fill="#5d6778">"##);
    let steps = (top / step).round() as usize;
    for i in 0..=steps {
        let v = step * i as f64;
        if horizontal {
            let x = x0 + (x1 - x0) * v / top;
            let _ = write!(
                out,
                r##"<g class="tick"><line class="grid" x1="{x}" y1="{y0}" x2="{x}" y2="{y1}" stroke="#d9dee6"/><text x="{x}" y="{ty}" text-anchor="middle">{label}</text></g>"##,
                x = n(x),
                y0 = n(y0),
                y1 = n(y1),
                ty = n(y0 + 16.0),
                label = escape(&fmt(v))
            );
        } else {
            let y = y0 - (y0 - y1) * v / top;
            let _ = write!(
                out,
                r##"<g class="tick"><line class="grid" x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="#d9dee6"/><text x="{tx}" y="{ty}" text-anchor="end">{label}</text></g>"##,
                x0 = n(x0),
                x1 = n(x1),
                y = n(y),
                tx = n(x0 - 6.0),
                ty = n(y + 4.0),
                label = escape(&fmt(v))
            );
        }
    }
    out.push_str("</g>");
    let _ = write!(
        out,
        r##"<text class="axis-label x-label" x="{}" y="{}" text-anchor="middle" font-size="12" fill="#1d2430">{}</text>"##,
        n((x0 + x1) / 2.0),
        n(H - 8.0),
        escape(f.x_label)
    );
    let (cx, cy) = (14.0, (y0 + y1) / 2.0);
    let _ = write!(
        out,
        r##"<text class="axis-label y-label" x="{cx}" y="{cy}" transform="rotate(-90 {cx} {cy})" text-anchor="middle" font-size="12" fill="#1d2430">{}</text>"##,
        escape(f.y_label),
        cx = n(cx),
        cy = n(cy)
    );
}

/// A line per series over the categories `x` (left to right), values from 0 up; a point where a
/// series has a value, joined to the series's next point by its line.
pub fn line_chart(f: &Frame, x: &[String], series: &[Series], fmt: &dyn Fn(f64) -> String) -> String {
    let max = series.iter().flat_map(|s| s.points.iter().flatten()).map(|p| p.value).fold(0.0, f64::max);
    let (top, step) = nice_scale(max, 0.0);
    let mut out = String::new();
    open(&mut out, f, "line");
    axes(&mut out, f, top, step, fmt, false, L);
    let (x0, x1, y0, y1) = (L, W - R, H - B, T);
    // Categories sit in the middle of equal slots.
    let slot = (x1 - x0) / x.len().max(1) as f64;
    let cx = |i: usize| x0 + slot * (i as f64 + 0.5);
    let cy = |v: f64| y0 - (y0 - y1) * (v.max(0.0) / top);
    out.push_str(r##"<g class="ticks category-ticks" font-size="11" fill="#5d6778">"##);
    for (i, label) in x.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text class="category" x="{}" y="{}" text-anchor="middle">{}</text>"##,
            n(cx(i)),
            n(y0 + 16.0),
            escape(label)
        );
    }
    out.push_str("</g>");
    for (k, s) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let _ =
            write!(out, r##"<g class="series" data-series="{}" fill="{colour}" stroke="{colour}">"##, escape(&s.name));
        let placed: Vec<(f64, f64, &Point)> =
            s.points.iter().enumerate().filter_map(|(i, p)| p.as_ref().map(|p| (cx(i), cy(p.value), p))).collect();
        if placed.len() > 1 {
            let coords: Vec<String> = placed.iter().map(|(x, y, _)| format!("{},{}", n(*x), n(*y))).collect();
            let _ =
                write!(out, r##"<polyline class="line" fill="none" stroke-width="2" points="{}"/>"##, coords.join(" "));
        }
        for (x, y, p) in &placed {
            let _ = write!(
                out,
                r##"<circle class="point" cx="{}" cy="{}" r="4" data-value="{}"><title>{}</title></circle>"##,
                n(*x),
                n(*y),
                p.value,
                escape(&p.title)
            );
        }
        out.push_str("</g>");
    }
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    legend(&mut out, x1, &names);
    out.push_str("</svg>");
    out
}

/// The legend, along the top right: a swatch of the palette's colours in order and each name.
fn legend(out: &mut String, x1: f64, names: &[&str]) {
    out.push_str(r##"<g class="legend" font-size="11" fill="#1d2430">"##);
    for (k, name) in names.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let y = T + 4.0 + 16.0 * k as f64;
        let _ = write!(
            out,
            r##"<g class="legend-item"><rect x="{}" y="{}" width="10" height="10" fill="{colour}"/><text x="{}" y="{}">{}</text></g>"##,
            n(x1 - 150.0),
            n(y),
            n(x1 - 135.0),
            n(y + 9.0),
            escape(name)
        );
    }
    out.push_str("</g>");
}

/// Vertical bars, one per category (a histogram when the categories are bins), values from 0 up.
pub fn column_chart(f: &Frame, bars: &[Bar], fmt: &dyn Fn(f64) -> String) -> String {
    let max = bars.iter().map(|b| b.point.value).fold(0.0, f64::max);
    let (top, step) = nice_scale(max, 5.0);
    let mut out = String::new();
    open(&mut out, f, "columns");
    axes(&mut out, f, top, step, fmt, false, L);
    let (x0, x1, y0, y1) = (L, W - R, H - B, T);
    let slot = (x1 - x0) / bars.len().max(1) as f64;
    out.push_str(r##"<g class="bars">"##);
    for (i, b) in bars.iter().enumerate() {
        let h = (y0 - y1) * (b.point.value.max(0.0) / top);
        let colour = if b.marked { "#b3261e" } else { "#0072b2" };
        let _ = write!(
            out,
            r##"<rect class="bar{}" x="{}" y="{}" width="{}" height="{}" fill="{colour}" data-value="{}"><title>{}</title></rect>"##,
            if b.marked { " marked" } else { "" },
            n(x0 + slot * i as f64 + slot * 0.1),
            n(y0 - h),
            n(slot * 0.8),
            n(h),
            b.point.value,
            escape(&b.point.title)
        );
        let _ = write!(
            out,
            r##"<text class="category" x="{}" y="{}" text-anchor="middle" font-size="11" fill="#5d6778">{}</text>"##,
            n(x0 + slot * (i as f64 + 0.5)),
            n(y0 + 16.0),
            escape(&b.label)
        );
    }
    out.push_str("</g></svg>");
    out
}

/// Horizontal bars, one per row from the top, its label on the left and its value (both parts'
/// sum) at its end. `names` names the parts in a legend (none when empty).
pub fn bar_chart(f: &Frame, bars: &[Bar], names: &[&str], fmt: &dyn Fn(f64) -> String) -> String {
    let total = |b: &Bar| b.point.value.max(0.0) + b.more.as_ref().map_or(0.0, |m| m.value.max(0.0));
    let max = bars.iter().map(total).fold(0.0, f64::max);
    let (top, step) = nice_scale(max, 5.0);
    let mut out = String::new();
    open(&mut out, f, "bars");
    // The labels need room on the left: the value axis starts further right than the other charts'.
    // A legend takes the top right; the bars start below it, so the longest never runs under it.
    let legend_h = if names.is_empty() { 0.0 } else { 16.0 * names.len() as f64 + 4.0 };
    let (x0, x1, y0, y1) = (L + 120.0, W - R, H - B, T + legend_h);
    axes(&mut out, f, top, step, fmt, true, x0);
    // A slot per bar, at most 40 units high: a few bars stay bars, not blocks.
    let slot = ((y0 - y1) / bars.len().max(1) as f64).min(40.0);
    out.push_str(r##"<g class="bars">"##);
    for (i, b) in bars.iter().enumerate() {
        let w = (x1 - x0) * (b.point.value.max(0.0) / top);
        let y = y1 + slot * i as f64 + slot * 0.15;
        let _ = write!(
            out,
            r##"<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}" data-value="{}"><title>{}</title></rect>"##,
            n(x0),
            n(y),
            n(w),
            n(slot * 0.7),
            PALETTE[0],
            b.point.value,
            escape(&b.point.title),
        );
        let mut end = x0 + w;
        if let Some(m) = b.more.as_ref().filter(|m| m.value > 0.0) {
            let w2 = (x1 - x0) * (m.value / top);
            let _ = write!(
                out,
                r##"<rect class="bar more" x="{}" y="{}" width="{}" height="{}" fill="{}" data-value="{}"><title>{}</title></rect>"##,
                n(end),
                n(y),
                n(w2),
                n(slot * 0.7),
                PALETTE[1],
                m.value,
                escape(&m.title),
            );
            end += w2;
        }
        let _ = write!(
            out,
            r##"<text class="category" x="{}" y="{}" text-anchor="end" font-size="11" fill="#1d2430">{}</text><text class="value" x="{}" y="{}" font-size="11" fill="#1d2430">{}</text>"##,
            n(x0 - 6.0),
            n(y + slot * 0.35 + 4.0),
            escape(&b.label),
            n(end + 4.0),
            n(y + slot * 0.35 + 4.0),
            escape(&fmt(total(b)))
        );
    }
    out.push_str("</g>");
    if !names.is_empty() {
        legend(&mut out, x1, names);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use quick_xml::events::Event;
    use quick_xml::Reader;

    /// An element of a parsed chart: its name, attributes, and the text directly inside it.
    #[derive(Debug, Default, Clone)]
    struct El {
        name: String,
        attrs: Vec<(String, String)>,
        text: String,
        /// The names of its ancestors, outermost first.
        path: Vec<String>,
    }

    impl El {
        fn attr(&self, k: &str) -> Option<&str> {
            self.attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
        }
        fn num(&self, k: &str) -> f64 {
            self.attr(k).unwrap().parse().unwrap()
        }
        fn class(&self) -> &str {
            self.attr("class").unwrap_or_default()
        }
    }

    /// Parses `svg` as XML, failing on anything not well-formed (unbalanced or mismatched tags, a bad
    /// entity, text outside the root, two roots); every element in document order.
    fn parse(svg: &str) -> Vec<El> {
        let mut reader = Reader::from_str(svg);
        reader.config_mut().check_end_names = true;
        let (mut out, mut open): (Vec<El>, Vec<usize>) = (Vec::new(), Vec::new());
        let mut roots = 0;
        let start = |e: &quick_xml::events::BytesStart, out: &Vec<El>, open: &Vec<usize>| El {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            attrs: e
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), a.unescape_value().unwrap().into_owned())
                })
                .collect(),
            text: String::new(),
            path: open.iter().map(|&i| out[i].name.clone()).collect(),
        };
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) => {
                    if open.is_empty() {
                        roots += 1;
                    }
                    let el = start(&e, &out, &open);
                    out.push(el);
                    open.push(out.len() - 1);
                }
                Event::Empty(e) => {
                    assert!(!open.is_empty(), "an element outside the root");
                    let el = start(&e, &out, &open);
                    out.push(el);
                }
                Event::End(_) => {
                    open.pop().unwrap();
                }
                Event::Text(t) => {
                    let t = t.unescape().unwrap();
                    match open.last() {
                        Some(&i) => out[i].text.push_str(&t),
                        None => assert!(t.trim().is_empty(), "text outside the root: {t:?}"),
                    }
                }
                Event::Eof => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(open.is_empty(), "unclosed elements");
        assert_eq!(roots, 1, "one root element");
        assert_eq!(out[0].name, "svg");
        assert_eq!(out[0].attr("xmlns"), Some("http://www.w3.org/2000/svg"));
        out
    }

    fn frame<'a>(title: &'a str) -> Frame<'a> {
        Frame { id: "c", title, x_label: "Month", y_label: "HTER" }
    }

    fn point(value: f64, title: &str) -> Option<Point> {
        Some(Point { value, title: title.into() })
    }

    fn fmt(v: f64) -> String {
        format!("{v:.1}")
    }

    #[test]
    fn nice_scales_are_one_two_or_five_steps_covering_the_maximum() {
        assert_eq!(nice_scale(0.37, 0.0), (0.4, 0.1));
        assert_eq!(nice_scale(7.0, 1.0), (8.0, 2.0));
        assert_eq!(nice_scale(100.0, 1.0), (100.0, 20.0));
        assert_eq!(nice_scale(0.0, 1.0), (1.0, 0.2));
        assert_eq!(nice_scale(0.0, 0.0), (1.0, 0.2));
        assert_eq!(nice_scale(f64::NAN, 1.0), (1.0, 0.2));
        for max in [0.013, 0.9, 3.0, 12.0, 41.0, 999.0] {
            let (top, step) = nice_scale(max, 0.0);
            assert!(top >= max && top / step <= 5.0 + 1e-9 && top - step < max, "{max}: {top} {step}");
        }
    }

    #[test]
    fn a_line_chart_has_a_line_per_series_a_titled_point_per_value_and_labelled_axes() {
        let months: Vec<String> = ["2026-01", "2026-02", "2026-03"].iter().map(|s| s.to_string()).collect();
        let series = vec![
            Series {
                name: "deepl".into(),
                points: vec![point(0.2, "deepl, 2026-01: 0.2"), point(0.1, "deepl, 2026-02: 0.1"), point(0.3, "x")],
            },
            // A gap in February: two points, one line through them.
            Series { name: "yandex".into(), points: vec![point(0.4, "yandex, 2026-01: 0.4"), None, point(0.2, "y")] },
            // One point: no line.
            Series { name: "memory".into(), points: vec![None, None, point(0.0, "memory, 2026-03: 0")] },
        ];
        let svg = line_chart(&frame("HTER by backend, en → kk"), &months, &series, &fmt);
        let els = parse(&svg);
        assert_eq!(els[1].name, "title");
        assert_eq!(els[1].text, "HTER by backend, en → kk");
        let groups: Vec<&El> = els.iter().filter(|e| e.class() == "series").collect();
        assert_eq!(
            groups.iter().map(|g| g.attr("data-series").unwrap()).collect::<Vec<_>>(),
            ["deepl", "yandex", "memory"]
        );
        assert_eq!(els.iter().filter(|e| e.name == "polyline").count(), 2);
        let points: Vec<&El> = els.iter().filter(|e| e.name == "circle").collect();
        assert_eq!(points.len(), 6);
        // Each point's title is its own; the value axis goes from 0 (bottom, y = H - B) to 0.4 (top, y = T).
        let titles: Vec<&str> = els
            .iter()
            .filter(|e| e.name == "title" && e.path.last().unwrap() == "circle")
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(titles[0], "deepl, 2026-01: 0.2");
        assert_eq!(titles[3], "yandex, 2026-01: 0.4");
        let y = |v: f64| H - B - (H - B - T) * v / 0.4;
        assert!((points[0].num("cy") - y(0.2)).abs() < 0.01, "{}", points[0].num("cy"));
        assert!((points[3].num("cy") - T).abs() < 0.01, "the largest value is at the top");
        assert!((points[5].num("cy") - (H - B)).abs() < 0.01, "zero is on the x axis");
        // Months are spread left to right, the gap keeps its place.
        assert!(points[0].num("cx") < points[1].num("cx") && points[1].num("cx") < points[2].num("cx"));
        assert_eq!(points[4].num("cx"), points[2].num("cx"), "yandex's March is above March");
        let categories: Vec<&str> = els.iter().filter(|e| e.class() == "category").map(|e| e.text.as_str()).collect();
        assert_eq!(categories, ["2026-01", "2026-02", "2026-03"]);
        let label = |c: &str| els.iter().find(|e| e.class() == c).unwrap().text.clone();
        assert_eq!((label("axis-label x-label"), label("axis-label y-label")), ("Month".into(), "HTER".into()));
        let ticks: Vec<&str> = els
            .iter()
            .filter(|e| {
                e.name == "text"
                    && e.path.iter().filter(|p| *p == "g").count() == 2
                    && e.attr("text-anchor") == Some("end")
            })
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(ticks, ["0.0", "0.1", "0.2", "0.3", "0.4"]);
        let at = els.iter().position(|e| e.class() == "legend").unwrap();
        let legend: Vec<&str> = els[at..].iter().filter(|e| e.name == "text").map(|e| e.text.as_str()).collect();
        assert_eq!(legend, ["deepl", "yandex", "memory"]);
    }

    #[test]
    fn every_text_is_escaped_so_a_name_cannot_break_the_chart() {
        let name = "<script>alert('x')</script> & \"co\"\u{7}";
        let series = vec![Series { name: name.into(), points: vec![point(1.0, name)] }];
        let f = Frame { id: "a\"b", title: name, x_label: "<x>", y_label: "&" };
        let svg = line_chart(&f, &[name.to_string()], &series, &fmt);
        assert!(!svg.contains("<script>"));
        let els = parse(&svg);
        assert_eq!(els[0].attr("id"), Some("a\"b"));
        let clean = "<script>alert('x')</script> & \"co\"\u{fffd}";
        assert_eq!(els[1].text, clean);
        assert!(els.iter().any(|e| e.class() == "series" && e.attr("data-series") == Some(clean)));
        assert!(els.iter().any(|e| e.class() == "axis-label x-label" && e.text == "<x>"));
        for svg in [
            column_chart(
                &f,
                &[Bar {
                    label: name.into(),
                    point: Point { value: 2.0, title: name.into() },
                    marked: true,
                    more: None,
                }],
                &fmt,
            ),
            bar_chart(
                &f,
                &[Bar {
                    label: name.into(),
                    point: Point { value: 2.0, title: name.into() },
                    marked: false,
                    more: None,
                }],
                &[],
                &fmt,
            ),
        ] {
            let els = parse(&svg);
            assert!(els.iter().any(|e| e.name == "title" && e.text == clean));
        }
    }

    #[test]
    fn a_histogram_has_a_titled_bar_per_bin_with_heights_by_value() {
        let bins = [("< 80", 1.0, true), ("80–90", 0.0, true), ("90–95", 3.0, true), ("95–100", 6.0, false)];
        let bars: Vec<Bar> = bins
            .iter()
            .map(|(l, v, m)| Bar {
                label: l.to_string(),
                point: Point { value: *v, title: format!("{l}: {v} jobs") },
                marked: *m,
                more: None,
            })
            .collect();
        let svg = column_chart(&Frame { id: "h", title: "MQM", x_label: "score", y_label: "jobs" }, &bars, &fmt);
        let els = parse(&svg);
        let rects: Vec<&El> = els.iter().filter(|e| e.name == "rect").collect();
        assert_eq!(rects.len(), 4);
        assert_eq!(
            rects.iter().filter(|r| r.class() == "bar marked").count(),
            3,
            "bins below the pass mark are marked"
        );
        // The scale tops at 6 in steps of 2: 6 jobs fill the plot, 3 half of it.
        let plot = H - B - T;
        assert!((rects[3].num("height") - plot).abs() < 0.01);
        assert!((rects[2].num("height") - plot / 2.0).abs() < 0.01);
        assert!((rects[3].num("y") + rects[3].num("height") - (H - B)).abs() < 0.01, "bars stand on the axis");
        assert_eq!(rects[1].num("height"), 0.0);
        let titles: Vec<&str> = els
            .iter()
            .filter(|e| e.name == "title" && e.path.last().unwrap() == "rect")
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(titles, ["< 80: 1 jobs", "80–90: 0 jobs", "90–95: 3 jobs", "95–100: 6 jobs"]);
        let labels: Vec<&str> = els.iter().filter(|e| e.class() == "category").map(|e| e.text.as_str()).collect();
        assert_eq!(labels, ["< 80", "80–90", "90–95", "95–100"]);
    }

    #[test]
    fn horizontal_bars_grow_right_from_their_labels_most_first() {
        let bars: Vec<Bar> = [("osce", 5.0), ("akorda", 2.0)]
            .iter()
            .map(|(l, v)| Bar {
                label: l.to_string(),
                point: Point { value: *v, title: format!("{l}: {v}") },
                marked: false,
                more: None,
            })
            .collect();
        let els = parse(&bar_chart(
            &Frame { id: "t", title: "Terms", x_label: "fixes", y_label: "concept" },
            &bars,
            &[],
            &fmt,
        ));
        let rects: Vec<&El> = els.iter().filter(|e| e.name == "rect").collect();
        assert_eq!(rects.len(), 2);
        assert!(rects[0].num("y") < rects[1].num("y"), "the first bar is on top");
        assert_eq!(rects[0].num("x"), rects[1].num("x"), "bars start at the value axis");
        assert!((rects[0].num("width") / rects[1].num("width") - 2.5).abs() < 1e-6, "widths by value");
        let values: Vec<&str> = els.iter().filter(|e| e.class() == "value").map(|e| e.text.as_str()).collect();
        assert_eq!(values, ["5.0", "2.0"]);
        let labels: Vec<&str> = els.iter().filter(|e| e.class() == "category").map(|e| e.text.as_str()).collect();
        assert_eq!(labels, ["osce", "akorda"]);
        assert!(!els.iter().any(|e| e.class() == "legend"), "one part: no legend");
    }

    #[test]
    fn a_bar_with_a_second_part_stacks_it_after_the_first_and_names_both() {
        let bars = [
            Bar {
                label: "head-of-state".into(),
                point: Point { value: 2.0, title: "wrong: 2".into() },
                marked: false,
                more: Some(Point { value: 3.0, title: "inflection: 3".into() }),
            },
            Bar {
                label: "osce".into(),
                point: Point { value: 1.0, title: "wrong: 1".into() },
                marked: false,
                more: None,
            },
        ];
        let frame = Frame { id: "t", title: "Terms", x_label: "fixes", y_label: "concept" };
        let els = parse(&bar_chart(&frame, &bars, &["term wrong", "wrong inflection"], &fmt));
        let rects: Vec<&El> = els.iter().filter(|e| e.name == "rect" && e.class().starts_with("bar")).collect();
        assert_eq!(rects.len(), 3);
        let (first, more) = (rects[0], rects[1]);
        assert_eq!(more.class(), "bar more");
        assert!(
            (first.num("x") + first.num("width") - more.num("x")).abs() < 1e-6,
            "the second part starts where the first ends"
        );
        assert!((more.num("width") / first.num("width") - 1.5).abs() < 1e-6);
        assert_ne!(first.attr("fill"), more.attr("fill"));
        let values: Vec<&str> = els.iter().filter(|e| e.class() == "value").map(|e| e.text.as_str()).collect();
        assert_eq!(values, ["5.0", "1.0"], "the value is the whole bar's");
        let at = els.iter().position(|e| e.class() == "legend").unwrap();
        let legend: Vec<&str> = els[at..].iter().filter(|e| e.name == "text").map(|e| e.text.as_str()).collect();
        assert_eq!(legend, ["term wrong", "wrong inflection"]);
        // The legend's swatches are above the first bar.
        let swatch_bottom =
            els[at..].iter().filter(|e| e.name == "rect").map(|e| e.num("y") + 10.0).fold(0.0, f64::max);
        assert!(
            swatch_bottom <= first.num("y"),
            "the legend ({swatch_bottom}) covers the top bar ({})",
            first.num("y")
        );
    }

    #[test]
    fn empty_charts_are_still_well_formed_with_their_axes() {
        for svg in [
            line_chart(&frame("none"), &[], &[], &fmt),
            column_chart(&frame("none"), &[], &fmt),
            bar_chart(&frame("none"), &[], &[], &fmt),
        ] {
            let els = parse(&svg);
            assert_eq!(els.iter().filter(|e| e.class().starts_with("axis ")).count(), 2, "{svg}");
            assert!(!els.iter().any(|e| matches!(e.name.as_str(), "circle" | "polyline" | "rect")));
        }
    }
}
