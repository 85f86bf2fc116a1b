use super::*;

fn outcome(metric: &str, role: MetricRole, rel: f64, se: f64) -> MetricOutcome {
    MetricOutcome {
        metric: metric.to_owned(),
        role,
        direction: Direction::HigherIsBetter,
        rel_lift: Some(rel),
        se_rel: Some(se),
    }
}

fn input(metrics: Vec<MetricOutcome>) -> DecisionInput {
    DecisionInput {
        treatment: "new_model".to_owned(),
        control: "control".to_owned(),
        alpha: 0.05,
        srm_p_value: Some(0.4),
        treatments: 1,
        metrics,
    }
}

#[test]
fn rel_p_value_agrees_with_the_relative_interval() {
    let z = dist::z_two_sided(0.05).unwrap();
    // Exactly on the boundary of the CI.
    let p = rel_p_value(z * 0.1, 0.1).unwrap();
    assert!((p - 0.05).abs() < 1e-14);
    assert!(rel_p_value(0.1, 0.0).is_none());
    assert!(rel_p_value(f64::NAN, 0.1).is_none());
}

#[test]
fn mde_and_bayesian_figures() {
    let m = mde(0.05, 1.0, -2.0);
    assert!((m.mde.unwrap() - 2.801_585_218_112_968).abs() < 1e-12);
    assert!((m.mde_rel.unwrap() - 1.400_792_609_056_484).abs() < 1e-12);
    assert_eq!(mde(0.05, 0.0, 1.0), Mde::default());
    assert_eq!(mde(0.05, 1.0, 0.0).mde_rel, None);
    assert!((chance_to_win(0.0, 1.0, Direction::HigherIsBetter).unwrap() - 0.5).abs() < 1e-15);
    let up = chance_to_win(1.0, 1.0, Direction::HigherIsBetter).unwrap();
    let down = chance_to_win(1.0, 1.0, Direction::LowerIsBetter).unwrap();
    assert!((up + down - 1.0).abs() < 1e-15);
    // At d = 0 the loss is SE·φ(0).
    let loss = expected_loss(0.0, 2.0, Direction::HigherIsBetter).unwrap();
    assert!((loss - 2.0 / (2.0 * std::f64::consts::PI).sqrt()).abs() < 1e-15);
    assert!(expected_loss(1.0, 0.0, Direction::HigherIsBetter).is_none());
}

#[test]
fn extras_of_a_comparison() {
    let c = SufficientStats::from_mean_sd(100, 2.0, 1.0, 0).unwrap();
    let t = SufficientStats::from_mean_sd(120, 2.5, 1.5, 0).unwrap();
    let x = comparison_extras(
        ResolvedKind::Mean,
        &t,
        &c,
        Some(0.25),
        0.05,
        Direction::HigherIsBetter,
    );
    let se = (1.0_f64 / 100.0 + 2.25 / 120.0).sqrt();
    assert!((x.se_diff.unwrap() - se).abs() < 1e-15);
    assert!(x.chance_to_win.unwrap() > 0.99);
    assert!(x.rel_p_value.is_some());
    let none = comparison_extras(
        ResolvedKind::Mean,
        &t,
        &c,
        None,
        0.05,
        Direction::HigherIsBetter,
    );
    assert_eq!(none.rel_p_value, None);
    assert!(none.mde.is_some());
    let empty = SufficientStats::new();
    let nothing = comparison_extras(
        ResolvedKind::Proportion,
        &empty,
        &c,
        None,
        0.05,
        Direction::HigherIsBetter,
    );
    assert_eq!(nothing, ComparisonExtras::default());
}

#[test]
fn relative_se_is_the_delta_method() {
    let se = relative_se(1.1, 1.0, 0.01, 0.04).unwrap();
    assert!((se - (0.01_f64 + 1.21 * 0.04).sqrt()).abs() < 1e-15);
    assert!(relative_se(1.0, 0.0, 0.1, 0.1).is_none());
}

#[test]
fn the_four_decisions() {
    let ship = decide(&input(vec![
        outcome("revenue", MetricRole::Success, 0.05, 0.01),
        outcome(
            "latency",
            MetricRole::Guardrail { margin: 0.02 },
            0.0,
            0.005,
        ),
    ]))
    .unwrap();
    assert_eq!(ship.decision, Decision::Ship);
    assert_eq!(ship.reasons.len(), 2);

    let bad = decide(&input(vec![
        outcome("revenue", MetricRole::Success, 0.05, 0.01),
        outcome(
            "retention",
            MetricRole::Guardrail { margin: 0.01 },
            -0.05,
            0.01,
        ),
    ]))
    .unwrap();
    assert_eq!(bad.decision, Decision::DoNotShip);
    assert!(bad.reasons[0].contains("retention"), "{:?}", bad.reasons);

    let open = decide(&input(vec![
        outcome("revenue", MetricRole::Success, 0.01, 0.01),
        outcome(
            "retention",
            MetricRole::Guardrail { margin: 0.01 },
            0.0,
            0.01,
        ),
    ]))
    .unwrap();
    assert_eq!(open.decision, Decision::Inconclusive);
    assert!(open.reasons.iter().any(|r| r.contains("cannot tell apart")));

    let mut srm = input(vec![outcome("revenue", MetricRole::Success, 0.05, 0.01)]);
    srm.srm_p_value = Some(1e-5);
    let srm = decide(&srm).unwrap();
    assert_eq!(srm.decision, Decision::SrmFailure);
    assert_eq!(srm.decision.key(), "srm_failure");
}

#[test]
fn lower_is_better_flips_the_direction() {
    let mut latency = outcome("latency", MetricRole::Success, -0.05, 0.01);
    latency.direction = Direction::LowerIsBetter;
    assert_eq!(
        decide(&input(vec![latency.clone()])).unwrap().decision,
        Decision::Ship
    );
    latency.rel_lift = Some(0.05);
    assert_eq!(
        decide(&input(vec![latency])).unwrap().decision,
        Decision::DoNotShip
    );
}

#[test]
fn alpha_is_split_over_success_metrics_and_treatments() {
    // z = 2.2 clears z(0.95) = 1.645 (α' = 0.05) but not z(0.995) = 2.576 (α' = 0.05/10).
    let one = outcome("revenue", MetricRole::Success, 0.022, 0.01);
    assert_eq!(
        decide(&input(vec![one.clone()])).unwrap().decision,
        Decision::Ship
    );
    let mut many = input(vec![one]);
    many.treatments = 10;
    assert_eq!(decide(&many).unwrap().decision, Decision::Inconclusive);
}

#[test]
fn undefined_figures_and_bad_margins() {
    let mut m = outcome("revenue", MetricRole::Success, 0.05, 0.01);
    m.se_rel = None;
    let d = decide(&input(vec![m])).unwrap();
    assert_eq!(d.decision, Decision::Inconclusive);
    assert!(
        d.reasons
            .iter()
            .any(|r| r.contains("could not be computed"))
    );
    let bad = decide(&input(vec![outcome(
        "x",
        MetricRole::Guardrail { margin: -0.1 },
        0.0,
        0.1,
    )]));
    assert!(bad.is_err());
    let none = decide(&input(vec![])).unwrap();
    assert_eq!(none.decision, Decision::Inconclusive);
    assert!(!none.reasons.is_empty());
}
