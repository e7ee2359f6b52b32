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
///
/// Long by design: one row per fault.
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
    check(
        &["--drug", "oxazepam"],
        "--dose (oxazepam): uppgift saknas.",
    );
    check(
        &[
            "--drug", "oxazepam", "--dose", "10+0+0+0", "--dose", "5+0+0+0",
        ],
        "--dose: 2 angivna, men --drug kräver 1",
    );
    check(
        &[
            "--drug",
            "oxazepam",
            "--dose",
            "10+0+0+0",
            "--start",
            "9999-06-01",
        ],
        "--start: värdet måste ligga mellan 1900-01-01 och 2199-12-31.",
    );
    check(
        &[
            "--drug",
            "oxazepam",
            "--dose",
            "10+0+0+0",
            "--start",
            "0001-01-01",
        ],
        "--start: värdet måste ligga mellan",
    );
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
    check(
        &["--drug", "oxazepam", "--dose", "10+0+0+0", "--hold", "3x"],
        "--hold[0]: ”3x” går inte att läsa. Skriv steg:veckor",
    );
    check(
        &[
            "--drug", "oxazepam", "--dose", "10+0+0+0", "--phase", "2:25",
        ],
        "--phase[0]: ”2:25” går inte att läsa. Skriv steg:procent:veckor",
    );
    check(
        &[
            "--drug", "oxazepam", "--dose", "10+0+0+0", "--phase", "2:40:2",
        ],
        "--phase[0]: värdet måste ligga mellan 0,5 och 25.",
    );
    check(
        &[
            "--drug",
            "diazepam",
            "--dose",
            "10+0+10",
            "--phase",
            "2:25:2",
            "--step-length",
            "1:1",
        ],
        "--step-length[0]: så kort kan steg 1 inte vara: dosen skulle då minska mer än 25 %",
    );
    check(
        &[
            "--drug",
            "oxazepam",
            "--dose",
            "10+0+0+0",
            "--step-length",
            "99:2",
        ],
        "--step-length[0]",
    );
    // JSON errors as JSON with --json.
    let o = trappa(&["--drug", "oxazepam", "--dose", "0+0+0+0", "--json"]);
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(
        (e["field"].as_str(), e["problem"].as_str()),
        (Some("--dose[0]"), Some("not_positive"))
    );
}

/// Table-driven: files, `--input` beside other options, JSON that does not fit, and
/// clap's own errors — each in Swedish, naming the option or the field's path, status 2.
#[test]
fn files_json_and_usage_errors_are_swedish_and_exit_2() {
    let dir = out_dir("bad-files");
    let file = |name: &str, body: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, body).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let goal = file(
        "goal.json",
        br#"{"regimen": {"drugs": [{"substance": "oxazepam", "doses": [10, 0, 10]}]}, "start": "2026-12-01", "goal": [{"substance": "oxazepam", "target": 10}]}"#,
    );
    let wrong_type = file(
        "type.json",
        br#"{"regimen": {"drugs": [{"substance": "oxazepam", "doses": [10, 0, "tio"]}]}, "start": "2026-12-01"}"#,
    );
    let syntax = file("syntax.json", b"{\n  \"regimen\": \n}");
    let latin1 = file("latin1.json", b"{\"regimen\": \"\xe5\"}");
    let missing = dir.join("finns-inte.json");
    let missing = missing.to_str().unwrap();
    let no_folder = dir.join("saknas").join("plan.html");
    let no_folder = no_folder.to_str().unwrap();
    let dir_path = dir.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--input", &goal],
            "goal: okänt fält ”goal”. Här finns: regimen, start, tables, reduction, substitution, multi, goals, limits, holds, dose_times, phases, step_lengths.",
        ),
        (
            &["--input", &wrong_type],
            "regimen.drugs[0].doses[2]: här ska stå ett tal, inte en text.",
        ),
        (
            &["--input", &syntax],
            "--input: texten är inte giltig JSON (rad 3, tecken 1).",
        ),
        (&["--input", &latin1], "--input: texten är inte UTF-8."),
        (&["--input", missing], "--input: filen"),
        (&["--input", dir_path], "--input: filen"),
        (
            &["--input", &goal, "--drug", "oxazepam", "--dose", "10+0+0"],
            "--drug: kan inte kombineras med --input.",
        ),
        (
            &["--input", &goal, "--start", "2026-12-01"],
            "--start: kan inte kombineras med --input.",
        ),
        (
            &[
                "--drug", "oxazepam", "--dose", "10+0+10", "--html", no_folder,
            ],
            "--html: filen",
        ),
        (
            &[
                "--drug",
                "oxazepam",
                "--dose",
                "10+0+10",
                "--strategy",
                "fast",
            ],
            "--strategy <STRATEGY>: ”fast” finns inte. Välj en av: slow, hyperbolic, linear, substitution.",
        ),
        (
            &["--drug", "oxazepam", "--dose", "10+0+10", "--lang", "xx"],
            "--lang <LANG>: ”xx” finns inte. Välj en av: sv, en.",
        ),
        (
            &["--quantities", "tolv"],
            "--quantities <QUANTITIES>: ”tolv” kan inte läsas här.",
        ),
        (
            &["--dos", "10"],
            "okänt alternativ --dos. Menade du --dose?",
        ),
    ];
    for (args, first_line) in cases {
        let o = trappa(args);
        let err = String::from_utf8(o.stderr).unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with(first_line), "{args:?}: {err}");
        for english in ["error:", "Error", "expected", "No such file", "line "] {
            assert!(!err.contains(english), "{args:?}: {err}");
        }
    }
    assert!(!std::path::Path::new(no_folder).exists());
}

