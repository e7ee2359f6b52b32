//! The OpenAPI document names every API route of the route table, with a summary, and
//! every schema reference in it resolves.

use crate::support;

use reqwest::StatusCode;
use support::servers;
use trappa_web::route_specs;

fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| refs(x, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let s = servers().await.into_iter().next().unwrap();
    let res = s.anonymous().get("/api/openapi.json").await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc: serde_json::Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for spec in route_specs()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/"))
    {
        let op = &doc["paths"][spec.path][spec.method.as_str().to_ascii_lowercase()];
        assert!(
            op["summary"].is_string(),
            "{} {} is not in the OpenAPI document",
            spec.method,
            spec.path
        );
        if spec.path.contains("{id}") {
            assert_eq!(
                op["parameters"][0]["name"], "id",
                "{} {}",
                spec.method, spec.path
            );
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 20, "the schemas are referenced");
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} does not resolve"
        );
    }
    assert!(doc["components"]["schemas"]["PlanRequest"]["properties"]["regimen"].is_object());
}
