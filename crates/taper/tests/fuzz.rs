//! Fuzzing the request's flags and the JSON input: whatever arrives, the engine answers
//! with a plan that keeps every invariant or an error naming a field — never a panic.

use std::sync::LazyLock;

use proptest::prelude::*;
use serde_json::Value;
use trappa_taper::flags::{
    MultiArg, RequestFlags, StrategyArg, request_from_args, request_from_json,
};
use trappa_taper::reference::ReferenceData;
use trappa_taper::{check, propose};

static DATA: LazyLock<ReferenceData> = LazyLock::new(|| ReferenceData::builtin().unwrap());

/// Sets `flag` to `value` as the command line would; `None` where the command line
/// itself refuses the value (a strategy or a mode it does not know).
fn set(mut f: RequestFlags, flag: &str, value: String) -> Option<RequestFlags> {
    match flag {
        "--drug" => f.drugs.push(value),
        "--dose" => f.doses.push(value),
        "--product" => f.products.push(value),
        "--goal" => f.goals.push(value),
        "--hold" => f.holds.push(value),
        "--strategy" => {
            f.strategy = Some(match value.as_str() {
                "slow" => StrategyArg::Slow,
                "hyperbolic" => StrategyArg::Hyperbolic,
                "linear" => StrategyArg::Linear,
                "substitution" => StrategyArg::Substitution,
                _ => return None,
            })
        }
        "--multi" => {
            f.multi = Some(match value.as_str() {
                "parallel" => MultiArg::Parallel,
                "staggered" => MultiArg::Staggered,
                _ => return None,
            })
        }
        "--percent" => f.percent = Some(value),
        "--interval" => f.interval = Some(value),
        "--low-dose-below" => f.low_dose_below = Some(value),
        "--low-dose-interval" => f.low_dose_interval = Some(value),
        "--low-dose-percent" => f.low_dose_percent = Some(value),
        "--switch-interval" => f.switch_interval = Some(value),
        "--max-step" => f.max_step = Some(value),
        "--final-hold" => f.final_hold = Some(value),
        "--max-pieces" => f.max_pieces = Some(value),
        "--order" => f.order = Some(value),
        "--start" => f.start = Some(value),
        "--table-de" => f.table_de = Some(value),
        "--table-mme" => f.table_mme = Some(value),
        other => panic!("a flag the fuzzer does not know: {other}"),
    }
    Some(f)
}

const FLAGS: &[&str] = &[
    "--drug",
    "--dose",
    "--product",
    "--strategy",
    "--percent",
    "--interval",
    "--low-dose-below",
    "--low-dose-interval",
    "--low-dose-percent",
    "--switch-interval",
    "--max-step",
    "--final-hold",
    "--max-pieces",
    "--multi",
    "--order",
    "--goal",
    "--hold",
    "--start",
    "--table-de",
    "--table-mme",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "oxazepam",
            "diazepam",
            "klonazepam",
            "alprazolam",
            "zopiclone",
            "oxycodone",
            "fentanyl",
            "pregabalin",
            "tramadol",
            "okänd",
            "10+10+0+25",
            "2,5+0+5",
            "0+0+0+0",
            "-5+0+0+0",
            "1e9+0+0+0",
            "NaN",
            "inf",
            "25",
            "37.5",
            "0.1",
            "slow",
            "hyperbolic",
            "linear",
            "substitution",
            "parallel",
            "staggered",
            "oxascand-10",
            "stesolid-2",
            "durogesic-25",
            "klonazepam-droppar-2.5",
            "oxazepam=10",
            "diazepam=0",
            "x=y",
            "3:2",
            "0:1",
            "2026-12-01",
            "2026-02-30",
            "ashton",
            "va-dod",
            "cdc-2022",
            "",
            "0",
            "-1",
            "1000000",
            "0.5",
            "26",
            "4",
        ])
        .prop_map(str::to_owned),
        "[0-9+,.-]{0,12}",
        ".{0,8}",
    ]
}

fn flags() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    prop::collection::vec((prop::sample::select(FLAGS.to_vec()), value()), 0..10)
}

fn run(req: trappa_taper::PlanRequest) -> Result<(), TestCaseError> {
    if let Ok(plan) = propose(&DATA, &req) {
        let v = check::check(&plan, &DATA);
        prop_assert!(v.is_empty(), "{v:?} for {req:?}");
    }
    Ok(())
}

fn valid_request() -> Value {
    serde_json::json!({
        "regimen": { "drugs": [
            { "substance": "oxazepam", "doses": [10, 10, 0, 25] },
            { "substance": "zopiclone", "doses": [0, 0, 0, 7.5], "products": ["imovane-7.5"] }
        ] },
        "start": "2026-12-01",
        "reduction": { "kind": "slow", "percent": 10, "interval_weeks": 2, "low_dose": { "below_percent_of_start": 25 } },
        "multi": { "kind": "parallel" },
        "goals": [ { "substance": "oxazepam", "target": 10 } ],
        "limits": { "max_step_percent": 10, "final_hold_weeks": 4 },
        "holds": [ { "step": 2, "weeks": 2 } ]
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1e12f64..1e12).prop_map(|f| serde_json::json!(f)),
        any::<i64>().prop_map(|i| serde_json::json!(i)),
        ".{0,10}".prop_map(Value::String),
        Just(serde_json::json!([1, 2, 3, 4, 5])),
        Just(serde_json::json!({"kind": "hyperbolic"})),
        Just(serde_json::json!([])),
    ]
}

