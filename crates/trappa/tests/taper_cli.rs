//! `trappa taper` end to end: the real binary, its table, its JSON (against its own
//! schema's required fields), its files (ICS that parses, a PDF with an embedded font,
//! SVG and HTML), and bad input answered with status 2 and the field's name.

use std::path::PathBuf;
use std::process::{Command, Output};

fn trappa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trappa"))
        .arg("taper")
        .args(args)
        .output()
        .expect("run trappa")
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trappa-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn prints_a_plan_as_a_table() {
    let o = trappa(&[
        "--drug",
        "oxazepam",
        "--dose",
        "10+10+0+25",
        "--strategy",
        "slow",
        "--start",
        "2026-12-01",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("oxazepam (mg/dygn)"), "{text}");
    assert!(text.contains("10+10+0+25 = 45"));
    assert!(text.contains("2026-12-01"));
    assert!(text.contains("oxazepam sätts ut."));
    assert!(
        text.contains("inte verifierad"),
        "unverified values are flagged"
    );
}

#[test]
fn prints_json_that_round_trips() {
    let o = trappa(&[
        "--drug",
        "diazepam",
        "--dose",
        "10+0+10",
        "--drug",
        "oxycodone",
        "--dose",
        "10+0+10",
        "--start",
        "2026-12-01",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(plan["schema"], 1);
    assert_eq!(plan["drugs"][0]["substance"], "diazepam");
    assert_eq!(plan["drugs"][1]["factor"]["unit"], "MME");
    assert!(plan["steps"].as_array().unwrap().len() > 10);
    assert_eq!(plan["warnings"][0]["code"], "opioid_with_benzodiazepine");
    // The schema names every top-level field the plan has.
    let s = trappa(&["--schema"]);
    let schema: serde_json::Value = serde_json::from_slice(&s.stdout).unwrap();
    let props = schema["plan"]["properties"].as_object().unwrap();
    for key in plan.as_object().unwrap().keys() {
        assert!(props.contains_key(key), "{key} missing from the schema");
    }
    assert!(schema["request"]["properties"]["regimen"].is_object());
    // The plan's own request can be fed back as --input.
    let dir = out_dir("json");
    let input = dir.join("request.json");
    std::fs::write(&input, plan["request"].to_string()).unwrap();
    let again = trappa(&["--input", input.to_str().unwrap(), "--json"]);
    assert!(again.status.success());
    let plan2: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(plan2["steps"], plan["steps"]);
}

#[test]
fn writes_handout_calendar_and_chart() {
    let dir = out_dir("files");
    let (html, pdf, ics, svg) = (
        dir.join("h.html"),
        dir.join("h.pdf"),
        dir.join("h.ics"),
        dir.join("h.svg"),
    );
    let o = trappa(&[
        "--drug",
        "alprazolam",
        "--dose",
        "0.5+0.5+0+1",
        "--strategy",
        "substitution",
        "--start",
        "2026-12-01",
        "--html",
        html.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
        "--ics",
        ics.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
        "--quantities",
        "4",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert!(
        stdout.contains("Stesolid 10 mg") && stdout.contains("tabletter"),
        "quantities printed"
    );

    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("lang=\"sv\""));
    assert!(
        html.contains("Din nedtrappningsplan")
            && html.contains("Vecka för vecka")
            && html.contains("Kalender")
    );
    assert!(html.contains("1 tablett Stesolid 10 mg"), "doses in words");

    let pdf = std::fs::read(pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        String::from_utf8_lossy(&pdf).contains("/FontFile"),
        "font embedded"
    );

    let text = std::fs::read_to_string(ics).unwrap();
    let unfolded = icalendar::parser::unfold(&text);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("ICS parses");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert!(events.len() > 10, "one event per dose change");
    let first = events[0];
    let prop = |name: &str| {
        first
            .properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.val.to_string())
    };
    assert_eq!(prop("DTSTART").as_deref(), Some("20261201"));
    assert!(prop("SUMMARY").unwrap().contains("diazepam"));
    assert!(prop("UID").is_some() && prop("DTSTAMP").is_some());

    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("<title id=\"chart-title\">Dos över tid</title>"));
}

/// Table-driven: arguments → the field the error names.
#[test]
fn bad_input_names_the_field_and_exits_2() {
    let check = |args: &[&str], field: &str| {
        let o = trappa(args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        let err = String::from_utf8(o.stderr).unwrap();
        assert!(err.starts_with(field), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "nothing printed on error");
    };
    check(
        &["--drug", "okänd", "--dose", "10+0+0+0"],
        "--drug[0]: okänd substans",
    );
    check(
        &["--drug", "oxazepam", "--dose", "10+x"],
        "--dose[0]: ”10+x” är ingen dos",
    );
    check(
        &["--drug", "oxazepam", "--dose", "0+0+0+0"],
        "--dose[0]: dosen måste vara större än noll",
    );
    check(&["--drug", "oxazepam", "--dose", "-5+0+0+0"], "--dose[0]");
    check(
        &["--drug", "oxazepam", "--dose", "2500+0+0+0"],
        "--dose[0]: dosen är orimligt hög",
    );
    check(
        &["--drug", "oxazepam", "--dose", "7+0+0+0"],
        "--dose[0]: dosen 7 går inte att ge",
    );
    check(
        &[
            "--drug",
            "oxazepam",
            "--dose",
            "10+0+0+0",
            "--product",
            "stesolid-5",
        ],
        "--product[0]",
    );
    check(
        &[
            "--drug",
            "oxazepam",
            "--dose",
            "10+0+0+0",
            "--percent",
            "80",
        ],
        "--percent: värdet måste ligga mellan",
    );
    check(
        &[
            "--drug",
            "oxazepam",
            "--dose",
            "10+0+0+0",
            "--max-step",
            "30",
        ],
        "--max-step",
    );
    check(
        &[
            "--drug",
            "oxazepam",
            "--dose",
            "10+0+0+0",
            "--start",
            "2026-02-30",
        ],
        "--start",
    );
    check(
        &[
            "--drug",
            "oxycodone",
            "--dose",
            "10+0+10",
            "--strategy",
            "substitution",
        ],
        "--strategy substitution",
    );
    check(
        &[
            "--drug",
            "oxazepam",
            "--dose",
            "10+0+0+0",
            "--table-de",
            "cdc-2022",
        ],
        "--table-de",
    );
    check(&["--drug", "oxazepam"], "--dose: kan inte kombineras");
    check(
        &[
            "--drug",
            "oxazepam",
            "--dose",
            "10+0+0+0",
            "--goal",
            "oxazepam=20",
        ],
        "--goal[0]",
    );
    // JSON errors as JSON with --json.
    let o = trappa(&["--drug", "oxazepam", "--dose", "0+0+0+0", "--json"]);
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(
        (e["field"].as_str(), e["problem"].as_str()),
        (Some("--dose[0]"), Some("not_positive"))
    );
}

#[test]
fn lists_reference_data_with_status() {
    let o = trappa(&["--list"]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("oxascand-10") && text.contains("[M/M]"));
    assert!(text.contains("iktorivil-0.5") && text.contains("[V/V]"));
    assert!(text.contains("*ashton") && text.contains("*helsedirektoratet"));
}
