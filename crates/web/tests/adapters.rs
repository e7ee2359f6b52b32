//! The web crate holds adapters only: every write to the store, and every access-log
//! entry, goes through a use case of `trappa-app`. Checked by reading the sources: the
//! store's writing functions are found by what their bodies do (a transaction, the
//! writer pool, an access-log entry), and no web source may call one or make a log
//! entry itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).expect("a source directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                out.push((path, text));
            }
        }
    }
    out
}

/// The source without its `#[cfg(test)]` module (tests may set up data directly).
fn without_tests(src: &str) -> &str {
    src.find("#[cfg(test)]").map_or(src, |i| &src[..i])
}

/// The names of the store's public functions that write: their body opens a
/// transaction, uses the writer pool, or appends to the access log.
fn store_writers(store_src: &Path) -> BTreeSet<String> {
    let writes = [
        "self.begin(",
        "on_writer!",
        "on_tx!",
        "append_access_log",
        "append_patient_log",
        "log_listing(",
        ".commit(",
    ];
    let mut bodies: Vec<(String, String)> = Vec::new();
    for (_, src) in sources(store_src) {
        let src = without_tests(&src);
        let starts: Vec<usize> = src
            .match_indices("    pub async fn ")
            .map(|(i, _)| i)
            .collect();
        for (n, start) in starts.iter().enumerate() {
            let end = starts.get(n + 1).copied().unwrap_or(src.len());
            let body = &src[*start..end];
            let name: String = body["    pub async fn ".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            bodies.push((name, body.to_owned()));
        }
    }
    let mut out: BTreeSet<String> = bodies
        .iter()
        .filter(|(_, body)| writes.iter().any(|w| body.contains(w)))
        .map(|(name, _)| name.clone())
        .collect();
    // A function that calls a writer writes too (`grant_patient_access_with` writes the
    // log through `grant_patient_access`): until nothing more is found.
    loop {
        let more: Vec<String> = bodies
            .iter()
            .filter(|(name, body)| {
                !out.contains(name) && out.iter().any(|w| body.contains(&format!(".{w}(")))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            return out;
        }
        out.extend(more);
    }
}

#[test]
fn the_web_crate_writes_only_through_use_cases() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let writers = store_writers(&here.join("../store/src"));
    // The finder must see the writes it is meant to find; if the store is rewritten
    // so it no longer does, this guard fails rather than passing empty.
    for known in [
        "create_patient",
        "record_score",
        "sign_taper_plan",
        "add_care_team_member",
        "save_document",
        "create_session",
        "search_patients",
        "flush",
        "grant_patient_access_with",
    ] {
        assert!(writers.contains(known), "the finder misses {known}");
    }
    let mut found = Vec::new();
    for (path, src) in sources(&here.join("src")) {
        let code = without_tests(&src);
        for (line_no, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            let at = format!("{}:{}", path.display(), line_no + 1);
            if line.contains("NewEntry") {
                found.push(format!("{at}: makes a log entry itself"));
            }
            // `store.name(` and `Store::name(` alike.
            let calls = line.match_indices('.').chain(line.match_indices("Store::"));
            for (i, sep) in calls {
                let name: String = line[i + sep.len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if writers.contains(&name) && line[i + sep.len() + name.len()..].starts_with('(') {
                    found.push(format!("{at}: calls the store's {name}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "write through a use case of trappa-app:\n{}",
        found.join("\n")
    );
}