/// Every value in `v` by its path (objects' keys and lists' indexes), `v` itself first.
fn paths(v: &Value) -> Vec<Vec<String>> {
    fn walk(v: &Value, at: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(at.clone());
        match v {
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                let mut p = at.clone();
                p.push(k.clone());
                walk(x, p, out)
            }),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
                let mut p = at.clone();
                p.push(i.to_string());
                walk(x, p, out)
            }),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, Vec::new(), &mut out);
    out
}

/// Replaces the value at a random path in the request.
fn mutate(mut v: Value, path_choice: usize, replacement: Value) -> Value {
    let paths = paths(&v);
    let path = &paths[path_choice % paths.len()];
    *at_mut(&mut v, path) = replacement;
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn command_lines_never_panic(pairs in flags()) {
        let Some(args) = pairs
            .into_iter()
            .try_fold(RequestFlags::default(), |f, (flag, value)| set(f, flag, value))
        else {
            return Ok(());
        };
        let today: jiff::civil::Date = "2026-11-23".parse().unwrap();
        match request_from_args(&DATA, &args, today) {
            Ok(req) => run(req)?,
            Err(e) => prop_assert!(!e.field.is_empty() && !e.message(trappa_i18n::Locale::Sv).is_empty()),
        }
    }

    #[test]
    fn arbitrary_text_as_json_never_panics(text in ".{0,200}") {
        let looks_like_object = text.trim_start().starts_with('{');
        prop_assert!(request_from_json(text.as_bytes()).is_err() || looks_like_object, "accepted {:?}", text);
    }

    #[test]
    fn mutated_json_requests_never_panic(choice in any::<usize>(), replacement in json_value(), second in prop::option::of((any::<usize>(), json_value()))) {
        let mut v = mutate(valid_request(), choice, replacement);
        if let Some((c, r)) = second {
            v = mutate(v, c, r);
        }
        if let Ok(req) = request_from_json(v.to_string().as_bytes()) {
            run(req)?;
        }
    }
}

#[test]
fn the_valid_request_is_valid() {
    let req = request_from_json(valid_request().to_string().as_bytes()).unwrap();
    let plan = propose(&DATA, &req).unwrap();
    assert!(check::check(&plan, &DATA).is_empty());
    assert_eq!(
        plan.drugs[0].target,
        trappa_taper::Amount::from_f64(10.0).unwrap()
    );
}

fn at_mut<'a>(mut cur: &'a mut Value, path: &[String]) -> &'a mut Value {
    for key in path {
        cur = match cur {
            Value::Object(m) => m.get_mut(key).unwrap(),
            Value::Array(a) => &mut a[key.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    cur
}

/// No object of the request takes a field it does not know (a unit variant such as
/// `{"kind": "parallel"}` included), nor its fields as a list in order, nor a variant
/// by its number: each is refused, naming where.
#[test]
fn every_object_is_read_strictly() {
    let request = valid_request();
    let objects: Vec<Vec<String>> = paths(&request)
        .into_iter()
        .filter(|p| at_mut(&mut request.clone(), p).is_object())
        .collect();
    assert!(objects.len() > 8, "{objects:?}");
    for path in &objects {
        let mut v = valid_request();
        let Value::Object(m) = at_mut(&mut v, path) else {
            unreachable!()
        };
        m.insert("oder".into(), Value::from(1));
        let e = request_from_json(v.to_string().as_bytes()).expect_err(&path.join("."));
        let said = e.message(trappa_i18n::Locale::Sv);
        assert!(said.contains("okänt fält ”oder”"), "{path:?}: {said}");
        assert!(
            e.field.starts_with(path.first().map_or("", String::as_str)),
            "{path:?}: {}",
            e.field
        );

        let mut v = valid_request();
        let target = at_mut(&mut v, path);
        let Value::Object(m) = target.clone() else {
            unreachable!()
        };
        *target = Value::Array(m.into_iter().map(|(_, x)| x).collect());
        let e = request_from_json(v.to_string().as_bytes()).expect_err(&path.join("."));
        let said = e.message(trappa_i18n::Locale::Sv);
        assert!(
            said.contains("här ska stå ett objekt, inte en lista"),
            "{path:?}: {said}"
        );
    }
    let mut v = valid_request();
    v["multi"]["kind"] = Value::from(2);
    let e = request_from_json(v.to_string().as_bytes()).unwrap_err();
    assert_eq!(e.field, "multi.kind");
}
