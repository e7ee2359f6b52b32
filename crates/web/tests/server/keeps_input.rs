//! Guard: nothing a user typed is ever discarded. Every POST form on the pages each
//! role works in is read from the page as served, every visible text field filled with
//! a marker of its own, and submitted as a browser would. A form that is refused or shown
//! again must hold every marker; one that saves redirects (the save is the keeping).
//! Passwords are never echoed, and the honeypot is left empty as a person leaves it.
//! On both databases.

use crate::support;

use support::{Client, servers};

/// One `<form method="post">` as served.
#[derive(Debug)]
struct Form {
    action: String,
    /// (name, value) in document order; text fields hold their marker.
    fields: Vec<(String, String)>,
    /// The markers that must come back.
    markers: Vec<String>,
    /// A select that changes the form's template, and another of its values.
    switch: Option<(String, String)>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')? + at;
    Some(tag[at..end].replace("&amp;", "&").replace("&quot;", "\""))
}

fn has_flag(tag: &str, name: &str) -> bool {
    tag.contains(&format!(" {name}>"))
        || tag.contains(&format!(" {name} "))
        || tag.contains(&format!(" {name}/"))
        || tag.contains(&format!(" {name}=\""))
}

/// Reads the POST forms of a page; text fields get markers `K{page}x{n}`.
fn forms(html: &str, page: usize) -> Vec<Form> {
    let mut out = Vec::new();
    let mut n = 0;
    for chunk in html.split("<form").skip(1) {
        let Some(open_end) = chunk.find('>') else {
            continue;
        };
        let open = &chunk[..open_end];
        if attr(open, "method").as_deref() != Some("post") {
            continue;
        }
        let Some(action) = attr(open, "action") else {
            continue;
        };
        let body = &chunk[open_end..chunk.find("</form>").unwrap_or(chunk.len())];
        let mut fields = Vec::new();
        let mut markers = Vec::new();
        let mut switch = None;
        let mut rest = body;
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            let tag_end = rest.find('>').unwrap_or(rest.len());
            let tag = format!(" {}", &rest[..tag_end]);
            let Some(name) = attr(&tag, "name") else {
                continue;
            };
            if tag.starts_with(" input") {
                let kind = attr(&tag, "type").unwrap_or_else(|| "text".into());
                match kind.as_str() {
                    "hidden" => fields.push((name, attr(&tag, "value").unwrap_or_default())),
                    "checkbox" | "radio" => {
                        if has_flag(&tag, "checked") {
                            fields.push((name, attr(&tag, "value").unwrap_or("on".into())));
                        }
                    }
                    "submit" | "button" => {}
                    "password" => fields.push((name, "hemligt-lösen-1".into())),
                    // The honeypot: people leave it empty.
                    _ if name == "website" => fields.push((name, String::new())),
                    _ => {
                        n += 1;
                        let marker = format!("K{page}x{n}");
                        markers.push(marker.clone());
                        fields.push((name, marker));
                    }
                }
            } else if tag.starts_with(" textarea") {
                n += 1;
                let marker = format!("K{page}x{n}");
                markers.push(marker.clone());
                fields.push((name, marker));
            } else if tag.starts_with(" select") {
                let select = &rest[..rest.find("</select>").unwrap_or(rest.len())];
                let options: Vec<&str> = select.split("<option").skip(1).collect();
                let chosen = options
                    .iter()
                    .find(|o| has_flag(&o[..o.find('>').unwrap_or(0)], "selected"))
                    .or(options.first())
                    .and_then(|o| attr(&format!(" {}", &o[..o.find('>').unwrap_or(0)]), "value"));
                if has_flag(&tag, "data-switch") {
                    let other = options
                        .iter()
                        .filter_map(|o| {
                            attr(&format!(" {}", &o[..o.find('>').unwrap_or(0)]), "value")
                        })
                        .find(|v| Some(v) != chosen.as_ref());
                    switch = other.map(|v| (name.clone(), v));
                }
                fields.push((name, chosen.unwrap_or_default()));
            } else if tag.starts_with(" button") {
                // A named button (e.g. "Byt mall") is another action of the form: not pressed.
            }
        }
        if !markers.is_empty() {
            out.push(Form {
                action,
                fields,
                markers,
                switch,
            });
        }
    }
    out
}