/// `trappa taper --schema | head -c 10`: the reader leaves early, Trappa ends quietly.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_trappa"))
        .args(["taper", "--schema"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // More than a pipe holds (64 KiB), so Trappa is still writing when the reader leaves.
    let whole = trappa(&["--schema"]).stdout.len();
    assert!(whole > 65_536, "the schema is {whole} bytes");
    let mut first = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A reader that leaves before the table is printed does not cost the patient's files.
#[test]
fn a_closed_pipe_still_writes_the_files() {
    let dir = out_dir("pipe-files");
    let html = dir.join("h.html");
    let ics = dir.join("p.ics");
    let child = Command::new(env!("CARGO_BIN_EXE_trappa"))
        .args(["taper", "--drug", "oxazepam", "--dose", "10+10+0+25"])
        .arg("--html")
        .arg(&html)
        .arg("--ics")
        .arg(&ics)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Nobody reads: the pipe is closed at once.
    let mut child = child;
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("Din nedtrappningsplan")
    );
    assert!(
        std::fs::read_to_string(&ics)
            .unwrap()
            .contains("BEGIN:VCALENDAR")
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

/// Whatever the command line holds, `trappa taper` answers with a plan (0) or a message
/// naming the option (2): never Trappa's own failure (1) or a panic (101).
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const FLAGS: &[&str] = &[
        "--drug",
        "--dose",
        "--product",
        "--strategy",
        "--percent",
        "--interval",
        "--switch-interval",
        "--max-step",
        "--final-hold",
        "--stop-below",
        "--multi",
        "--order",
        "--goal",
        "--hold",
        "--phase",
        "--step-length",
        "--start",
        "--table-de",
        "--input",
        "--lang",
        "--quantities",
        "--html",
        "--ics",
        "--svg",
        "--special",
        "--json",
        "--list",
        "--x",
    ];

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "oxazepam",
                "diazepam",
                "alprazolam",
                "fentanyl",
                "oxycodone",
                "pregabalin",
                "10+10+0+25",
                "2+2+2",
                "12,5",
                "0+0+0+0",
                "-1",
                "1e9",
                "NaN",
                "",
                "slow",
                "substitution",
                "fast",
                "parallel",
                "sv",
                "xx",
                "3:2",
                "2:25:2",
                "1:1",
                "oxazepam=10",
                "2026-12-01",
                "9999-06-01",
                "0001-01-01",
                "2026-02-30",
                "-",
                "/",
                "/nonexistent/x.json",
                "/nonexistent/dir/out.html",
                "26",
                "0.5",
                "ashton",
            ])
            .prop_map(str::to_owned),
            "[0-9+,.:=-]{0,10}",
            // Any text an argument can hold (argv has no NUL).
            "[^\\x00]{0,6}",
        ]
    }

    fn argv() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec((prop::sample::select(FLAGS.to_vec()), value()), 0..7).prop_map(
            |pairs| {
                pairs
                    .into_iter()
                    .flat_map(|(f, v)| [f.to_owned(), v])
                    .collect()
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn every_command_line_exits_0_or_2(argv in argv()) {
            let args: Vec<&str> = argv.iter().map(String::as_str).collect();
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_trappa"));
            cmd.arg("taper").args(&args).current_dir(out_dir("fuzz"));
            cmd.stdin(std::process::Stdio::null());
            let o = cmd.output().unwrap();
            let code = o.status.code();
            prop_assert!(
                code == Some(0) || code == Some(2),
                "{:?} → {:?}: {}",
                args,
                code,
                String::from_utf8_lossy(&o.stderr)
            );
            if code == Some(2) {
                prop_assert!(!o.stderr.is_empty(), "{:?}: exit 2 says why", args);
            }
        }
    }
}
