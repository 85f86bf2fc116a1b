#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The distribution functions agree with scipy (tests/reference/distributions.json, made by
//! tests/reference/make_reference.py).

use throughline::analysis::dist;

fn reference() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/distributions.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn rows(v: &serde_json::Value, key: &str) -> Vec<Vec<f64>> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect()
}

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / b.abs().max(f64::MIN_POSITIVE)
    }
}

const TOL: f64 = 1e-12;

#[test]
fn t_tail_agrees_with_scipy() {
    let v = reference();
    let mut worst = 0.0_f64;
    for r in rows(&v, "t_p") {
        let got = dist::t_two_sided_p(r[0], r[1]).unwrap();
        let e = rel(got, r[2]);
        if e > TOL {
            eprintln!(
                "t_p t={} df={} got {got:e} want {:e} rel {e:e}",
                r[0], r[1], r[2]
            );
        }
        worst = worst.max(e);
    }
    assert!(worst <= TOL, "worst relative error {worst:e}");
}

#[test]
fn t_quantile_agrees_with_scipy() {
    let v = reference();
    let mut worst = 0.0_f64;
    for r in rows(&v, "t_q") {
        let got = dist::t_two_sided(r[0], r[1]).unwrap();
        let e = rel(got, r[2]);
        if e > TOL {
            eprintln!(
                "t_q a={} df={} got {got:e} want {:e} rel {e:e}",
                r[0], r[1], r[2]
            );
        }
        worst = worst.max(e);
    }
    assert!(worst <= TOL, "worst relative error {worst:e}");
}

#[test]
fn normal_agrees_with_scipy() {
    let v = reference();
    let mut worst = 0.0_f64;
    for r in rows(&v, "z_q") {
        let e = rel(dist::z_two_sided(r[0]).unwrap(), r[1]);
        worst = worst.max(e);
    }
    for r in rows(&v, "z_p") {
        let e = rel(dist::normal_two_sided_p(r[0]).unwrap(), r[1]);
        worst = worst.max(e);
    }
    assert!(worst <= TOL, "worst relative error {worst:e}");
}

#[test]
fn chi2_agrees_with_scipy() {
    let v = reference();
    let mut worst = 0.0_f64;
    for r in rows(&v, "chi2") {
        let got = dist::chi2_sf(r[0], r[1]).unwrap();
        let e = rel(got, r[2]);
        if e > TOL {
            eprintln!(
                "chi2 x={} k={} got {got:e} want {:e} rel {e:e}",
                r[0], r[1], r[2]
            );
        }
        worst = worst.max(e);
    }
    assert!(worst <= 1e-10, "worst relative error {worst:e}");
}
