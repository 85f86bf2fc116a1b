#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The fitted line's confidence and prediction bands agree with statsmodels
//! (tests/reference/link_bands.json, made by tests/reference/make_reference.py).

use throughline::analysis::LineFit;

#[test]
fn bands_agree_with_statsmodels() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/link_bands.json"
    ))
    .unwrap();
    let cases: serde_json::Value = serde_json::from_str(&text).unwrap();
    let floats = |v: &serde_json::Value| -> Vec<f64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    for case in cases.as_array().unwrap() {
        let fit = LineFit::new(
            &floats(&case["x"]),
            &floats(&case["y"]),
            case["alpha"].as_f64().unwrap(),
        )
        .unwrap();
        for want in case["band"].as_array().unwrap() {
            let got = fit.at(want["x"].as_f64().unwrap());
            for (name, value) in [
                ("fit", got.fit),
                ("mean_low", got.mean_low),
                ("mean_high", got.mean_high),
                ("predict_low", got.predict_low),
                ("predict_high", got.predict_high),
            ] {
                let w = want[name].as_f64().unwrap();
                assert!(
                    (value - w).abs() <= 1e-9 * w.abs(),
                    "{name} at {}: {value} vs {w}",
                    got.x
                );
            }
        }
    }
    assert!(LineFit::new(&[1.0, 2.0], &[1.0, 2.0], 0.05).is_none());
    assert!(LineFit::new(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0], 0.05).is_none());
}
