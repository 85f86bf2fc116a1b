use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn simple() -> WhatIfInputs {
    WhatIfInputs {
        ml_change: 2.0,
        slope: Band::new(0.5, 1.0, 1.5),
        volume_per_month: 1000.0,
        value_per_unit: 3.0,
        engineering_months: 2.0,
        engineering_rate_per_month: 10_000.0,
        cloud_cost_per_month: 500.0,
        one_off_costs: 1000.0,
        horizon_months: 12,
        deployment_months: 2.0,
        ramp_up_months: 2.0,
    }
}

#[test]
fn ramp_fractions_by_hand() {
    // Live after 2 months, full after 4: months 3 and 4 average 0.25 and 0.75.
    let f: Vec<f64> = (1..=6).map(|m| ramp_fraction(m, 2.0, 2.0)).collect();
    assert_eq!(f, vec![0.0, 0.0, 0.25, 0.75, 1.0, 1.0]);
    // No deployment, no ramp: full value from month 1.
    assert_eq!(ramp_fraction(1, 0.0, 0.0), 1.0);
    // Half a month of deployment: half the first month.
    assert!(close(ramp_fraction(1, 0.5, 0.0), 0.5));
    assert!(close(full_value_months(6, 2.0, 2.0), 3.0));
}

#[test]
fn hand_computed_scenario() {
    let out = evaluate(&simple());
    // Business change: slope × ML change.
    assert_eq!(out.business_change, Band::new(1.0, 2.0, 3.0));
    // Monthly value: change × value per unit × volume.
    assert_eq!(out.monthly_value, Band::new(3000.0, 6000.0, 9000.0));
    // Value over 12 months: 0 + 0 + 0.25 + 0.75 + 8 full months = 9 full months.
    assert!(close(out.total_value.likely, 54_000.0));
    // Cost: 20 000 engineering + 1000 one-off + 10 months of cloud at 500.
    assert!(close(out.total_cost, 26_000.0));
    assert!(close(out.net_value.likely, 28_000.0));
    assert!(close(out.roi.likely.unwrap(), 28_000.0 / 26_000.0));
    // Cumulative (likely): cost 11 000, 21 000, 21 500, 22 000, 22 500 ...; value 0, 0, 1500,
    // 6000, 12 000, 18 000, 24 000 by month 7 (cost 23 500) -> pays back in month 7.
    assert_eq!(out.payback_month.likely, Some(7));
    assert_eq!(out.timeline.len(), 13);
    assert_eq!(out.timeline[0], MonthPoint::default());
    assert!(close(out.timeline[1].cost, 11_000.0));
    assert!(close(out.timeline[3].cost, 500.0));
    // Low case (3000 a month): by month 12 value 27 000 >= cost 26 000; month 11: 24 000 <
    // 25 500.
    assert_eq!(out.payback_month.low, Some(12));
    // High case (9000 a month): month 5 value 2250+6750+9000 = 18 000 < 22 500; month 6:
    // 27 000 >= 23 000.
    assert_eq!(out.payback_month.high, Some(6));
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn zero_cost_has_no_roi_and_pays_back_when_value_arrives() {
    let inputs = WhatIfInputs {
        engineering_months: 0.0,
        cloud_cost_per_month: 0.0,
        one_off_costs: 0.0,
        ..simple()
    };
    let out = evaluate(&inputs);
    assert_eq!(out.total_cost, 0.0);
    assert_eq!(out.roi, Band::flat(None));
    assert!(close(out.net_value.likely, 54_000.0));
    // The first month with value (month 3, after two months of deployment).
    assert_eq!(out.payback_month, Band::flat(Some(3)));
}

#[test]
fn negative_roi_and_never_pays_back() {
    let inputs = WhatIfInputs {
        value_per_unit: 0.1,
        ..simple()
    };
    let out = evaluate(&inputs);
    // 200 a month likely, 1800 over 9 full months, against 26 000 of cost.
    assert!(close(out.total_value.likely, 1800.0));
    assert!(close(
        out.roi.likely.unwrap(),
        (1800.0 - 26_000.0) / 26_000.0
    ));
    assert!(out.roi.likely.unwrap() < 0.0);
    assert_eq!(out.payback_month, Band::flat(None));
}

#[test]
fn a_harmful_change_loses_money() {
    let inputs = WhatIfInputs {
        ml_change: -1.0,
        ..simple()
    };
    let out = evaluate(&inputs);
    assert!(out.monthly_value.likely < 0.0);
    assert_eq!(out.payback_month, Band::flat(None));
    assert!(out.net_value.high < 0.0);
}

fn assert_ordered(band: Band<f64>) {
    assert!(
        band.low <= band.likely && band.likely <= band.high,
        "{band:?}"
    );
}

#[test]
fn bands_are_ordered_whatever_the_signs() {
    for ml_change in [-2.0, 0.0, 2.0] {
        for value_per_unit in [-3.0, 3.0] {
            for slope in [
                Band::new(0.5, 1.0, 1.5),
                Band::new(-1.5, -1.0, -0.5),
                Band::new(-0.5, 0.2, 1.0),
                // A slope outside its own interval, or an interval given high-to-low.
                Band::new(1.5, 2.0, 0.5),
            ] {
                let inputs = WhatIfInputs {
                    ml_change,
                    value_per_unit,
                    slope,
                    ..simple()
                };
                let out = evaluate(&inputs);
                assert_ordered(out.monthly_value);
                assert_ordered(out.total_value);
                assert_ordered(out.net_value);
                let roi = out.roi.map(|r| r.unwrap_or(f64::NAN));
                assert_ordered(roi);
                for p in &out.timeline {
                    assert_ordered(p.cumulative_value);
                }
                // Payback: the high case never pays back later than the likely, nor the
                // likely later than the low.
                let month = |m: Option<u32>| m.unwrap_or(u32::MAX);
                assert!(month(out.payback_month.high) <= month(out.payback_month.likely));
                assert!(month(out.payback_month.likely) <= month(out.payback_month.low));
            }
        }
    }
}

#[test]
fn slope_outside_its_interval_is_warned_about() {
    let inputs = WhatIfInputs {
        slope: Band::new(1.5, 2.0, 0.5),
        ..simple()
    };
    let out = evaluate(&inputs);
    assert_eq!(out.business_change, Band::new(1.0, 4.0, 4.0));
    assert!(out.warnings.iter().any(|w| w.contains("outside")));
}

#[test]
fn bad_inputs_do_not_panic_and_are_explained() {
    let inputs = WhatIfInputs {
        ml_change: f64::NAN,
        volume_per_month: -5.0,
        horizon_months: 0,
        ..simple()
    };
    let out = evaluate(&inputs);
    assert_eq!(out.timeline.len(), 1);
    assert_eq!(out.total_cost, 0.0);
    assert!(out.warnings.len() >= 3, "{:?}", out.warnings);
    let huge = WhatIfInputs {
        horizon_months: u32::MAX,
        ..simple()
    };
    assert_eq!(
        evaluate(&huge).timeline.len(),
        MAX_HORIZON_MONTHS as usize + 1
    );
}

#[test]
fn engineering_without_deployment_time_falls_in_month_one() {
    let inputs = WhatIfInputs {
        deployment_months: 0.0,
        ramp_up_months: 0.0,
        ..simple()
    };
    let out = evaluate(&inputs);
    assert!(close(out.timeline[1].cost, 20_000.0 + 1000.0 + 500.0));
    assert!(close(out.total_cost, 21_000.0 + 12.0 * 500.0));
    assert!(close(out.total_value.likely, 12.0 * 6000.0));
}

#[test]
fn break_even_goal_seek_round_trip() {
    for months in [6, 12, 24] {
        let inputs = simple();
        let needed = ml_change_to_break_even(&inputs, months).unwrap();
        let at_goal = WhatIfInputs {
            ml_change: needed,
            horizon_months: months,
            ..inputs
        };
        let out = evaluate(&at_goal);
        assert!(
            close(out.net_value.likely, 0.0) || out.net_value.likely.abs() < 1e-6,
            "net {} at month {months}",
            out.net_value.likely
        );
        assert_eq!(out.payback_month.likely, Some(months));
    }
    // By hand for 12 months: cost 26 000 over 9 full months of 1 × 3 × 1000 per unit change.
    let needed = ml_change_to_break_even(&simple(), 12).unwrap();
    assert!(close(needed, 26_000.0 / (9.0 * 3000.0)));
}

#[test]
fn break_even_goal_seek_explains_impossible_cases() {
    assert_eq!(
        ml_change_to_break_even(&simple(), 2),
        Err(GoalSeekProblem::NotLiveInTime)
    );
    let flat = WhatIfInputs {
        volume_per_month: 0.0,
        ..simple()
    };
    assert_eq!(
        ml_change_to_break_even(&flat, 12),
        Err(GoalSeekProblem::NoValueFromMlChange)
    );
}

#[test]
fn target_goal_seek_round_trip() {
    // Churn 4.2% -> 3.6%: −0.6 pp; −5 pp of churn per unit of AUC (interval −8 to −2).
    let slope = Band::new(-8.0, -5.0, -2.0);
    let seek = ml_change_to_reach(slope, -0.6).unwrap();
    let likely = seek.likely.unwrap();
    assert!(close(likely, 0.12));
    let (lo, hi) = seek.range.unwrap();
    assert!(close(lo, 0.075) && close(hi, 0.3));
    // Round trip: that ML change projects exactly the business change needed.
    let out = evaluate(&WhatIfInputs {
        ml_change: likely,
        slope,
        ..simple()
    });
    // value_per_unit > 0 so the likely business change is the likely slope's.
    assert!(close(out.business_change.likely, -0.6));
    // An interval through zero cannot promise the target.
    let unsure = ml_change_to_reach(Band::new(-1.0, 2.0, 5.0), 1.0).unwrap();
    assert_eq!(unsure.range, None);
    assert_eq!(
        ml_change_to_reach(Band::flat(0.0), 1.0),
        Err(GoalSeekProblem::FlatLink)
    );
}

#[test]
fn sensitivity_ranks_assumptions_by_roi_swing() {
    let bars = roi_sensitivity(&simple());
    assert_eq!(bars.len(), Assumption::ALL.len());
    for pair in bars.windows(2) {
        assert!(pair[0].swing() >= pair[1].swing());
    }
    // ROI is linear in the ML change, the slope, volume and value per unit alike: ±20% of
    // value moves net value by ±10 800 on 26 000 of cost.
    let ml = bars
        .iter()
        .find(|b| b.assumption == Assumption::MlChange.label())
        .unwrap();
    assert!(close(
        ml.roi_at_plus_20_pct.unwrap() - ml.roi_at_minus_20_pct.unwrap(),
        2.0 * 10_800.0 / 26_000.0
    ));
    // More cost, less ROI.
    let cloud = bars
        .iter()
        .find(|b| b.assumption == Assumption::CloudCostPerMonth.label())
        .unwrap();
    assert!(cloud.roi_at_plus_20_pct.unwrap() < cloud.roi_at_minus_20_pct.unwrap());
}
