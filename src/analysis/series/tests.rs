use super::*;

fn noisy(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let xs: Vec<f64> = (0..n).map(|i| i as f64 * 0.5).collect();
    let ys: Vec<f64> = (0..n)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (i as f64 / 500.0).sin() + (state % 1000) as f64 / 1000.0
        })
        .collect();
    (xs, ys)
}

/// The extremes of each pixel column: what a drawn line covers.
fn column_extremes(points: &[[f64; 2]], x_min: f64, x_max: f64, columns: usize) -> Vec<(f64, f64)> {
    let w = (x_max - x_min) / columns as f64;
    let mut ext = vec![(f64::INFINITY, f64::NEG_INFINITY); columns];
    for &[x, y] in points {
        if x < x_min || x > x_max {
            continue;
        }
        let c = (((x - x_min) / w).floor() as usize).min(columns - 1);
        ext[c].0 = ext[c].0.min(y);
        ext[c].1 = ext[c].1.max(y);
    }
    ext
}

#[test]
fn few_points_are_returned_unchanged() {
    let s = ReducibleSeries::new(&[[2.0, 1.0], [0.0, 3.0], [1.0, 2.0]]);
    assert_eq!(
        s.reduce(-10.0, 10.0, 100),
        vec![[0.0, 3.0], [1.0, 2.0], [2.0, 1.0]]
    );
}

#[test]
fn missing_values_are_left_out() {
    let s = ReducibleSeries::new(&[[0.0, f64::NAN], [1.0, 2.0], [f64::INFINITY, 1.0]]);
    assert_eq!(s.len(), 1);
    assert_eq!(s.y_range(), Some((2.0, 2.0)));
}

#[test]
fn empty_and_inverted_ranges_give_nothing() {
    let s = ReducibleSeries::new(&[]);
    assert!(s.reduce(0.0, 1.0, 10).is_empty());
    let (xs, ys) = noisy(1000);
    let s = ReducibleSeries::from_columns(&xs, &ys);
    assert!(s.reduce(5.0, 1.0, 10).is_empty());
    assert!(s.reduce(f64::NAN, 1.0, 10).is_empty());
}

#[test]
fn reduction_keeps_every_column_extreme_and_is_small() {
    let (xs, ys) = noisy(200_000);
    let s = ReducibleSeries::from_columns(&xs, &ys);
    for &(x_min, x_max, columns) in &[
        (0.0, 100_000.0, 800),
        (12_345.6, 54_321.0, 500),
        (-50.0, 99_999.5, 1200),
        (40_000.0, 40_900.0, 300),
    ] {
        let reduced = s.reduce(x_min, x_max, columns);
        assert!(reduced.len() <= columns * 4 + 2, "{} points", reduced.len());
        assert!(
            reduced.windows(2).all(|w| w[0][0] <= w[1][0]),
            "sorted by x"
        );
        let full: Vec<[f64; 2]> = xs.iter().zip(&ys).map(|(&x, &y)| [x, y]).collect();
        assert_eq!(
            column_extremes(&reduced, x_min, x_max, columns),
            column_extremes(&full, x_min, x_max, columns),
            "range {x_min}..{x_max}"
        );
    }
}

#[test]
fn pyramid_and_scan_agree_on_what_is_drawn() {
    let (xs, ys) = noisy(100_000);
    let s = ReducibleSeries::from_columns(&xs, &ys);
    let (x_min, x_max, columns) = (1000.0, 45_000.0, 640);
    let a = s.reduce(x_min, x_max, columns);
    let b = reduce_by_scan(&xs, &ys, x_min, x_max, columns);
    assert_eq!(
        column_extremes(&a, x_min, x_max, columns),
        column_extremes(&b, x_min, x_max, columns)
    );
    assert_eq!(a.first(), b.first(), "same point left of the view");
    assert_eq!(a.last(), b.last(), "same point right of the view");
}

#[test]
fn a_single_spike_survives_reduction() {
    let n = 1_000_000;
    let xs: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let mut ys = vec![0.0; n];
    ys[654_321] = 100.0;
    ys[123] = -7.0;
    let s = ReducibleSeries::from_columns(&xs, &ys);
    let reduced = s.reduce(0.0, n as f64, 1000);
    assert!(reduced.contains(&[654_321.0, 100.0]));
    assert!(reduced.contains(&[123.0, -7.0]));
    assert_eq!(s.y_range(), Some((-7.0, 100.0)));
}

#[test]
fn the_line_continues_to_the_edges() {
    let (xs, ys) = noisy(10_000);
    let s = ReducibleSeries::from_columns(&xs, &ys);
    let reduced = s.reduce(100.2, 3000.2, 200);
    assert_eq!(reduced.first().map(|p| p[0]), Some(100.0));
    assert_eq!(reduced.last().map(|p| p[0]), Some(3000.5));
}

#[test]
fn unsorted_input_is_sorted() {
    let s = ReducibleSeries::new(&[[3.0, 0.0], [1.0, 1.0], [2.0, 2.0]]);
    assert_eq!(s.xs(), &[1.0, 2.0, 3.0]);
    assert_eq!(s.ys(), &[1.0, 2.0, 0.0]);
}

