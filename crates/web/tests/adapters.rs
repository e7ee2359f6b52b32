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
    let mut out = BTreeSet::new();
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
            if writes.iter().any(|w| body.contains(w)) {
                out.insert(name);
            }
        }
    }
    out
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
            for (i, _) in line.match_indices('.') {
                let name: String = line[i + 1..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if writers.contains(&name) && line[i + 1 + name.len()..].starts_with('(') {
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
