//! OWASP ASVS 4.0 level 2 items that are behaviour of the server, as tests (the rest,
//! each with its test or the reason it does not apply, are listed in docs/asvs.md):
//! a new session at every sign-in whatever cookie came with it (3.2.1, fixation), a
//! sign-out that ends the session on every instance (3.3.1), and the security headers on
//! every kind of response, errors and redirects included (14.4).

use crate::support;

use reqwest::{Method, StatusCode};
use support::{is_login_redirect, servers};

/// The value of the session cookie a response sets.
fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("trappa_session="))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
}

/// A plain client that sends exactly the cookie it is given.
fn bare() -> reqwest::Client {
    trappa_web::oidc::install_tls();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_sign_in_makes_a_new_session_and_sign_out_ends_it_everywhere() {
    for s in servers().await {
        let b = s.backend;
        // An attacker's own valid session id, planted in the victim's browser before
        // the victim signs in (fixation), is never taken as the victim's session.
        let attacker = s
            .anonymous()
            .sign_in("remittent", trappa_data::demo::DEMO_PASSWORD)
            .await;
        let planted = session_cookie(&attacker).expect("the attacker's session");
        let planted = planted.as_str();
        let page = bare().get(s.url("/logga-in")).send().await.unwrap();
        let cookies: Vec<String> = page
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
            .collect();
        let csrf = support::extract_csrf(&page.text().await.unwrap()).unwrap();
        let signed_in = bare()
            .post(s.url("/logga-in"))
            .header(
                "cookie",
                format!("{}; trappa_session={planted}", cookies.join("; ")),
            )
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "sjukskoterska"),
                ("password", trappa_data::demo::DEMO_PASSWORD),
                ("next", "/start"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "[{b}]");
        let first = session_cookie(&signed_in).expect("a session cookie");
        assert_ne!(first, planted, "[{b}] the planted id became the session");
        let with = |token: &str, addr: &std::net::SocketAddr| {
            bare()
                .get(format!("http://{addr}/start"))
                .header("cookie", format!("trappa_session={token}"))
                .send()
        };
        // The sign-in replaced the session it came with: the planted id now opens
        // nothing, on any instance — neither the victim's account nor the attacker's.
        for addr in &s.addrs {
            let me = bare()
                .get(format!("http://{addr}/api/v1/me"))
                .header("cookie", format!("trappa_session={planted}"))
                .send()
                .await
                .unwrap();
            assert_eq!(
                me.status(),
                StatusCode::UNAUTHORIZED,
                "[{b}] the planted id still opens a session at {addr}"
            );
        }

        // Signing in again gives another id.
        let again = s.anonymous();
        let res = again
            .sign_in("sjukskoterska", trappa_data::demo::DEMO_PASSWORD)
            .await;
        let second = session_cookie(&res).expect("a session cookie");
        assert_ne!(first, second, "[{b}] a session id reused");

        // Sign-out on one instance ends the session on every instance at once.
        for addr in &s.addrs {
            assert_eq!(
                with(&second, addr).await.unwrap().status(),
                StatusCode::OK,
                "[{b}] signed in at {addr}"
            );
        }
        let out = again.post("/logga-ut", &[]).await;
        assert_eq!(out.status(), StatusCode::SEE_OTHER, "[{b}]");
        for addr in &s.addrs {
            assert!(
                is_login_redirect(&with(&second, addr).await.unwrap()),
                "[{b}] the session still opens {addr} after sign-out"
            );
        }
    }
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    for s in servers().await {
        let b = s.backend;
        let nurse = s.login("sjukskoterska").await;
        let anonymous = s.anonymous();
        let big = "x".repeat(3 * 1024 * 1024);
        let responses = [
            ("page", nurse.get("/start").await),
            ("redirect", anonymous.get("/start").await),
            ("404 page", nurse.get("/finns-inte").await),
            ("static file", anonymous.get("/static/app.css").await),
            ("API JSON", nurse.get("/api/v1/me").await),
            (
                "API 404",
                nurse
                    .get("/api/v1/patients/00000000-0000-0000-0000-000000000000")
                    .await,
            ),
            (
                "API 422",
                nurse
                    .send_json(Method::POST, "/api/v1/referrals", &serde_json::json!({}))
                    .await,
            ),
            (
                "413",
                nurse
                    .http
                    .post(nurse.url("/api/v1/referrals"))
                    .header("content-type", "application/json")
                    .body(big)
                    .send()
                    .await
                    .unwrap(),
            ),
            (
                "CSRF refusal",
                anonymous
                    .http
                    .post(anonymous.url("/logga-in"))
                    .send()
                    .await
                    .unwrap(),
            ),
            ("health", anonymous.get("/healthz").await),
        ];
        for (what, res) in responses {
            let h = res.headers();
            let csp = h
                .get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert!(
                csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"),
                "[{b}] {what} ({}): CSP {csp:?}",
                res.status()
            );
            assert_eq!(
                h.get("x-frame-options").map(|v| v.to_str().unwrap()),
                Some("DENY"),
                "[{b}] {what}"
            );
            assert_eq!(
                h.get("x-content-type-options").map(|v| v.to_str().unwrap()),
                Some("nosniff"),
                "[{b}] {what}"
            );
            assert_eq!(
                h.get("referrer-policy").map(|v| v.to_str().unwrap()),
                Some("same-origin"),
                "[{b}] {what}"
            );
            // Nothing but static files is kept by the browser: pages carry patient data.
            if what != "static file" {
                assert_eq!(
                    h.get("cache-control").map(|v| v.to_str().unwrap()),
                    Some("no-store"),
                    "[{b}] {what}"
                );
            }
            // Nothing tells an attacker what runs the server.
            assert!(
                h.get("server").is_none() && h.get("x-powered-by").is_none(),
                "[{b}] {what}"
            );
        }
    }
}