#[test]
fn series_are_grouped_sorted_and_averaged_per_x() {
    let xs = [2.0, 1.0, 1.0, 3.0, f64::NAN, 1.0];
    let ys = [20.0, 10.0, 14.0, 30.0, 5.0, 7.0];
    let groups: Vec<String> = ["a", "a", "a", "b", "b", "b"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let series = group_series(&xs, Some(&groups), &ys);
    assert_eq!(series.len(), 2);
    assert_eq!(series[0].group, "a");
    assert_eq!(series[0].points, vec![[1.0, 12.0], [2.0, 20.0]]);
    assert_eq!(series[1].points, vec![[1.0, 7.0], [3.0, 30.0]]);
    let single = group_series(&xs, None, &ys);
    assert_eq!(single.len(), 1);
    assert_eq!(single[0].points[0], [1.0, (10.0 + 14.0 + 7.0) / 3.0]);
}

#[test]
fn deployments_come_from_dates_or_flags() {
    let days = [100.0, 101.0, 102.0, 102.0];
    let groups: Vec<String> = ["v1", "v1", "v2", "v2"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let flags = [
        None,
        Some("no".to_string()),
        Some("yes".to_string()),
        Some("1".to_string()),
    ];
    assert_eq!(
        deployments_from_column(&days, Some(&groups), &flags),
        vec![(102.0, "v2".to_string())]
    );
    let dates = [
        Some("1970-01-02".to_string()),
        Some("1970-01-02".to_string()),
        None,
        Some("".to_string()),
    ];
    assert_eq!(
        deployments_from_column(&days, Some(&groups), &dates),
        vec![(1.0, "v1".to_string())]
    );
}

#[test]
fn distributions_share_their_bins() {
    let groups: Vec<String> = ["a", "b", "a", "b", "a"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let values = [0.0, 10.0, 5.0, f64::NAN, 1.0];
    let options = DistributionOptions {
        bins: 2,
        exclude_zeros: false,
    };
    let found = group_distributions(&groups, &values, options);
    let d = &found.groups;
    assert_eq!(found.missing, 1);
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].zeros, 1);
    assert_eq!(d[0].histogram.edges, d[1].histogram.edges);
    assert_eq!(d[0].histogram.counts, vec![2, 1]);
    assert_eq!(d[1].histogram.counts, vec![0, 1]);
    assert_eq!(d[0].stats.median, 1.0);
    // Without zeros, and with a long tail folded into the last bin.
    let mut values = vec![0.0; 50];
    values.extend((1..=1000).map(f64::from));
    let groups = vec!["a".to_string(); values.len()];
    let options = DistributionOptions {
        bins: 10,
        exclude_zeros: true,
    };
    let found = group_distributions(&groups, &values, options);
    let g = &found.groups[0];
    assert_eq!(g.zeros, 50);
    assert_eq!(g.stats.n, 1000);
    assert_eq!(g.histogram.total(), 1000, "the tail is in the last bin");
    assert!(found.tail_from.is_some_and(|t| t < 1000.0));
}

#[test]
fn dates_round_trip() {
    assert_eq!(date_from_days(0), (1970, 1, 1));
    assert_eq!(days_from_date(2026, 3, 1), 20_513);
    assert_eq!(format_date(20_513.7), "2026-03-01");
    assert_eq!(parse_iso_date("2026-03-01T08:00:00"), Some(20_513.0));
    assert_eq!(
        parse_iso_date("2024-02-29"),
        Some(days_from_date(2024, 2, 29) as f64)
    );
    assert_eq!(parse_iso_date("yesterday"), None);
    assert_eq!(parse_time("2026-03-01"), Some(20_513.0));
    assert_eq!(parse_time("2026-03-01 12:00:00"), Some(20_513.5));
    assert_eq!(parse_time("2026-03-01T06:00Z"), Some(20_513.25));
    assert_eq!(parse_time("1772323200"), Some(20_513.0));
    assert_eq!(parse_time("n/a"), None);
    for days in [-800_000, -1, 59, 60, 11_016, 20_513, 2_000_000] {
        let (y, m, d) = date_from_days(days);
        assert_eq!(days_from_date(y, m, d), days);
    }
}

#[test]
fn gaps_break_lines() {
    let xs = [0.0, 1.0, 2.0, 3.0, 10.0, 11.0];
    assert_eq!(typical_step(&xs), 1.0);
    let points: Vec<[f64; 2]> = xs.iter().map(|&x| [x, 0.0]).collect();
    let runs = split_at_gaps(&points, 3.0);
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].len(), 4);
    assert_eq!(runs[1].len(), 2);
    assert!(split_at_gaps(&[], 1.0).is_empty());
}

#[test]
fn histogram_counts_every_value_once() {
    let h = histogram(&[0.0, 0.1, 0.5, 0.99, 1.0, f64::NAN], 2, None);
    assert_eq!(h.edges, vec![0.0, 0.5, 1.0]);
    assert_eq!(h.counts, vec![2, 3]);
    assert_eq!(h.total(), 5);
    assert!((h.bin_width() - 0.5).abs() < 1e-12);
    let constant = histogram(&[2.0, 2.0], 10, None);
    assert_eq!(constant.counts, vec![2]);
    assert!(histogram(&[], 10, None).counts.is_empty());
}

#[test]
fn box_stats_match_numpy() {
    // numpy.percentile([1, 2, 3, 4, 100], [25, 50, 75]) == [2, 3, 4]
    let b = box_stats(&[4.0, 1.0, 100.0, 3.0, 2.0]).unwrap_or_default();
    assert_eq!((b.q1, b.median, b.q3), (2.0, 3.0, 4.0));
    assert_eq!((b.min, b.max, b.n), (1.0, 100.0, 5));
    assert_eq!(b.upper_whisker, 4.0);
    assert_eq!(b.lower_whisker, 1.0);
    assert_eq!(b.outliers, 1);
    assert!((b.mean - 22.0).abs() < 1e-12);
    assert_eq!(quantile_sorted(&[1.0, 2.0], 0.5), Some(1.5));
    assert!(box_stats(&[f64::NAN]).is_none());
}