/// Actions that end something or switch the session: not part of this guard.
fn skipped(action: &str) -> bool {
    [
        "/logga-ut",
        "/sprak",
        "/roll",
        "/avsluta",
        "/overlamna",
        "/konto/losenord",
    ]
    .iter()
    .any(|s| action.contains(s))
}

async fn check_page(client: &Client, path: &str, page: usize, backend: &str) -> usize {
    let res = client.get(path).await;
    assert!(
        res.status().is_success(),
        "[{backend}] GET {path}: {}",
        res.status()
    );
    let html = res.text().await.unwrap();
    let mut checked = 0;
    for form in forms(&html, page) {
        if skipped(&form.action) {
            continue;
        }
        let fields: Vec<(&str, &str)> = form
            .fields
            .iter()
            .filter(|(k, _)| k != "csrf")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        // Another template first: the form comes back with everything typed.
        if let Some((select, other)) = &form.switch {
            let mut switched: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| {
                    if k == select {
                        (*k, other.as_str())
                    } else {
                        (*k, *v)
                    }
                })
                .collect();
            switched.push(("action", "switch"));
            let res = client.post(&form.action, &switched).await;
            assert_eq!(
                res.status().as_u16(),
                200,
                "[{backend}] {path}: switching the template"
            );
            let body = res.text().await.unwrap();
            for m in &form.markers {
                assert!(
                    body.contains(m.as_str()),
                    "[{backend}] {path}: switching the template lost {m}"
                );
            }
            checked += 1;
        }
        let res = client.post(&form.action, &fields).await;
        let status = res.status();
        if status.is_redirection() {
            continue;
        }
        let body = res.text().await.unwrap();
        assert!(
            status.is_success() || status.as_u16() == 422,
            "[{backend}] {path} → POST {}: {status}",
            form.action
        );
        let lost: Vec<&String> = form
            .markers
            .iter()
            .filter(|m| !body.contains(m.as_str()))
            .collect();
        assert!(
            lost.is_empty(),
            "[{backend}] {path} → POST {} ({status}) lost what was typed in {:?}",
            form.action,
            form.fields
                .iter()
                .filter(|(_, v)| lost.contains(&v))
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        );
        checked += 1;
    }
    checked
}

#[tokio::test]
async fn every_refused_form_keeps_what_was_typed() {
    for s in servers().await {
        let b = s.backend;
        let id = support::patient_with_team(&s, 990, &["sjukskoterska", "lakare"]).await;
        let pages: Vec<(&str, Vec<String>)> = vec![
            (
                "lakare",
                vec![
                    format!("/patienter/{id}/andra"),
                    format!("/patienter/{id}/besok"),
                    format!("/patienter/{id}/journal/ny?typ=assessment"),
                    format!("/patienter/{id}/journal/ny?typ=nurse_review"),
                    format!("/patienter/{id}/skattningar/ny?instrument=bwsq"),
                    format!("/patienter/{id}/skattningar/ny?instrument=ciwa-b"),
                    format!("/patienter/{id}/plan/ny"),
                    format!("/patienter/{id}/eftervard"),
                    "/patienter/ny".to_owned(),
                    format!("/patienter/{id}"),
                ],
            ),
            ("remittent", vec!["/remisser/ny".to_owned()]),
            ("admin", vec!["/admin/personal/ny".to_owned()]),
        ];
        let mut page = 0;
        let mut checked = 0;
        for (user, paths) in &pages {
            let client = s.login(user).await;
            for path in paths {
                page += 1;
                checked += check_page(&client, path, page, b).await;
            }
        }
        page += 1;
        checked += check_page(&s.anonymous(), "/egenremiss", page, b).await;
        assert!(checked >= 10, "[{b}] only {checked} forms were tried");
    }
}
